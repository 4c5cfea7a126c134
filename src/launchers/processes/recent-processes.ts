// Processes a test started, found without reading the whole table: the plugin's per-test check.
// A full scan reads every process's stat, command line and environment (60-150 ms here under load,
// BENCHMARKS.md); what a test started has a pid above its first child's, as Linux gives pids out in
// increasing order until its counter wraps at pid_max.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
// From the module, not the global: a test's fake timers must not move this clock.
import { performance } from 'node:perf_hooks'
import { fromProcEntry, type ProcessInfo, processInfo } from './process-table.js'

/** A count read this recently stands in for a fresh one where an earlier count is safe (`forksSoFar`). */
const FORKS_REUSE_MS = 1000

/**
 * Up to this many pids given out since the mark are asked for one by one (a missing one costs an
 * access() call, ~3 us) rather than listing /proc (~200 us of CPU here, whatever the table's size).
 */
const PROBE_MAX = 64

let lastForks: { readonly count: number; readonly at: number } | undefined

/** How many tasks the kernel has created since boot (Linux; threads too, they take pids). */
export function forkCount(): number | undefined {
  if (process.platform !== 'linux') return undefined
  try {
    const [, forks = ''] = /^processes\s+(\d+)/m.exec(readFileSync('/proc/stat', 'latin1')) ?? []
    const count = Number(forks) || undefined
    if (count !== undefined) lastForks = { count, at: performance.now() }
    return count
  } catch {
    return undefined
  }
}

/**
 * `forkCount()` as read at most a second ago (the last test's check read it), else read now. An
 * earlier count only makes `processesAbove` more careful (more creations seem to have happened since),
 * and it spares the spawn path the /proc/stat read (~100-170 us of CPU here).
 */
export function forksSoFar(): number | undefined {
  if (lastForks && performance.now() - lastForks.at < FORKS_REUSE_MS) return lastForks.count
  return forkCount()
}

let pidMaxRead: number | undefined

function pidMax(): number {
  if (pidMaxRead === undefined) {
    try {
      pidMaxRead = Number(readFileSync('/proc/sys/kernel/pid_max', 'latin1')) || 32768
    } catch {
      pidMaxRead = 32768 // the kernel's smallest default
    }
  }
  return pidMaxRead
}

/**
 * Every process (zombies included, command lines not read: `withCommandLine`) with a pid above
 * `floor`: those created after the process `floor` was given to, when `forks` (`forkCount()`, taken
 * before it was created) shows the pid counter cannot have gone round since. Undefined when that
 * may not hold (then scan the whole table): not Linux, the counter is below `floor` (it wrapped), or
 * enough tasks were created to go round (with L pids in use a full turn takes about pid_max - 2L
 * creations; asked: fewer than half pid_max minus 2L, which covers a burst of tasks meanwhile).
 * When few pids were given out since, each is asked for (threads left out) instead of listing /proc.
 */
export function processesAbove(floor: number, forks: number): ProcessInfo[] | undefined {
  if (process.platform !== 'linux') return undefined
  let lastPid: number
  let tasks: number
  try {
    // "0.20 0.18 0.12 1/80 11206": runnable/total tasks, then the last pid given out (this namespace's).
    const match = /\d+\/(\d+)\s+(\d+)/.exec(readFileSync('/proc/loadavg', 'latin1'))
    tasks = Number(match?.[1])
    lastPid = Number(match?.[2])
  } catch {
    return undefined
  }
  const now = forkCount()
  if (!(lastPid >= floor) || now === undefined || now - forks >= pidMax() / 2 - 2 * tasks) return undefined
  const pids =
    lastPid - floor <= PROBE_MAX
      ? Array.from({ length: lastPid - floor }, (_, i) => floor + 1 + i).filter((pid) =>
          existsSync(`/proc/${pid}`),
        )
      : readdirSync('/proc')
          .map(Number) // NaN for `self`, `net`, ...
          .filter((pid) => pid > floor)
  const result: ProcessInfo[] = []
  for (const pid of pids) {
    const info = fromProcEntry(pid, false)
    if (info) result.push(info)
  }
  return result
}

/** `seen` has ended: gone, a zombie, or its pid now names a later process. One read on Linux. */
export function hasEnded(seen: ProcessInfo): boolean {
  const now = process.platform === 'linux' ? fromProcEntry(seen.pid, false) : processInfo(seen.pid)
  if (!now || now.state === 'Z') return true
  if (seen.startTime !== undefined && now.startTime !== undefined) return now.startTime !== seen.startTime
  return process.platform !== 'linux' && now.command !== seen.command
}

/** When `pid` started (`ProcessInfo.startTime`), from its stat line alone on Linux. */
export function startTimeOf(pid: number): number | undefined {
  return (process.platform === 'linux' ? fromProcEntry(pid, false) : processInfo(pid))?.startTime
}
