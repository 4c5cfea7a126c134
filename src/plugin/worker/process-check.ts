// Finds the processes a test started (and their descendants) that outlived it, and kills them.
import {
  descendantsOf,
  listProcesses,
  type ProcessInfo,
  signalSeen,
  variableOf,
  withCommandLine,
} from '../../launchers/processes/process-table.js'
import { hasEnded, processesAbove } from '../../launchers/processes/recent-processes.js'
import { KILL_WAIT_MS } from '../../launchers/processes/sweep.js'
import { pollUntil } from '../../launchers/util/wait.js'
import { commandName } from '../../report/command-name.js'
import { type Leak, LeakError, siteOf } from '../../scope/index.js'
import { TEST_TOKEN_VARIABLE } from './spawn-hook.js'
import type { SpawnRecord, TestAttempt } from './test-attempt.js'

/** How long a process may take to be gone after the test before it counts as leaked. */
const EXIT_GRACE_MS = 200
/** The same for a process the test did signal (child.kill() without awaiting the exit): on a busy machine its handler may take a while. */
const SIGNALLED_GRACE_MS = 1000
/** The longest pause between two looks at the leftovers still in their grace (was 50 ms: ~25 ms late on average). */
const LEFTOVER_POLL_MS = 10

const PROCESS_HINT =
  'stop what the test starts before it ends: child.kill() and await its exit, or kill its whole ' +
  'process group (spawn it with detached: true, then process.kill(-child.pid)). A process meant ' +
  'to serve several tests belongs in beforeAll or globalSetup, which no test is charged for.'

/**
 * The token each process seen by a check carries ('' for none), by pid, with its start time (a pid
 * reused is another process). /proc/<pid>/environ shows the environment a process started with,
 * which does not change: each is read once per worker, not again at every check and every wait of
 * a check (a process made since a test's first spawn is seen by that test's check and by the
 * checks of tests that ran beside it).
 */
const tokensSeen = new Map<number, { readonly startTime: number | undefined; readonly token: string }>()
/** Past this many, the oldest half is forgotten (read again if seen again). */
const TOKENS_SEEN_MAX = 4096

function tokenOf(info: ProcessInfo): string {
  const seen = tokensSeen.get(info.pid)
  if (seen && seen.startTime === info.startTime && info.startTime !== undefined) return seen.token
  const token = variableOf(info.pid, TEST_TOKEN_VARIABLE) ?? ''
  if (tokensSeen.size >= TOKENS_SEEN_MAX) {
    let drop = TOKENS_SEEN_MAX / 2
    for (const pid of tokensSeen.keys()) {
      if (drop-- <= 0) break
      tokensSeen.delete(pid)
    }
  }
  tokensSeen.set(info.pid, { startTime: info.startTime, token })
  return token
}

interface Leftover {
  readonly info: ProcessInfo
  /** The spawn this process is, or descends from, when known. */
  readonly origin: SpawnRecord | undefined
}

/** The processes created since the test's first spawn, if Linux can tell them (`processesAbove`). */
function recentProcesses(run: TestAttempt): ProcessInfo[] | undefined {
  const [first, ...others] = run.spawned
  // A later child with a lower pid: the counter wrapped between them.
  if (!first || run.forksBefore === undefined || others.some((s) => s.pid < first.pid)) return undefined
  return processesAbove(first.pid - 1, run.forksBefore)
}

/**
 * The test's live processes: what it spawned, their descendants, and (Linux) anything carrying its
 * token. All of them started after the test's first spawn, so on Linux only the pids given out since
 * are read (`processesAbove`), command lines left out (`withCommandLine` adds them to what is reported).
 */
function leftovers(run: TestAttempt): Leftover[] {
  const table = (recentProcesses(run) ?? listProcesses({ commands: false })).filter(
    (p) => p.state !== 'Z' && p.pid !== process.pid,
  )
  const found = new Map<number, Leftover>()
  for (const origin of run.spawned) {
    // Exited: its pid, and so its "children", may be someone else's; its own children carry the token.
    if (origin.child.exitCode !== null || origin.child.signalCode !== null) continue
    const self = table.find((p) => p.pid === origin.pid)
    for (const info of [...(self ? [self] : []), ...descendantsOf(origin.pid, table)]) {
      if (!found.has(info.pid)) found.set(info.pid, { info, origin })
    }
  }
  // Descendants whose parent already exited were re-parented away; their environment still says whose they are.
  if (process.platform === 'linux') {
    // With a single spawn in the test, that spawn is where they came from.
    const only = run.spawned.length === 1 ? run.spawned[0] : undefined
    for (const info of table) {
      if (!found.has(info.pid) && tokenOf(info) === run.token) found.set(info.pid, { info, origin: only })
    }
  }
  return [...found.values()]
}

/**
 * SIGKILL at once: the test is over, nobody waits for a clean stop. To its whole group if it leads
 * one; never to a pid that now names another process (`signalSeen`).
 */
function kill(leftover: Leftover): void {
  signalSeen(leftover.info, 'SIGKILL')
}

function leakOf(run: TestAttempt, leftover: Leftover): Leak {
  const { info, origin } = leftover
  const direct = origin?.pid === info.pid
  const parent =
    direct || !origin ? '' : `, a descendant of pid ${origin.pid} (${commandName(origin.command)})`
  return {
    kind: 'process',
    // The command as the test spawned it, when this is that process; its program and script named.
    label: `pid ${info.pid}: ${commandName(direct ? origin.command : info.command)}`,
    createdIn: origin
      ? siteOf(run.label, origin.site)
      : {
          context: run.label,
          at: `a descendant of one of the ${run.spawned.length} processes the test spawned`,
        },
    ...(origin ? { frame: origin.site.frame } : {}),
    detail: `still running after the test${parent}; killed`,
    hint: PROCESS_HINT,
  }
}

/** Gone, or a zombie: a direct child's exit event (when Node has reaped it) spares the read. */
function ended(leftover: Leftover): boolean {
  const { info, origin } = leftover
  if (origin?.pid === info.pid && (origin.child.exitCode !== null || origin.child.signalCode !== null))
    return true
  return hasEnded(info)
}

/**
 * After the test (fixtures torn down): the processes it started that still run, as one
 * LeakError, all of them killed. Nothing to scan when the test spawned nothing: a process started
 * otherwise (spawnSync, a native addon) carries no token and was never found by this check.
 * Those still running get the grace to end; the wait reads only their own stat lines, and the
 * table is read again once they are gone (or the grace is over) for anything they started meanwhile.
 */
export async function checkProcesses(run: TestAttempt): Promise<LeakError | undefined> {
  if (run.spawned.length === 0 || process.platform === 'win32') return undefined
  let found = leftovers(run)
  if (found.length === 0) return undefined
  const signalled = found.some((s) => s.origin?.child.killed)
  const deadline = performance.now() + (signalled ? SIGNALLED_GRACE_MS : EXIT_GRACE_MS)
  while (found.length > 0 && performance.now() < deadline) {
    const waiting = found
    // One stat line per leftover a poll: polled often, the test is let go soon after they end.
    await pollUntil(() => waiting.every(ended), deadline - performance.now(), LEFTOVER_POLL_MS)
    found = leftovers(run)
  }
  if (found.length === 0) return undefined
  // Named by their full command lines, read while they still run.
  found = found.map((s) => ({ ...s, info: withCommandLine(s.info) }))
  for (const leftover of found) kill(leftover)
  await pollUntil(() => found.every(ended), KILL_WAIT_MS)
  return new LeakError(
    run.label,
    found.map((s) => leakOf(run, s)),
  )
}
