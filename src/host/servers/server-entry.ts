// One server of a host: its config, lifecycle state and what its launcher handed back.
import { inspect } from 'node:util'
import type { Client } from '@modelcontextprotocol/client'
import type { ServerStartError } from '../../launchers/errors.js'
import type { LaunchedServer } from '../../launchers/launcher.js'
import { NoiseLog } from '../../launchers/output/stdout-noise.js'
import type { ExitInfo } from '../../launchers/processes/spawned-process.js'
import { type StopReport, signalGroup } from '../../launchers/processes/terminate.js'
import { Timeline } from '../../launchers/timeline.js'
import type { CallSite, ContextLabel } from '../../scope/index.js'
import type { ServerConfig } from '../config/config-types.js'

/** `starting → ready → stopping → exited`; `crashed` when it exits while ready (closed is not crashed). */
export type ServerState = 'starting' | 'ready' | 'stopping' | 'exited' | 'crashed'

/** What `hostManager.server(name)` shows of a server. */
export interface ServerHandle {
  readonly name: string
  readonly transport: ServerConfig['transport']
  readonly pid: number | undefined
  readonly state: ServerState
  readonly exitCode: number | undefined
  readonly signal: NodeJS.Signals | undefined
  /** The URL the host uses for an HTTP server (a spawned one's once it listens); undefined for others. */
  readonly url: string | undefined
  /** Everything kept of its stderr (the last 16 KiB), with non-protocol stdout lines marked. */
  stderr(): string
  /**
   * The protocol revision its connection landed on (what the server answered `initialize` with);
   * undefined before it connected.
   */
  readonly era: string | undefined
  /** A worker server's in-memory files (`files` in its config) as of its last answer; {} for others. */
  files(): Record<string, string>
}

const transitions: Record<ServerState, readonly ServerState[]> = {
  starting: ['ready', 'stopping', 'exited'],
  ready: ['stopping', 'crashed'],
  stopping: ['exited'],
  crashed: ['stopping'],
  exited: [],
}

export class ServerEntry implements ServerHandle {
  readonly name: string
  readonly config: ServerConfig
  readonly startedIn: ContextLabel
  readonly startedAt: CallSite
  readonly timeline: Timeline
  /** Its stdout lines that were not protocol: the latest (shortened) and how many. */
  readonly noise = new NoiseLog()
  #state: ServerState = 'starting'
  #launched: LaunchedServer | undefined
  // Once stopped, only what its handle shows (exit, output, files): a host stays reachable after its
  // test (Vitest keeps every test's fixture values), and its client and server must not (issue 20).
  #ended: Pick<LaunchedServer, 'process' | 'thread' | 'url'> | undefined
  #stopping: Promise<StopReport | undefined> | undefined
  // Why it did not start, so its handle still shows the exit and stderr afterwards.
  #startFailure: ServerStartError | undefined
  stopReport: StopReport | undefined
  #era: string | undefined
  #logLevel: string | undefined

  constructor(name: string, config: ServerConfig, startedIn: ContextLabel, startedAt: CallSite) {
    this.name = name
    this.config = config
    this.startedIn = startedIn
    this.startedAt = startedAt
    this.timeline = new Timeline(`server "${name}"`)
  }

  get transport(): ServerConfig['transport'] {
    return this.config.transport
  }

  get era(): string | undefined {
    return this.#era
  }

  /** Its connection landed on `version` (the wire tap saw the client settle it). */
  landed(version: string): void {
    this.#era = version
  }

  /** The log level its requests carry in `_meta` (2026-07-28), once `setLoggingLevel()` set one. */
  get logLevel(): string | undefined {
    return this.#logLevel
  }

  /** From now on each request to it carries `level` (2026-07-28: there is no logging/setLevel). */
  setLogLevel(level: string): void {
    this.#logLevel = level
    this.timeline.record('log-level', `${level}, sent in _meta with every later request`)
  }

  get state(): ServerState {
    return this.#state
  }

  /** The URL the host talks to: an HTTP server's by URL, or a spawned one's once it was given its port. */
  get url(): string | undefined {
    return 'url' in this.config ? this.config.url : this.#kept?.url
  }

  get #kept(): Pick<LaunchedServer, 'process' | 'thread' | 'url'> | undefined {
    return this.#launched ?? this.#ended
  }

  get pid(): number | undefined {
    return this.#kept?.process?.pid
  }

  /** How it ended: its exit, or (`stdoutClosed`) its stdout closing while its process ran. */
  get exit(): ExitInfo | undefined {
    return this.#kept?.process?.ending ?? this.#kept?.thread?.ending
  }

  get exitCode(): number | undefined {
    return this.exit?.code ?? this.#startFailure?.exitCode ?? undefined
  }

  get signal(): NodeJS.Signals | undefined {
    return this.exit?.signal ?? this.#startFailure?.signal ?? undefined
  }

  stderr(): string {
    const launched = this.#kept
    return (
      (launched?.process?.stderr ?? launched?.thread?.output)?.text() ?? this.#startFailure?.stderrTail ?? ''
    )
  }

  stderrTail(): string {
    const launched = this.#kept
    return (
      (launched?.process?.stderr ?? launched?.thread?.output)?.tail() ?? this.#startFailure?.stderrTail ?? ''
    )
  }

  files(): Record<string, string> {
    return this.#kept?.thread?.files() ?? {}
  }

  /** Records why the start failed (its launcher already stopped everything it spawned). */
  failedToStart(error: unknown): void {
    if (error instanceof Error && error.name === 'ServerStartError')
      this.#startFailure = error as ServerStartError
    this.timeline.record(
      'start-failed',
      error instanceof Error ? error.message.split('\n')[0] : String(error),
    )
  }

  /** The connected SDK client; only while the server is up. */
  get client(): Client | undefined {
    return this.#launched?.client
  }

  ready(launched: LaunchedServer): void {
    this.#launched = launched
    this.#to('ready')
    // Ended on its own while in use, by exiting or by closing its stdout: crashed.
    void (launched.process ?? launched.thread)?.ended.then(() => {
      if (this.#state === 'ready') this.#to('crashed')
    })
  }

  /** SIGKILLs the server's process group at once: the last resort when a teardown hangs. */
  kill(): void {
    this.#launched?.thread?.kill()
    const proc = this.#launched?.process
    if (proc?.running) {
      this.timeline.record('SIGKILL', 'teardown timed out')
      signalGroup(proc, 'SIGKILL')
    }
  }

  /** Stops the server (idempotent); resolves when nothing of it runs. */
  stop(): Promise<StopReport | undefined> {
    this.#stopping ??= this.#stop()
    return this.#stopping
  }

  async #stop(): Promise<StopReport | undefined> {
    if (!this.#launched) {
      this.#to('exited')
      return undefined
    }
    this.#to('stopping')
    const launched = this.#launched
    try {
      this.stopReport = await launched.stop()
      return this.stopReport
    } finally {
      this.#ended = { process: launched.process, thread: launched.thread, url: launched.url }
      this.#launched = undefined
      this.#to('exited')
    }
  }

  #to(next: ServerState): void {
    if (!transitions[this.#state].includes(next)) {
      throw new Error(`server "${this.name}": invalid state change ${this.#state} → ${next}`)
    }
    this.#state = next
    this.timeline.record(`state ${next}`)
  }

  [inspect.custom](): string {
    const pid = this.pid === undefined ? '' : ` pid=${this.pid}`
    return `Server<${this.transport} "${this.name}"${pid} ${this.#state}>`
  }
}
