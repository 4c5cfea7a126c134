// Finds and kills what a server started outside its process group (a new session, a double fork).
import { randomBytes } from 'node:crypto'
import {
  carriesVariable,
  descendantsOf,
  displayCommand,
  listProcesses,
  type ProcessInfo,
  stillRunning,
  withCommandLine,
} from './process-table.js'
import type { SpawnedProcess } from './spawned-process.js'
import { sweepSeen } from './sweep.js'

/**
 * Set in every spawned server's environment to a token of that server. Its descendants inherit it
 * (unless they clear their environment), so they are found after leaving its process group, even
 * once re-parented away from it. Read from /proc/<pid>/environ: Linux only.
 */
export const SERVER_TOKEN_VARIABLE = 'VITEST_MCP_HOST_SERVER'

export function newServerToken(): string {
  return randomBytes(12).toString('hex')
}

/** Processes of `table` carrying `proc`'s token, other than the server itself. */
function tokenCarriers(proc: SpawnedProcess, table: readonly ProcessInfo[]): ProcessInfo[] {
  // A descendant started after the server: older processes need no environ read (a cheap filter
  // that keeps this to the few processes started since, on a machine with many).
  const young = (p: ProcessInfo) =>
    proc.startTime === undefined || p.startTime === undefined || p.startTime >= proc.startTime
  return table.filter(
    (p) =>
      p.pid !== proc.pid &&
      p.state !== 'Z' &&
      young(p) &&
      carriesVariable(p.pid, SERVER_TOKEN_VARIABLE, proc.token),
  )
}

/**
 * The server's descendants by parent links, seen while it runs (once it has exited, its children
 * are re-parented and its pid may become another's). Taken before the stop: a descendant that
 * cleared its environment is known by this alone once its parent has gone.
 */
export function familyOf(proc: SpawnedProcess): ProcessInfo[] {
  if (!proc.running) return []
  // Parent links and start times only: command lines are read for the few found.
  return descendantsOf(proc.pid, listProcesses({ commands: false })).map(withCommandLine)
}

/**
 * After the server and its group are gone: what is left of `family` (seen before the stop) and
 * whatever carries the server's token (wherever it was re-parented to), all killed (SIGTERM,
 * `termMs`, SIGKILL). Returns what it found.
 */
export async function sweepEscapees(
  proc: SpawnedProcess,
  family: readonly ProcessInfo[],
  termMs: number,
): Promise<ProcessInfo[]> {
  const found = new Map<number, ProcessInfo>()
  const carriers = tokenCarriers(proc, listProcesses({ commands: false })).map(withCommandLine)
  for (const p of [...family, ...carriers]) {
    if (!found.has(p.pid) && stillRunning(p)) found.set(p.pid, p)
  }
  const escapees = [...found.values()]
  if (escapees.length === 0) return []
  proc.timeline.record(
    'leftover-processes',
    `outside its process group: ${escapees.map((o) => `${o.pid} ${displayCommand(o.command)}`).join('; ')}`,
  )
  await sweepSeen(`server "${proc.name}"`, escapees, termMs)
  return escapees
}
