// The one termination escalation: stdin close, grace, SIGTERM to the group, grace, SIGKILL. A server
// that does not read stdin (a spawned HTTP server) starts at SIGTERM.

import type { ShutdownOptions } from '../server-config.js'
import { settlesWithin } from '../util/wait.js'
import { familyOf, sweepEscapees } from './escapees.js'
import { displayCommand, groupMembers, type ProcessInfo } from './process-table.js'
import { type ExitInfo, ownProcessGroup, type SpawnedProcess } from './spawned-process.js'
import { KILL_WAIT_MS, sweep } from './sweep.js'

/** How the stop went, as data for reports. */
export interface StopReport {
  readonly exit: ExitInfo
  /**
   * Signals the leader needed beyond its ordinary stop (stdin close; for a server that does not read
   * stdin, SIGTERM); empty for a cooperative server.
   */
  readonly signals: readonly NodeJS.Signals[]
  /**
   * Processes the server left running after it exited, all killed: those of its group, and its
   * descendants that left the group (a new session), found by its token or seen before the stop.
   */
  readonly leftovers: readonly ProcessInfo[]
  readonly durationMs: number
}

export const DEFAULT_SHUTDOWN: Required<ShutdownOptions> = { graceMs: 500, termMs: 500 }

const DRAIN_MS = 100

export function signalGroup(proc: SpawnedProcess, signal: NodeJS.Signals): void {
  try {
    if (ownProcessGroup) process.kill(-proc.pid, signal)
    else proc.child.kill(signal)
  } catch {
    // ESRCH: the group emptied between our check and the signal.
  }
}

/** How a server is asked to stop first: its stdin closed (stdio), or SIGTERM (it does not read stdin). */
export type StopBy = 'stdin' | 'SIGTERM'

export async function stopProcessGroup(
  proc: SpawnedProcess,
  { graceMs, termMs }: Required<ShutdownOptions>,
  by: StopBy = 'stdin',
): Promise<StopReport> {
  const started = performance.now()
  // Before anything is signalled: once the server is gone, its children's parent links are too.
  const family = ownProcessGroup ? familyOf(proc) : []
  const signals: NodeJS.Signals[] = []
  const escalate = async (signal: 'SIGTERM' | 'SIGKILL', waitMs: number) => {
    if (!proc.running) return
    signals.push(signal)
    proc.timeline.record(signal)
    signalGroup(proc, signal)
    await settlesWithin(proc.exited, waitMs)
  }

  if (proc.running && by === 'stdin') {
    proc.timeline.record('stdin-close')
    proc.child.stdin.end()
    await settlesWithin(proc.exited, graceMs)
    await escalate('SIGTERM', termMs)
  } else if (proc.running) {
    // Its ordinary stop: not a signal it "needed".
    proc.timeline.record('SIGTERM')
    signalGroup(proc, 'SIGTERM')
    await settlesWithin(proc.exited, termMs)
  }
  await escalate('SIGKILL', KILL_WAIT_MS)
  const exit = proc.exit
  if (!exit) throw new Error(`process ${proc.pid} of server "${proc.name}" survived SIGKILL`)

  const leftovers = ownProcessGroup ? await sweepGroup(proc, termMs) : []
  if (ownProcessGroup) {
    const reported = new Set(leftovers.map((o) => o.pid))
    const outside = family.filter((p) => !reported.has(p.pid))
    leftovers.push(...(await sweepEscapees(proc, outside, termMs)).filter((p) => !reported.has(p.pid)))
  }
  // The group is gone: what is still in the pipes arrives at once; then our ends are closed.
  await settlesWithin(proc.drained, DRAIN_MS)
  proc.child.stdout.destroy()
  proc.child.stderr.destroy()
  proc.child.stdin.destroy()
  const durationMs = performance.now() - started
  proc.timeline.record('stopped', `${Math.round(durationMs)} ms`)
  return { exit, signals, leftovers, durationMs }
}

/** Kills what the server left in its group after exiting; returns what it found. */
async function sweepGroup(proc: SpawnedProcess, termMs: number): Promise<ProcessInfo[]> {
  const leftovers = groupMembers(proc.pid)
  if (leftovers.length === 0) return []
  proc.timeline.record(
    'leftover-processes',
    leftovers.map((o) => `${o.pid} ${displayCommand(o.command)}`).join('; '),
  )
  await sweep(
    {
      owner: `server "${proc.name}"`,
      signal: (signal) => signalGroup(proc, signal),
      gone: () => groupMembers(proc.pid).length === 0,
      left: () => groupMembers(proc.pid).map((p) => p.pid),
    },
    termMs,
  )
  return leftovers
}
