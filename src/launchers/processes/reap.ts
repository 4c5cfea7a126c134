// What a dead client left running: every process of what it watched, found by identity, killed.
import {
  carriesVariable,
  descendantsOf,
  displayCommand,
  listProcesses,
  type ProcessInfo,
  signalSeen,
  stillRunning,
  withCommandLine,
} from './process-table.js'
import type { ReapedProcess, Watched } from './reaper-protocol.js'
import { sweep } from './sweep.js'

/** The runner is gone and nobody waits for a clean stop: SIGTERM gets at most this long. */
const MAX_TERM_MS = 1000
const DEFAULT_TERM_MS = 500
/** Bounds the freeze: each round stops what the last one found; a stopped process starts nothing. */
const MAX_FREEZE_ROUNDS = 10

/** Whether `p` (the process now at the watched pid) is the one watched, not a later one. */
function isWatched(watched: Watched, p: ProcessInfo): boolean {
  if (watched.startTime !== undefined && p.startTime !== undefined) return p.startTime === watched.startTime
  // No start times (not on this OS): its token, where the OS shows environments; else not provably ours.
  const { token } = watched
  return token !== undefined && carriesVariable(p.pid, token.name, token.value)
}

/**
 * The live processes of `watched` in `table`: itself if it is still the process watched, the
 * members of the process group it leads (a group id is not reused while any member lives), their
 * descendants by parent links, and (Linux) whatever carries its token, wherever it went.
 */
export function leftoversOf(watched: Watched, table: readonly ProcessInfo[]): ProcessInfo[] {
  const live = table.filter((p) => p.state !== 'Z' && p.pid !== process.pid)
  const found = new Map<number, ProcessInfo>()
  const add = (p: ProcessInfo) => found.set(p.pid, p)
  const entry = table.find((p) => p.pid === watched.pid)
  const { token } = watched
  const carries = (p: ProcessInfo) => token !== undefined && carriesVariable(p.pid, token.name, token.value)
  // Its pid names another process now: the group of that pid is that process's business.
  if (entry === undefined || isWatched(watched, entry)) {
    if (entry && entry.state !== 'Z') add(entry)
    if (watched.leader) {
      // While it (or its zombie) is there, its group is its own. Once it is gone, the group id may
      // have been emptied and reused by another session: only members carrying its token are its.
      const own = entry !== undefined || process.platform !== 'linux'
      for (const p of live) if (p.pgid === watched.pid && (own || carries(p))) add(p)
    }
    for (const p of [...found.values()]) for (const d of descendantsOf(p.pid, live)) add(d)
  }
  if (token && process.platform === 'linux') {
    // Started after it (a cheap filter before reading environments) and carrying its token.
    const young = (p: ProcessInfo) =>
      watched.startTime === undefined || p.startTime === undefined || p.startTime >= watched.startTime
    for (const p of live) {
      if (!found.has(p.pid) && young(p) && carries(p)) add(p)
    }
  }
  return [...found.values()]
}

/**
 * Everything of `watched` alive now, each stopped (SIGSTOP) as it is found, the table read again
 * until a read finds nothing new: a process being started while the table was read (a double fork's
 * last child) is found through its stopped parent, and nothing stopped can start another, or exit
 * and take its children's parent links with it.
 */
function freeze(watched: readonly Watched[]): Map<number, ProcessInfo> {
  const found = new Map<number, ProcessInfo>()
  for (let round = 0; round < MAX_FREEZE_ROUNDS; round++) {
    const table = listProcesses({ commands: false })
    const fresh = watched.flatMap((w) => leftoversOf(w, table)).filter((p) => !found.has(p.pid))
    if (fresh.length === 0) break
    for (const p of fresh) {
      found.set(p.pid, p)
      signalSeen(p, 'SIGSTOP')
    }
  }
  return found
}

/** Servers are named by their label wherever they are found; a test's own child by its command. */
const isServer = (w: Watched) => w.kind === 'server'

/**
 * Kills everything of `watched` still alive: stopped first (freeze()), then SIGTERM (with SIGCONT,
 * or it would wait), the longest `termMs` asked for (capped), SIGKILL. Returns what it found, named
 * for a report, and the watched servers that had already exited on their own (`exited`). Never
 * signals a pid whose process changed.
 */
export async function reap(watched: readonly Watched[]): Promise<ReapedProcess[]> {
  if (watched.length === 0 || process.platform === 'win32') return []
  const found = freeze(watched)
  // One process may be watched twice (a server spawned inside a checked test): its server name wins.
  const labels = new Map<number, string>()
  for (const w of [...watched].sort((a, b) => Number(isServer(a)) - Number(isServer(b))))
    labels.set(w.pid, w.label)
  const victims = [...found.values()]
  const reaped: ReapedProcess[] = victims.map((p) => ({
    pid: p.pid,
    label: labels.get(p.pid) ?? displayCommand(withCommandLine(p).command),
  }))
  // Servers that were in use when the client died but had ended (stdin closed): named all the same.
  for (const w of watched) {
    if (isServer(w) && !found.has(w.pid) && !reaped.some((r) => r.pid === w.pid))
      reaped.push({ pid: w.pid, label: w.label, exited: true })
  }
  if (victims.length === 0) return reaped
  const termMs = Math.min(MAX_TERM_MS, Math.max(...watched.map((w) => w.termMs ?? DEFAULT_TERM_MS)))
  const signal = (name: 'SIGTERM' | 'SIGKILL') => {
    for (const p of victims) signalSeen(p, name)
    if (name === 'SIGTERM') for (const p of victims) signalSeen(p, 'SIGCONT')
  }
  const left = () => victims.filter(stillRunning)
  // A process that survives SIGKILL (uninterruptible sleep) is named in the report all the same;
  // nobody is left to throw to.
  await sweep(
    {
      owner: 'the dead runner',
      signal,
      gone: () => left().length === 0,
      left: () => left().map((p) => p.pid),
    },
    termMs,
  ).catch(() => {})
  return reaped
}
