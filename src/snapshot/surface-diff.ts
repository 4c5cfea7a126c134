// What changed between two recorded surfaces of one server, each change `breaking` or `compatible`.
import { type ChangeKind, diffJsonSchema, type SurfaceChange } from './schema-diff.js'

export type { ChangeKind, SurfaceChange } from './schema-diff.js'

export interface SurfaceTool {
  title?: string
  description?: string
  inputSchema: unknown
  outputSchema?: unknown
  annotations?: Record<string, unknown>
}

export interface SurfacePromptArgument {
  name: string
  description?: string
  required?: boolean
}

export interface SurfacePrompt {
  title?: string
  description?: string
  arguments?: SurfacePromptArgument[]
}

export interface SurfaceResource {
  name?: string
  title?: string
  description?: string
  mimeType?: string
}

/** One server's surface as a snapshot stores it: every list keyed by name (tools, prompts) or URI. */
export interface Surface {
  tools: Record<string, SurfaceTool>
  prompts: Record<string, SurfacePrompt>
  resources: Record<string, SurfaceResource>
  resourceTemplates: Record<string, SurfaceResource>
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** One entry as it was and as it is now. */
interface Edit<T> {
  was: T
  now: T
}

/** Two keyed lists of one kind, before and after. */
interface KeyedLists<T> {
  before: Record<string, T>
  after: Record<string, T>
  noun: string
}

/** Added (compatible), removed (breaking), and kept entries of two keyed lists. */
function diffKeyed<T>(
  { before, after, noun }: KeyedLists<T>,
  out: SurfaceChange[],
  kept: (name: string, edit: Edit<T>) => void,
): void {
  for (const name of Object.keys(before)) {
    if (name in after) kept(name, { was: before[name] as T, now: after[name] as T })
    else out.push({ kind: 'breaking', path: `${noun} ${name}`, reason: `${noun} removed` })
  }
  for (const name of Object.keys(after)) {
    if (!(name in before)) out.push({ kind: 'compatible', path: `${noun} ${name}`, reason: `${noun} added` })
  }
}

/** A changed text field (a title, a description) is a compatible change. */
function diffText({ was, now }: Edit<object>, keys: string[], path: string): SurfaceChange[] {
  return keys
    .filter((key) => !same((was as Record<string, unknown>)[key], (now as Record<string, unknown>)[key]))
    .map((key) => ({ kind: 'compatible', path, reason: `${key} changed` }))
}

function diffTool(name: string, { was, now }: Edit<SurfaceTool>, out: SurfaceChange[]): void {
  const at = `tool ${name}`
  out.push(...diffText({ was, now }, ['title', 'description'], at))
  const scoped = (side: string) => (change: SurfaceChange) => ({
    ...change,
    path: `${at} › ${side}${change.path.startsWith('(') ? '' : `.${change.path}`}`.replace(/\.$/, ''),
  })
  out.push(...diffJsonSchema(was.inputSchema, now.inputSchema, 'input').map(scoped('input')))
  if (was.outputSchema === undefined && now.outputSchema !== undefined) {
    out.push({ kind: 'compatible', path: at, reason: 'output schema added' })
  } else if (was.outputSchema !== undefined && now.outputSchema === undefined) {
    out.push({ kind: 'breaking', path: at, reason: 'output schema removed' })
  } else if (was.outputSchema !== undefined) {
    out.push(...diffJsonSchema(was.outputSchema, now.outputSchema, 'output').map(scoped('output')))
  }
  const hints = new Set([...Object.keys(was.annotations ?? {}), ...Object.keys(now.annotations ?? {})])
  for (const hint of hints) {
    const a = was.annotations?.[hint]
    const b = now.annotations?.[hint]
    if (same(a, b)) continue
    // A tool that starts destroying, or stops being read-only, is a change its callers must review.
    const riskier = (hint === 'destructiveHint' && b === true) || (hint === 'readOnlyHint' && a === true)
    const reason = `annotation ${hint} ${JSON.stringify(a) ?? 'unset'} → ${JSON.stringify(b) ?? 'unset'}`
    out.push({ kind: riskier ? 'breaking' : 'compatible', path: at, reason })
  }
}

function diffPrompt(name: string, { was, now }: Edit<SurfacePrompt>, out: SurfaceChange[]): void {
  const at = `prompt ${name}`
  out.push(...diffText({ was, now }, ['title', 'description'], at))
  const args = (p: SurfacePrompt) => Object.fromEntries((p.arguments ?? []).map((a) => [a.name, a]))
  const before = args(was)
  const after = args(now)
  for (const arg of Object.keys(before)) {
    const a = before[arg] as SurfacePromptArgument
    const b = after[arg]
    const path = `${at} › ${arg}`
    if (!b) out.push({ kind: 'breaking', path, reason: 'argument removed' })
    else {
      if (!a.required && b.required) out.push({ kind: 'breaking', path, reason: 'argument became required' })
      if (a.required && !b.required)
        out.push({ kind: 'compatible', path, reason: 'argument became optional' })
      out.push(...diffText({ was: a, now: b }, ['description'], path))
    }
  }
  for (const arg of Object.keys(after)) {
    if (arg in before) continue
    const required = after[arg]?.required === true
    const reason = `${required ? 'required' : 'optional'} argument added`
    out.push({ kind: required ? 'breaking' : 'compatible', path: `${at} › ${arg}`, reason })
  }
}

function diffResource(noun: string) {
  return (out: SurfaceChange[]) =>
    (uri: string, { was, now }: Edit<SurfaceResource>): void => {
      const at = `${noun} ${uri}`
      if (!same(was.mimeType, now.mimeType)) {
        const reason = `mimeType ${was.mimeType ?? 'unset'} → ${now.mimeType ?? 'unset'}`
        out.push({ kind: 'breaking', path: at, reason })
      }
      out.push(...diffText({ was, now }, ['name', 'title', 'description'], at))
    }
}

/** Every change from `before` to `after`, breaking ones first, each with its reason. */
export function diffSurface(before: Surface, after: Surface): SurfaceChange[] {
  const out: SurfaceChange[] = []
  diffKeyed({ before: before.tools, after: after.tools, noun: 'tool' }, out, (n, edit) =>
    diffTool(n, edit, out),
  )
  diffKeyed({ before: before.prompts, after: after.prompts, noun: 'prompt' }, out, (n, edit) =>
    diffPrompt(n, edit, out),
  )
  diffKeyed(
    { before: before.resources, after: after.resources, noun: 'resource' },
    out,
    diffResource('resource')(out),
  )
  diffKeyed(
    { before: before.resourceTemplates, after: after.resourceTemplates, noun: 'resource template' },
    out,
    diffResource('resource template')(out),
  )
  const rank: Record<ChangeKind, number> = { breaking: 0, compatible: 1 }
  return out.sort((a, b) => rank[a.kind] - rank[b.kind])
}

/** The lines a mismatch prints: `breaking    tool weather_lookup › input.units: enum value "kelvin" removed`. */
export function formatChanges(changes: SurfaceChange[]): string {
  return changes.map((c) => `  ${c.kind.padEnd(10)} ${c.path}: ${c.reason}`).join('\n')
}
