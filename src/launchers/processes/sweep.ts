// The one escalation for what a server leaves behind (its group after it exited, its escapees):
// SIGTERM, `termMs`, SIGKILL, then a bounded wait for the kernel.

import { pollUntil } from '../util/wait.js'
import { type ProcessInfo, signalSeen, stillRunning } from './process-table.js'

/**
 * How long to wait for processes to be gone after SIGKILL. SIGKILL cannot be ignored: this bound
 * only guards against uninterruptible (D-state) sleep and a loaded machine. The one value for every
 * SIGKILL wait (a server's group, the reaper, a test's leftover processes).
 */
export const KILL_WAIT_MS = 5000

export interface Sweep {
  /** Whose processes these are, for the error if they survive: `server "weather"`. */
  readonly owner: string
  readonly signal: (signal: 'SIGTERM' | 'SIGKILL') => void
  readonly gone: () => boolean
  /** The pids still there, for that error. */
  readonly left: () => readonly number[]
}

/**
 * Resolves once all are gone; throws (naming them) if even SIGKILL did not end them within
 * `KILL_WAIT_MS`.
 */
export async function sweep({ owner, signal, gone, left }: Sweep, termMs: number): Promise<void> {
  signal('SIGTERM')
  if (await pollUntil(gone, termMs)) return
  signal('SIGKILL')
  if (await pollUntil(gone, KILL_WAIT_MS)) return
  throw new Error(`processes of ${owner} survived SIGKILL: ${left().join(', ')}`)
}

/** `sweep()` over processes seen in a table: each signalled only while it is still the one seen. */
export function sweepSeen(owner: string, seen: readonly ProcessInfo[], termMs: number): Promise<void> {
  const signal = (name: 'SIGTERM' | 'SIGKILL') => {
    for (const p of seen) signalSeen(p, name)
  }
  const gone = () => !seen.some(stillRunning)
  const left = () => seen.filter(stillRunning).map((p) => p.pid)
  return sweep({ owner, signal, gone, left }, termMs)
}
