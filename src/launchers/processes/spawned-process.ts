// What the termination code needs to know of a spawned server process, and how it ended: a leaf
// module, so that the process (server-process.ts), its termination (terminate.ts, escapees.ts) and
// the errors naming its exit (errors.ts) all import it and none of them each other in a circle.
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import type { Timeline } from '../timeline.js'

/**
 * How a process or thread ended, as Node's `exit` event gives it: `null` for none (the one place
 * `null` stands for "none"; everything we show users, errors and handles, says `undefined`).
 */
export interface ExitInfo {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  /**
   * It closed its stdout while its process kept running: over as a server from then on (the host
   * stops the process). `code` and `signal` are null until that process has exited.
   */
  readonly stdoutClosed?: true
  /** Why it ended, when it said (a worker thread's uncaught error, or its heap limit reached). */
  readonly reason?: string
}

/** POSIX: the child leads a new process group, so one signal reaches everything it starts. */
export const ownProcessGroup = process.platform !== 'win32'

/** A server's OS process as its termination sees it (implemented by `ServerProcess`). */
export interface SpawnedProcess {
  readonly name: string
  readonly pid: number
  readonly child: ChildProcessWithoutNullStreams
  /** The value of `SERVER_TOKEN_VARIABLE` in its environment, inherited by its descendants. */
  readonly token: string
  readonly startTime: number | undefined
  readonly timeline: Timeline
  readonly exited: Promise<ExitInfo>
  readonly drained: Promise<void>
  readonly running: boolean
  readonly exit: ExitInfo | undefined
}
