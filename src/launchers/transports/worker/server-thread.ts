// A worker server's thread as its host sees it: the task running it, how it ended, its output and files.

import { TailBuffer } from '../../output/tail-buffer.js'
import type { ExitInfo } from '../../processes/spawned-process.js'
import type { ShutdownOptions, WorkerResourceLimits } from '../../server-config.js'
import type { Timeline } from '../../timeline.js'
import { settlesWithin } from '../../util/wait.js'
import type { MessagePortTransport, PortEnvelope } from './message-port-transport.js'

/**
 * How long a port closed by a dying thread waits for the thread's exit code (it follows within
 * milliseconds, later on a loaded machine) before the server counts as ended without one.
 */
const EXIT_CODE_WAIT_MS = 2000

/** Subscribes to the exit of the pool thread `threadId`; returns the unsubscribe, or undefined if there is none. */
export type WatchExit = (threadId: number, onExit: (code: number) => void) => (() => void) | undefined

export interface ServerThreadOptions {
  readonly timeline: Timeline
  /** Its in-memory volume's files as given; undefined without a volume. */
  readonly files: Record<string, string> | undefined
  /** The thread's heap limits, named when it runs out of memory. */
  readonly limits: WorkerResourceLimits
  readonly watchExit: WatchExit
}

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
  readonly #limits: WorkerResourceLimits
  #ending: ExitInfo | undefined
  #threadExit: Promise<number> | undefined
  #exitCode: number | null = null
  #exitSeen = false
  /** What the task failed with (a thread's uncaught error ends its task): said when the thread exits. */
  #failure: unknown
  #end: () => void = () => {}
  #stopping: Promise<undefined> | undefined

  constructor({ timeline, files, limits, watchExit }: ServerThreadOptions) {
    this.#timeline = timeline
    this.#files = files && { ...files }
    this.#limits = limits
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
    // Its failure is also read by whoever awaits `task`; here it is kept to say why the thread ended.
    this.#task.catch((error: unknown) => {
      this.#failure = error
    })
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
    void this.#threadExit.then(async (code) => {
      this.#exitCode = code
      // A thread's uncaught error reaches its task (through tinypool) just before its exit.
      await settlesWithin(this.#task, 0)
      this.#ended()
    })
  }

  /** Its port closed without our asking: its thread is exiting (or the server closed it). */
  async portClosed(): Promise<void> {
    const threadExit = this.#threadExit
    if (threadExit) {
      // The task ending well means the server closed its port and the thread lives on.
      const closedByServer = this.#task.then(
        () => undefined,
        () => threadExit,
      )
      await settlesWithin(Promise.race([threadExit, closedByServer]), EXIT_CODE_WAIT_MS)
      await settlesWithin(this.#task, 0)
    }
    this.#ended()
  }

  #ended(): void {
    // Both the exit and the port's close lead here: the first one says how it ended.
    if (this.#exitSeen) return
    this.#exitSeen = true
    const exit: ExitInfo = { code: this.#exitCode, signal: null, ...whyEnded(this.#failure, this.#limits) }
    this.#timeline.record(
      'exit',
      `thread exited with code ${exit.code}${exit.reason ? ` (${exit.reason})` : ''}`,
    )
    // Ended by our stop (a thread of the isolated pool always is): stopped, not crashed.
    if (this.#stopping) return
    this.#ending = exit
    const stack = uncaughtStack(this.#failure)
    if (stack) this.output.push(`Uncaught ${stack}\n`)
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

/** Why a thread ended, from what its task failed with: its heap limit, or an uncaught error. */
function whyEnded(failure: unknown, limits: WorkerResourceLimits): { reason?: string } {
  if (failure === undefined || (failure as { name?: unknown }).name === 'AbortError') return {}
  if ((failure as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    const heap = limits.maxOldGenerationSizeMb
    const limit =
      heap === undefined ? "Node's default heap limit" : `resourceLimits.maxOldGenerationSizeMb = ${heap} MB`
    return { reason: `out of memory: its heap reached ${limit}; raise it if the server needs more` }
  }
  const message = failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure)
  return { reason: `uncaught ${message}` }
}

function uncaughtStack(failure: unknown): string | undefined {
  if (!(failure instanceof Error) || failure.name === 'AbortError') return undefined
  if ((failure as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') return undefined
  return failure.stack ?? `${failure.name}: ${failure.message}`
}
