// At the run's end: how every file- and worker-scoped host ended. Its teardown's end line, or its
// worker's death (named at once, with what the worker's reaper killed), or a teardown timeout.

import { processInfo } from '../launchers/processes/process-table.js'
import type { ReapedLine, ReapedProcess } from '../launchers/processes/reaper-protocol.js'
import { pollUntil } from '../launchers/util/wait.js'
import { readSharedHostLines, type SharedHostLine, type WorkerId } from './report-file.js'

export type SharedEnd = Extract<SharedHostLine, { event: 'end' }>
type SharedStart = Extract<SharedHostLine, { event: 'start' }>

/** A worker that ended with hosts or servers of ours still running. */
export interface WorkerEnd {
  readonly worker: WorkerId
  /** Shared hosts it had started whose teardown never ran. */
  readonly hosts: readonly string[]
  /** Said goodbye to its reaper (Vitest stopped it) or not (killed, crashed). */
  readonly unexpected: boolean
  /** What its reaper found and killed; undefined if no report came in time. */
  readonly reaped: readonly ReapedProcess[] | undefined
}

export interface SharedHostOutcome {
  readonly ends: SharedEnd[]
  /** Workers that died before their shared hosts' teardowns, or ended with servers running. */
  readonly workers: WorkerEnd[]
}

/** A dead worker's reaper reports within its SIGTERM grace and SIGKILL; this bounds the wait for it. */
const REAPER_REPORT_MS = 3000

const keyOf = (w: WorkerId) => `${w.pid}:${w.threadId}`

/** The worker of a start line: given since 0.2, else read from its id (`pid-thread-n`). */
function workerOf(start: SharedStart): WorkerId {
  if (start.worker) return start.worker
  const [pid = 0, threadId = 0] = start.id.split('-').map(Number)
  return { pid, threadId }
}

/** A worker process other than this one that no longer runs (a zombie is gone too). */
function processGone(pid: number): boolean {
  if (pid === process.pid) return false
  const info = processInfo(pid)
  return info === undefined || info.state === 'Z'
}

/** What the report directory says so far; `since` remembers when each worker was first seen dead. */
function classify(dir: string, since: Map<string, number>) {
  const lines = readSharedHostLines(dir)
  const overdue = (key: string) => {
    const first = since.get(key) ?? performance.now()
    since.set(key, first)
    return performance.now() - first >= REAPER_REPORT_MS
  }
  const ended = new Set(lines.flatMap((l) => (l.event === 'end' ? [l.id] : [])))
  const reaped = new Map<string, ReapedLine>()
  const reaping = new Map<string, ReapedLine>()
  for (const l of lines) {
    if (l.event === 'reaped') reaped.set(keyOf(l.worker), l)
    else if (l.event === 'reaping') reaping.set(keyOf(l.worker), l)
  }
  // A reaper still killing: its final line is on its way (bounded).
  const reapers = [...reaping.keys()].filter((key) => !reaped.has(key) && !overdue(key))
  const waiting: SharedStart[] = []
  const died = new Map<string, SharedStart[]>()
  for (const start of lines) {
    if (start.event !== 'start' || ended.has(start.id)) continue
    const worker = workerOf(start)
    const key = keyOf(worker)
    const dead =
      reaped.has(key) ||
      (reaping.has(key) && !reapers.includes(key)) ||
      (processGone(worker.pid) && overdue(key))
    if (dead) died.set(key, [...(died.get(key) ?? []), start])
    else waiting.push(start)
  }
  return {
    lines,
    waiting,
    died,
    reaped: new Map([...reaping, ...reaped]),
    pending: waiting.length + reapers.length,
  }
}

/**
 * Reads the report directory until every started host has ended or its worker is known dead, and
 * every reaper that started killing has reported. Worker-scoped teardowns run one after another
 * after the run's end: wait while they progress, `waitMs` at most between two. A dead worker and
 * its reaper are waited for no longer than a reaper's report takes.
 */
export async function sharedHostOutcome(dir: string, waitMs: number): Promise<SharedHostOutcome> {
  const since = new Map<string, number>()
  let state = classify(dir, since)
  for (let left = state.pending; left > 0; left = state.pending) {
    const progressed = await pollUntil(() => {
      state = classify(dir, since)
      return state.pending < left
    }, waitMs)
    if (!progressed) break
  }
  const ends = state.lines.filter((l): l is SharedEnd => l.event === 'end')
  for (const start of state.waiting) ends.push(timedOut(start, waitMs))
  const workers: WorkerEnd[] = []
  const worker = (id: WorkerId, hosts: string[], line: ReapedLine | undefined): WorkerEnd => ({
    worker: id,
    hosts,
    unexpected: line?.unexpected ?? true,
    reaped: line?.event === 'reaped' ? line.reaped : undefined,
  })
  for (const [key, starts] of state.died) {
    const first = starts[0]
    if (first)
      workers.push(
        worker(
          workerOf(first),
          starts.map((s) => s.host),
          state.reaped.get(key),
        ),
      )
  }
  // Reaped without a host left hanging: servers of a host never shut down, or of a test-scoped one.
  for (const [key, line] of state.reaped) {
    if (!state.died.has(key)) workers.push(worker(line.worker, [], line))
  }
  return { ends, workers }
}

function timedOut(start: SharedStart, waitMs: number): SharedEnd {
  return {
    event: 'end',
    id: start.id,
    summary: { host: start.host, teardownMs: waitMs, requests: [], servers: [], problems: [] },
    errors: [
      {
        name: 'TeardownTimeoutError',
        message: `${start.host} did not report the end of its teardown within ${waitMs} ms (teardownTimeout + 5 s) of the run's end or of the last teardown that did.`,
      },
    ],
  }
}

/** Whether the worker crashed (or was killed) rather than being stopped by Vitest. */
export function diedUnexpectedly(end: WorkerEnd): boolean {
  return end.hosts.length > 0 || end.unexpected
}

/**
 * One report entry: `worker exited unexpectedly; reaped: server "x" (pid 1), pid 2 (sleep 9)`, and
 * the shared hosts whose teardown never ran.
 */
export function describeWorkerEnd(end: WorkerEnd): string {
  const how = diedUnexpectedly(end) ? 'exited unexpectedly' : 'exited with processes still running'
  const reaped = end.reaped?.map((p) =>
    p.label.startsWith('server "')
      ? `${p.label} (pid ${p.pid}${p.exited ? ', had exited' : ''})`
      : `pid ${p.pid} (${p.label})`,
  )
  const what =
    reaped === undefined
      ? 'unknown (its reaper did not report in time)'
      : reaped.length > 0
        ? reaped.join(', ')
        : 'nothing (what it had started had exited)'
  const lines = [`worker ${how}; reaped: ${what}`]
  if (end.hosts.length > 0) lines.push(`teardown never ran for: ${end.hosts.join(', ')}`)
  return lines.join('\n')
}
