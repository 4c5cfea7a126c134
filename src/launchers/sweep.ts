// The one escalation for what a server leaves behind (its group after it exited, its escapees):
// SIGTERM, `termMs`, SIGKILL, then a bounded wait for the kernel.

import { pollUntil } from './wait.js'

/** SIGKILL cannot be ignored; this bound only guards against uninterruptible (D-state) sleep. */
export const KILL_WAIT_MS = 5000

export interface Sweep {
  /** The server whose processes these are, for the error if they survive. */
  readonly server: string
  readonly signal: (signal: 'SIGTERM' | 'SIGKILL') => void
  readonly gone: () => boolean
  /** The pids still there, for that error. */
  readonly left: () => readonly number[]
}

/** Resolves once all are gone; throws (naming them) if even SIGKILL did not end them in time. */
export async function sweep({ server, signal, gone, left }: Sweep, termMs: number): Promise<void> {
  signal('SIGTERM')
  if (await pollUntil(gone, termMs)) return
  signal('SIGKILL')
  if (await pollUntil(gone, KILL_WAIT_MS)) return
  throw new Error(`processes of server "${server}" survived SIGKILL: ${left().join(', ')}`)
}
