// A host's surface as a snapshot stores it: per landed revision, per server, tools, prompts, resources
// and resource templates keyed by name or URI, keys sorted, volatile `_meta` left out.
import type { Surface } from './surface-diff.js'

/** The revision a host lands on until protocol eras decide per server (`server(name).era`). */
export const DEFAULT_REVISION = '2025-11-25'

type Listed = Record<string, unknown> & { server: string }

/** The part of a HostManager the surface snapshot reads (structural: the host is not loaded here). */
export interface SurfaceHost {
  listTools(): Promise<Listed[]>
  listPrompts(): Promise<Listed[]>
  listResources(): Promise<Listed[]>
  listResourceTemplates(): Promise<Listed[]>
  server(name: string): { name: string; era?: string }
  readonly entries: ReadonlyArray<{ name: string; state?: string }>
}

/** `{ revision: { server: Surface } }`, as many revisions as the host's servers landed on. */
export type SurfacesByRevision = Map<string, Record<string, Surface>>

function pick(entry: Listed, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of keys) if (entry[key] !== undefined) out[key] = entry[key]
  return out
}

function emptySurface(): Surface {
  return { tools: {}, prompts: {}, resources: {}, resourceTemplates: {} }
}

/** Reads every list of the host (of `server` alone, when given) and groups it by revision and server. */
export async function captureSurfaces(host: SurfaceHost, server?: string): Promise<SurfacesByRevision> {
  const names =
    server !== undefined ? [host.server(server).name] : [...new Set(host.entries.map((e) => e.name))]
  const [tools, prompts, resources, templates] = await Promise.all([
    host.listTools(),
    host.listPrompts(),
    host.listResources(),
    host.listResourceTemplates(),
  ])
  const byServer = new Map(names.map((name) => [name, emptySurface()]))
  const add = (list: Listed[], into: (surface: Surface, entry: Listed) => void) => {
    for (const entry of list) {
      const surface = byServer.get(entry.server)
      if (surface) into(surface, entry)
    }
  }
  add(tools, (s, t) => {
    s.tools[String(t.name)] = pick(t, [
      'title',
      'description',
      'inputSchema',
      'outputSchema',
      'annotations',
    ]) as never
  })
  add(prompts, (s, p) => {
    s.prompts[String(p.name)] = pick(p, ['title', 'description', 'arguments'])
  })
  add(resources, (s, r) => {
    s.resources[String(r.uri)] = pick(r, ['name', 'title', 'description', 'mimeType'])
  })
  add(templates, (s, r) => {
    s.resourceTemplates[String(r.uriTemplate)] = pick(r, ['name', 'title', 'description', 'mimeType'])
  })
  const byRevision: SurfacesByRevision = new Map()
  for (const name of [...byServer.keys()].sort()) {
    const revision = host.server(name).era ?? DEFAULT_REVISION
    const servers = byRevision.get(revision) ?? {}
    servers[name] = byServer.get(name) as Surface
    byRevision.set(revision, servers)
  }
  return new Map([...byRevision].sort(([a], [b]) => a.localeCompare(b)))
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted)
  if (typeof value !== 'object' || value === null) return value
  const record = value as Record<string, unknown>
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, sorted(record[key])]),
  )
}

/** The text stored in the snapshot file: JSON (readable in review, parsed back to classify a change). */
export function renderSurfaces(revision: string, servers: Record<string, Surface>): string {
  return JSON.stringify(sorted({ revision, servers }), null, 2)
}

export function parseSurfaces(text: string): { revision: string; servers: Record<string, Surface> } {
  return JSON.parse(text) as { revision: string; servers: Record<string, Surface> }
}
