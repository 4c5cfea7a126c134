// Tool coverage across a run: each test file carries what its hosts' servers advertised and were
// called for (host/records/tool-usage.ts), in its task meta, so it reaches the reporter from every worker and
// from every shard's blob (`--merge-reports`); the reporter merges them into one summary per server
// (by its name and what it runs) and per tool.
import { MAX_SAMPLES, type ServerToolUsage } from '../host/records/tool-usage.js'
import type { BudgetSummary } from './tool-budgets.js'

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
  /** Calls given up at their timeout: in the percentiles at the time until then (a lower bound). */
  readonly timeouts: number
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

/**
 * A run that is one part of a larger one, whose coverage is partial: a shard (`--shard`), or a run
 * writing a blob for `--merge-reports`. `min` is judged on the whole (the merged run) only.
 */
export interface RunPart {
  /** `index/count` of `--shard`. */
  readonly shard?: string
  /** The run writes a blob report (`--reporter=blob`). */
  readonly blob: boolean
}

/** The machine-readable summary (the file the reporter writes; its shape is documented). */
export interface ToolCoverageSummary {
  readonly version: 1
  readonly min: number | undefined
  /** Present when this run is a part of a larger one: then nothing fails against `min` here. */
  readonly part?: RunPart
  /** Servers whose tools were listed at least once, by name. */
  readonly servers: readonly ServerCoverage[]
  /** The labels of the servers below `min` (none in a part). */
  readonly failing: readonly string[]
  /** In a part: the labels of the servers below `min` in this part alone (the whole may reach it). */
  readonly belowMinInPart?: readonly string[]
  /** Servers called (through `client(name)`) whose tools were never listed: not counted. */
  readonly unlisted: readonly (ServerId & { readonly called: readonly string[] })[]
  /** Every tool called, slowest p95 first. */
  readonly timings: readonly ToolTiming[]
  /**
   * With `budgets`: each budget against the tools it names, and the budgets no called tool matched.
   * An overrun fails a whole run; in a part it is listed only (the whole's percentiles may differ).
   */
  readonly budgets?: BudgetSummary
}

interface Merged {
  name: string
  identity: string
  listed: Set<string>
  calls: Map<string, ServerToolUsage['calls'][string]>
}

/** The records of every test file (of every worker and shard), merged per server (name and identity). */
export function mergeToolUsage(parts: Iterable<readonly ServerToolUsage[]>): Merged[] {
  const merged = new Map<string, Merged>()
  for (const usage of parts) {
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
        was.timeouts += stats.timeouts
        was.samplesMs = merged2(was, stats)
        was.timed += stats.timed
        was.maxMs = Math.max(was.maxMs, stats.maxMs)
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
  part?: RunPart,
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
        timeouts: stats.timeouts,
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
  const below = min === undefined ? [] : servers.filter((s) => s.percent < min).map((s) => s.label)
  if (part) return { version: 1, min, part, servers, failing: [], belowMinInPart: below, unlisted, timings }
  return { version: 1, min, servers, failing: below, unlisted, timings }
}
