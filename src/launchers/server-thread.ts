// A worker server's thread as its host sees it: the task running it, how it ended, its output and files.

import type { MessagePortTransport, PortEnvelope } from './message-port-transport.js'
import type { ShutdownOptions } from './server-config.js'
import type { ExitInfo } from './spawned.js'
import { TailBuffer } from './tail-buffer.js'
import type { Timeline } from './timeline.js'
import { settlesWithin } from './wait.js'

/** How long a closed port waits for its thread's exit code before the server counts as ended. */
const EXIT_CODE_WAIT_MS = 100

/** Subscribes to the exit of the pool thread `threadId`; returns the unsubscribe, or undefined if there is none. */
export type WatchExit = (threadId: number, onExit: (code: number) => void) => (() => void) | undefined

/**
 * One server's task in a pool thread. `ended` resolves when the server is over without being asked
 * (its thread exited, or its port closed); `stop()` closes its port, then past `graceMs` terminates
 * the thread (a busy loop cannot hold it), waiting at most `termMs` for the thread to exit.
 */
export class ServerThread {
  readonly output = new TailBuffer()
  readonly ended: Promise<void>
  readonly #timeline: Timeline
  readonly #watchExit: WatchExit
  #unwatch: () => void = () => {}
  readonly #abort = new AbortController()
  #task: Promise<unknown> = Promise.resolve()
  #settled = false
  #transport: MessagePortTransport | undefined
  #files: Record<string, string> | undefined
  #ending: ExitInfo | undefined
  #threadExit: Promise<number> | undefined
  #end: () => void = () => {}
  #stopping: Promise<undefined> | undefined

  constructor(timeline: Timeline, files: Record<string, string> | undefined, watchExit: WatchExit) {
    this.#timeline = timeline
    this.#files = files && { ...files }
    this.#watchExit = watchExit
    this.ended = new Promise((resolve) => {
      this.#end = resolve
    })
  }

  /** The pool's task; it settles when the server closed (or rejects: it failed, or was ended). */
  get task(): Promise<unknown> {
    return this.#task
  }

  /** Aborting it ends the task: tinypool terminates the thread running it. */
  get signal(): AbortSignal {
    return this.#abort.signal
  }

  /** Called once, with the pool's promise of the task and the host's side of its port. */
  running(task: Promise<unknown>, transport: MessagePortTransport): void {
    this.#transport = transport
    this.#task = task.finally(() => {
      this.#settled = true
    })
    // Its failure is read by whoever awaits `task`; here only its end matters.
    this.#task.catch(() => {})
  }

  /** How it ended on its own: the thread's exit code; undefined while it serves. */
  get ending(): ExitInfo | undefined {
    return this.#ending
  }

  /** The in-memory volume's files as of the server's last answer; {} without a volume. */
  files(): Record<string, string> {
    return { ...this.#files }
  }

  /** An envelope from the thread that is not protocol. */
  receive(envelope: PortEnvelope): void {
    if (envelope.kind === 'output') this.output.push(envelope.text)
    else if (envelope.kind === 'files') this.#files = envelope.files
    else if (envelope.kind === 'thread') this.#watch(envelope.threadId)
  }

  #watch(threadId: number): void {
    this.#timeline.record('thread', `id ${threadId}`)
    let exited: (code: number) => void = () => {}
    const unwatch = this.#watchExit(threadId, (code) => exited(code))
    if (!unwatch) return
    this.#unwatch = unwatch
    this.#threadExit = new Promise((resolve) => {
      exited = resolve
    })
    void this.#threadExit.then((code) => this.#ended({ code, signal: null }))
  }

  /** Its port closed without our asking: its thread is exiting (or the server closed it). */
  async portClosed(): Promise<void> {
    if (this.#threadExit) await settlesWithin(this.#threadExit, EXIT_CODE_WAIT_MS)
    this.#ended({ code: null, signal: null })
  }

  #ended(exit: ExitInfo): void {
    if (this.#ending) return
    this.#timeline.record('exit', `thread exited with code ${exit.code}`)
    // Ended by our stop (a thread of the isolated pool always is): stopped, not crashed.
    if (this.#stopping) return
    this.#ending = exit
    this.#end()
    // First `ended` (its owner marks it crashed), a turn later the close that fails what is pending.
    setImmediate(() => void this.#transport?.close())
  }

  /** Stops the server and, if it does not close within `graceMs`, its thread; idempotent. */
  stop(shutdown: Required<ShutdownOptions>): Promise<undefined> {
    this.#stopping ??= this.#stop(shutdown)
    return this.#stopping
  }

  /** Terminates the thread at once (the last resort when a teardown hangs). */
  kill(): void {
    if (this.#settled || this.#abort.signal.aborted) return
    this.#timeline.record('terminate', 'teardown timed out')
    this.#abort.abort()
  }

  async #stop({ graceMs, termMs }: Required<ShutdownOptions>): Promise<undefined> {
    await this.#transport?.close()
    if (!this.#ending && (await settlesWithin(this.#task, graceMs))) {
      this.#unwatch()
      this.#timeline.record('stopped')
      return undefined
    }
    if (!this.#settled && !this.#abort.signal.aborted) {
      if (!this.#ending) this.#timeline.record('terminate', `it did not close within ${graceMs} ms`)
      this.#abort.abort()
    }
    // terminate() can hang (tinypool #49): wait for the exit a bounded time, then leave it.
    if (
      this.#threadExit &&
      !this.#ending &&
      !this.#settled &&
      !(await settlesWithin(this.#threadExit, termMs))
    ) {
      this.#timeline.record('terminate-hung', `its thread had not exited ${termMs} ms after terminate`)
    }
    this.#unwatch()
    this.#timeline.record('stopped')
    return undefined
  }
}
