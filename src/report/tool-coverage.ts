// Tool coverage across a run: each worker appends what its hosts' servers advertised and were called
// for (host/tool-usage.ts) to its own file in the report directory; the reporter merges them into
// one summary per server (by its name and what it runs) and per tool.
import { appendFileSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { threadId } from 'node:worker_threads'
import { MAX_SAMPLES, type ServerToolUsage } from '../host/tool-usage.js'

const PREFIX = 'tools-'

/** Appends `usage` (a take's delta) to this worker's file; nothing when there is nothing. */
export function writeToolUsage(reportDir: string, usage: readonly ServerToolUsage[]): void {
  if (usage.length === 0) return
  appendFileSync(join(reportDir, `${PREFIX}${process.pid}-${threadId}.jsonl`), `${JSON.stringify(usage)}\n`)
}

/** Watch mode runs again in the same directory: the last run's usage is not this run's. */
export function clearToolUsage(reportDir: string): void {
  for (const file of readdirSync(reportDir)) {
    if (file.startsWith(PREFIX)) rmSync(join(reportDir, file), { force: true })
  }
}

/** A server as the summary names it: its config name, what it runs, and the label the section shows. */
export interface ServerId {
  /** Its name in the config. */
  readonly server: string
  /** What it runs: command line, URL or worker module. */
  readonly identity: string
  /** `server`, or `server (identity)` when two servers of one name ran different things. */
  readonly label: string
}

export interface ToolTiming extends ServerId {
  readonly tool: string
  readonly count: number
  readonly errors: number
  readonly p50Ms: number
  readonly p95Ms: number
  readonly maxMs: number
}

export interface ServerCoverage extends ServerId {
  readonly advertised: readonly string[]
  readonly called: readonly string[]
  readonly notCalled: readonly string[]
  /** Called of advertised, 0–100, one decimal. */
  readonly percent: number
}

/** The machine-readable summary (the file the reporter writes; its shape is documented). */
export interface ToolCoverageSummary {
  readonly version: 1
  readonly min: number | undefined
  /** Servers whose tools were listed at least once, by name. */
  readonly servers: readonly ServerCoverage[]
  /** The labels of the servers below `min`. */
  readonly failing: readonly string[]
  /** Servers called (through `client(name)`) whose tools were never listed: not counted. */
  readonly unlisted: readonly (ServerId & { readonly called: readonly string[] })[]
  /** Every tool called, slowest p95 first. */
  readonly timings: readonly ToolTiming[]
}

interface Merged {
  name: string
  identity: string
  listed: Set<string>
  calls: Map<string, { count: number; errors: number; maxMs: number; timed: number; samplesMs: number[] }>
}

/** Every worker's lines, merged per server (name and identity). Lines that do not parse are skipped. */
export function readToolUsage(reportDir: string): Merged[] {
  const merged = new Map<string, Merged>()
  let files: string[] = []
  try {
    files = readdirSync(reportDir).filter((f) => f.startsWith(PREFIX))
  } catch {
    return []
  }
  for (const file of files) {
    for (const line of readFileSync(join(reportDir, file), 'utf8').split('\n')) {
      if (line === '') continue
      let usage: ServerToolUsage[]
      try {
        usage = JSON.parse(line) as ServerToolUsage[]
      } catch {
        continue // a worker killed mid-write
      }
      for (const server of usage) {
        const key = `${server.name}\0${server.identity}`
        let into = merged.get(key)
        if (!into) {
          into = { name: server.name, identity: server.identity, listed: new Set(), calls: new Map() }
          merged.set(key, into)
        }
        for (const tool of server.listed) into.listed.add(tool)
        for (const [tool, stats] of Object.entries(server.calls)) {
          const was = into.calls.get(tool)
          if (!was) {
            into.calls.set(tool, { ...stats, samplesMs: [...stats.samplesMs] })
            continue
          }
          was.count += stats.count
          was.errors += stats.errors
          was.samplesMs = merged2(was, stats)
          was.timed += stats.timed
          was.maxMs = Math.max(was.maxMs, stats.maxMs)
        }
      }
    }
  }
  return [...merged.values()]
}

/** `count` of `samples` picked uniformly (a partial Fisher–Yates shuffle of a copy). */
function pick(samples: readonly number[], count: number): number[] {
  if (count >= samples.length) return [...samples]
  const copy = [...samples]
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(Math.random() * (copy.length - i))
    const picked = copy[j] as number
    copy[j] = copy[i] as number
    copy[i] = picked
  }
  return copy.slice(0, count)
}

/**
 * The samples of two records of one tool, at most MAX_SAMPLES, each side's share in proportion to
 * the calls it stands for (`timed`): the percentiles stay those of all calls, however the run's
 * calls were split between workers and flushes.
 */
function merged2(a: { timed: number; samplesMs: number[] }, b: { timed: number; samplesMs: number[] }) {
  if (a.samplesMs.length + b.samplesMs.length <= MAX_SAMPLES) return [...a.samplesMs, ...b.samplesMs]
  const total = a.timed + b.timed
  const fromA = Math.min(a.samplesMs.length, Math.round((MAX_SAMPLES * a.timed) / Math.max(1, total)))
  return [...pick(a.samplesMs, fromA), ...pick(b.samplesMs, MAX_SAMPLES - fromA)]
}

/** The `p`-th percentile (nearest rank) of `sorted`, ascending. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0
}

const round = (ms: number) => Math.round(ms * 10) / 10

export function summarizeToolCoverage(
  merged: readonly Merged[],
  min: number | undefined,
): ToolCoverageSummary {
  const names = new Map<string, number>()
  for (const m of merged) names.set(m.name, (names.get(m.name) ?? 0) + 1)
  const idOf = (m: Merged): ServerId => ({
    server: m.name,
    identity: m.identity,
    label: (names.get(m.name) ?? 0) > 1 ? `${m.name} (${m.identity})` : m.name,
  })
  const servers: ServerCoverage[] = []
  const unlisted: ToolCoverageSummary['unlisted'][number][] = []
  const timings: ToolTiming[] = []
  for (const m of [...merged].sort((a, b) => idOf(a).label.localeCompare(idOf(b).label))) {
    const id = idOf(m)
    for (const [tool, stats] of m.calls) {
      const sorted = [...stats.samplesMs].sort((a, b) => a - b)
      timings.push({
        ...id,
        tool,
        count: stats.count,
        errors: stats.errors,
        p50Ms: round(percentile(sorted, 50)),
        p95Ms: round(percentile(sorted, 95)),
        maxMs: round(stats.maxMs),
      })
    }
    // Servers whose tools were never listed are not counted (nothing to cover against).
    if (m.listed.size === 0) {
      if (m.calls.size > 0) unlisted.push({ ...id, called: [...m.calls.keys()].sort() })
      continue
    }
    const advertised = [...m.listed].sort()
    const called = advertised.filter((tool) => (m.calls.get(tool)?.count ?? 0) > 0)
    const notCalled = advertised.filter((tool) => !called.includes(tool))
    // Rounded down: a server at 79.96 % is not shown as meeting 80.
    const percent = Math.floor((called.length / advertised.length) * 1000) / 10
    servers.push({ ...id, advertised, called, notCalled, percent })
  }
  timings.sort((a, b) => b.p95Ms - a.p95Ms || b.maxMs - a.maxMs)
  const failing = min === undefined ? [] : servers.filter((s) => s.percent < min).map((s) => s.label)
  return { version: 1, min, servers, failing, unlisted, timings }
}
