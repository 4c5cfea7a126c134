// `expect(host).toMatchSurfaceSnapshot()`: the host's surface stored by Vitest's own snapshot machinery
// (so `-u`, CI mode, obsolete entries and the summary behave as for any snapshot), a mismatch listed
// change by change, each classified breaking or compatible.
//
// Through Vitest's domain snapshots (`Snapshots.toMatchDomainSnapshot`, Vitest 4.1+): its adapter hands
// us the stored text parsed, which is what a classification needs; `toMatchSnapshot` only compares text.
// Looked up on the namespace, not imported by name: a Vitest without it fails this matcher, not the
// import of the matchers.

import type { MatcherState } from 'vitest'
import * as vitest from 'vitest'
import { isHostManager } from '../host/brand.js'
import { captureSurfaces, parseSurfaces, renderSurfaces, type SurfaceHost } from './surface.js'
import { diffSurface, formatChanges, type Surface, type SurfaceChange } from './surface-diff.js'

export interface SurfaceSnapshotOptions {
  /** Only this server (by its name in the host config). Default: every server of the host. */
  server?: string
  /** `'breaking'`: compatible changes pass (the stored snapshot stays until `-u`). Default `'any'`. */
  failOn?: 'any' | 'breaking'
}

interface DomainAdapter {
  name: string
  capture(received: unknown): unknown
  render(captured: unknown): string
  parseExpected(input: string): unknown
  match(captured: unknown, expected: unknown): { pass: boolean; expected?: string }
}

interface SnapshotsApi {
  toMatchDomainSnapshot(
    this: MatcherState,
    domain: DomainAdapter,
    received: unknown,
  ): { pass: boolean; message: () => string; actual?: unknown; expected?: unknown }
}

function snapshotsApi(): SnapshotsApi {
  const api = (vitest as unknown as { Snapshots?: Partial<SnapshotsApi> }).Snapshots
  if (typeof api?.toMatchDomainSnapshot !== 'function') {
    throw new TypeError(
      `toMatchSurfaceSnapshot() needs Vitest's domain snapshots (Vitest 4.1 or later); this Vitest has none. Upgrade vitest.`,
    )
  }
  return api as SnapshotsApi
}

interface Outcome {
  revision: string
  /** Undefined when nothing was stored yet (the first run, or CI where nothing is written). */
  changes?: SurfaceChange[]
  pass: boolean
}

function compare(state: MatcherState, revision: string, servers: Record<string, Surface>): Outcome {
  const outcome: Outcome = { revision, pass: false }
  const rendered = renderSurfaces(revision, servers)
  const adapter: DomainAdapter = {
    name: 'mcp-surface',
    capture: () => rendered,
    render: (captured) => String(captured),
    parseExpected: (input) => parseSurfaces(input),
    match(_captured, expected) {
      const stored = expected as ReturnType<typeof parseSurfaces>
      outcome.changes = diffServers(stored.servers ?? {}, servers)
      const storedText = renderSurfaces(stored.revision, stored.servers ?? {})
      return { pass: storedText === rendered, expected: storedText }
    },
  }
  const result = snapshotsApi().toMatchDomainSnapshot.call(state, adapter, servers)
  outcome.pass = result.pass
  return outcome
}

function diffServers(before: Record<string, Surface>, after: Record<string, Surface>): SurfaceChange[] {
  const changes: SurfaceChange[] = []
  const empty: Surface = { tools: {}, prompts: {}, resources: {}, resourceTemplates: {} }
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!(name in after)) changes.push({ kind: 'breaking', path: `server ${name}`, reason: 'server removed' })
    if (!(name in before))
      changes.push({ kind: 'compatible', path: `server ${name}`, reason: 'server added' })
    const prefix = Object.keys(after).length + Object.keys(before).length > 2 ? `${name}: ` : ''
    for (const change of diffSurface(before[name] ?? empty, after[name] ?? empty)) {
      if (name in before && name in after) changes.push({ ...change, path: prefix + change.path })
    }
  }
  return changes.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'breaking' ? -1 : 1))
}

function describeOutcome(outcome: Outcome): string {
  if (outcome.changes === undefined) {
    return `no surface snapshot stored for revision ${outcome.revision}, and none was written (CI mode, or --update=none). Run the test locally, or with -u, and commit the snapshot.`
  }
  const breaking = outcome.changes.filter((c) => c.kind === 'breaking').length
  const counts = `${breaking} breaking, ${outcome.changes.length - breaking} compatible`
  return `the surface on revision ${outcome.revision} changed (${counts}):\n${formatChanges(outcome.changes)}`
}

/** The matcher itself, for `expect.extend()`: `this` is Vitest's matcher state. */
export async function toMatchSurfaceSnapshot(
  this: MatcherState,
  received: unknown,
  options: SurfaceSnapshotOptions = {},
): Promise<{ pass: boolean; message: () => string }> {
  if (this.isNot) throw new TypeError('toMatchSurfaceSnapshot() cannot be used with .not')
  const failOn = options.failOn ?? 'any'
  if (failOn !== 'any' && failOn !== 'breaking') {
    throw new TypeError(
      `toMatchSurfaceSnapshot(): failOn: expected 'any' or 'breaking', got ${String(failOn)}`,
    )
  }
  if (!isHostManager(received)) throw new TypeError('toMatchSurfaceSnapshot() expects a HostManager')
  const surfaces = await captureSurfaces(received as unknown as SurfaceHost, options.server)
  const failed: Outcome[] = []
  for (const [revision, servers] of surfaces) {
    const outcome = compare(this, revision, servers)
    const tolerated = failOn === 'breaking' && outcome.changes?.every((c) => c.kind === 'compatible') === true
    if (!outcome.pass && !tolerated) failed.push(outcome)
  }
  return {
    pass: failed.length === 0,
    message: () =>
      `expected the host's surface to match its snapshot, but ${failed.map(describeOutcome).join('\n')}\n` +
      'If the change is intended, run Vitest with -u to update the snapshot.',
  }
}
