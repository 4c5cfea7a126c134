// HostManager: starts a host's servers, routes requests across them, stops them from its owner scope.
import { inspect } from 'node:util'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type {
  CallToolResult,
  GetPromptResult,
  LoggingLevel,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplate,
  Root,
  Tool,
} from '@modelcontextprotocol/sdk/types.js'
import { ServerExitError } from '../launchers/errors.js'
import { Timeline } from '../launchers/timeline.js'
import {
  type Attribution,
  type CallSite,
  captureCallSite,
  currentAttribution,
  runAttributed,
  Scope,
} from '../scope/index.js'
import { HOST_BRAND } from './brand.js'
import { validateHostConfig, validateRoots, validateServerConfig } from './config.js'
import type { HostConfig, ServerConfig } from './config-types.js'
import { ConfigError, HostClosedError, METHOD_OF, type RoutedKind } from './errors.js'
import { trackHost } from './live-hosts.js'
import {
  type HostNotification,
  type NotificationFilter,
  NotificationLog,
  observeNotifications,
  ProgressRouter,
} from './notifications.js'
import { type Call, RequestLedger, type RequestRecord } from './requests.js'
import { invalidTimeout, sdkOptions, sendTo, usableClient } from './sending.js'
import type { ServerEntry, ServerHandle } from './server-entry.js'
import { ServerSet } from './server-set.js'
import { callToolAsTask, requiresTask } from './tasks.js'
import { observeToolUsage } from './tool-usage.js'
import { trackedClient } from './tracked-client.js'

/** One `notifications/progress` of a call. */
export interface Progress {
  progress: number
  total?: number
  message?: string
}

export interface CallToolOptions extends RequestOptions {
  /**
   * Called with each `notifications/progress` the server sends for this call, in order (the host
   * sends a progress token when it is given). Progress does not extend the call: its `timeout`
   * (else `requestTimeout`) bounds the whole call however often the server reports progress, as if
   * the SDK's `resetTimeoutOnProgress` were off; give a longer `timeout` for a long operation.
   * A callback that throws is recorded in the host's timeline; the call goes on.
   */
  onProgress?: (progress: Progress) => void
}

export interface RequestOptions {
  /** The server to send it to; needed when several offer the name. */
  server?: string
  /** ms for the whole call: routing, listing and the request itself. */
  timeout?: number
  /** Aborting it rejects the call with the signal's reason. */
  signal?: AbortSignal
}

export interface StartOptions {
  /** The owner scope to use; a new one (named `name`) by default. */
  scope?: Scope
  name?: string
  /** Where the servers count as created (default: the caller of `start`), e.g. a fixture's declaration. */
  site?: CallSite
}

/**
 * A host of MCP servers for tests. Everything it starts is owned by `scope` and stopped from
 * that scope's context, whoever calls `shutdown()`.
 *
 * @example
 * await using host = await HostManager.start({ servers: { weather: weatherServer() } })
 * const result = await host.callTool('weather_lookup', { location: 'London' })
 */
export class HostManager implements AsyncDisposable {
  /** Validates `config`, starts every server concurrently; on any failure stops what started. */
  static async start(config: HostConfig, options: StartOptions = {}): Promise<HostManager> {
    const site = options.site ?? captureCallSite()
    const valid = validateHostConfig(config)
    const scope = options.scope ?? Scope.open(options.name ?? 'host')
    const host = new HostManager(scope, valid)
    try {
      await scope.run(() => host.#servers.startAll(valid.servers, site))
    } catch (error) {
      await host.shutdown().catch(() => {})
      throw error
    }
    return host
  }

  readonly [HOST_BRAND] = true as const
  readonly scope: Scope
  /** The host's own events (each request with its outcome and duration); servers keep their own. */
  readonly timeline = new Timeline()
  #attribution: Attribution | undefined = currentAttribution()
  readonly #config: HostConfig
  readonly #servers: ServerSet
  readonly #requests = new RequestLedger(this.timeline)
  readonly #userClients = new WeakMap<Client, Client>()
  readonly #notifications = new NotificationLog()
  readonly #progress = new ProgressRouter()

  private constructor(scope: Scope, config: HostConfig) {
    this.scope = scope
    this.#config = config
    this.#servers = new ServerSet(config, {
      track: (server) => (method, signal, run) => this.#trackHandler(server, method, signal, run),
      observe: (server, serverConfig, transport) => {
        observeNotifications(transport, server, this.#notifications, this.#progress)
        observeToolUsage(server, serverConfig, transport)
      },
    })
    // Deferred first, so it runs last: the host counts as alive until everything is stopped.
    scope.defer(trackHost(this))
    scope.adopt(this.#servers, (servers) => servers.stopAll(), {
      kind: 'servers',
      label: 'servers of the host',
    })
    scope.defer(() =>
      this.#requests.abandon(
        this.#requests.pending(),
        new Error('the host was shut down while this request was pending'),
      ),
    )
  }

  /** The test (or shared owner) the host works for, when the Vitest plugin tracks tests. */
  get attribution(): Attribution | undefined {
    return this.#attribution
  }

  /**
   * Moves the host, never used yet, to a new owner: what it starts from now on is `attribution`'s,
   * its scope is called `name`, and its teardown still runs in the scope's own context.
   * @internal used by the fixture's warm pool when a test takes a host started ahead.
   */
  handOver(attribution: Attribution | undefined, name: string): void {
    this.#attribution = attribution
    this.scope.handOver(attribution, name)
  }

  /**
   * Calls a tool. A tool whose `execution.taskSupport` is 'required' (as its server lists it) is
   * called as a task, polled until it ends, and this resolves with its final result; the call's
   * `timeout` and `signal` bound the polling too.
   */
  callTool(name: string, args: object = {}, opts: CallToolOptions = {}): Promise<CallToolResult> {
    const { onProgress } = opts
    return this.#request('callTool', 'tool', name, opts, async (client, options, entry, call) => {
      // The host's own progress token, released once the call has settled.
      const progress = onProgress && this.#progress.register(this.#progressTo(onProgress, name))
      const params = {
        name,
        arguments: args as Record<string, unknown>,
        ...(progress ? { _meta: { progressToken: progress.token } } : {}),
      }
      try {
        if (requiresTask(await this.#servers.listedTool(entry.name, name)))
          return await callToolAsTask(client, params, call)
        let failure: { error: unknown } | undefined
        let result: CallToolResult | undefined
        try {
          result = (await client.callTool(params, undefined, options)) as CallToolResult
          if (result.isError !== true) return result
        } catch (error) {
          if (call.signal.aborted) throw error
          failure = { error }
        }
        // Not listed yet when it was sent: a tool that needs a task fails without one.
        const tool = await this.#servers.listedTool(entry.name, name, call.signal).catch(() => undefined)
        if (requiresTask(tool)) return await callToolAsTask(client, params, call)
        if (failure) throw failure.error
        return result as CallToolResult
      } finally {
        progress?.release()
      }
    })
  }

  #progressTo(onProgress: (progress: Progress) => void, tool: string): (progress: Progress) => void {
    return ({ progress, total, message }) => {
      try {
        onProgress({
          progress,
          ...(total === undefined ? {} : { total }),
          ...(message === undefined ? {} : { message }),
        })
      } catch (error) {
        this.timeline.record(
          `onProgress of tools/call ${tool} threw`,
          String((error as Error)?.message ?? error),
        )
      }
    }
  }

  getPrompt(
    name: string,
    args: Record<string, string> = {},
    opts: RequestOptions = {},
  ): Promise<GetPromptResult> {
    return this.#request('getPrompt', 'prompt', name, opts, (client, options) =>
      client.getPrompt({ name, arguments: args }, options),
    )
  }

  /** Reads `uri` from the server that lists it or whose resource template matches it. */
  readResource(uri: string, opts: RequestOptions = {}): Promise<ReadResourceResult> {
    return this.#request('readResource', 'resource', uri, opts, (client, options) =>
      client.readResource({ uri }, options),
    )
  }

  /**
   * Subscribes to `uri` on the server that lists it or whose resource template matches it (routed
   * like `readResource`); its `notifications/resources/updated` appear in `notifications()`.
   */
  subscribeResource(uri: string, opts: RequestOptions = {}): Promise<void> {
    return this.#request(
      'subscribeResource',
      'resource',
      uri,
      opts,
      async (client, options) => void (await client.subscribeResource({ uri }, options)),
      `resources/subscribe ${uri}`,
    )
  }

  /**
   * Sets the level of the log messages servers send (`notifications/message`, kept in
   * `notifications()`): on every ready server that declares the `logging` capability, or on
   * `opts.server`, which rejects if that server does not declare it.
   */
  setLoggingLevel(
    level: LoggingLevel,
    opts: Omit<RequestOptions, 'server'> & { server?: string } = {},
  ): Promise<void> {
    const invalid = invalidTimeout(opts.timeout)
    if (invalid)
      return Promise.reject(
        new ConfigError([{ path: 'timeout', message: invalid }], "setLoggingLevel()'s options"),
      )
    return this.#open('setLoggingLevel', async () => {
      const logs = (entry: ServerEntry) => entry.client?.getServerCapabilities()?.logging !== undefined
      let entries: ServerEntry[]
      if (opts.server === undefined) {
        entries = this.#servers.live().filter((entry) => entry.state === 'ready' && logs(entry))
      } else {
        const entry = this.#servers.get(opts.server)
        if (entry.state === 'ready' && !logs(entry)) {
          throw new Error(
            `Server "${entry.name}" does not declare the logging capability, so it takes no logging/setLevel ` +
              'and sends no log messages; nothing was sent.',
          )
        }
        entries = [entry]
      }
      await Promise.all(
        entries.map((entry) => {
          const label = `logging/setLevel ${level} (${entry.name})`
          return this.#requests.track(label, opts.signal, async (call) => {
            call.limit(opts.timeout ?? entry.config.requestTimeout ?? this.#config.requestTimeout)
            const client = usableClient(entry, label)
            await sendTo(entry, label, () => client.setLoggingLevel(level, sdkOptions(call)))
          })
        }),
      )
    })
  }

  /**
   * Every notification the servers sent since they started, in arrival order, each with its
   * server and `at` (ms since the host started); `filter` keeps one server's or one method's. The
   * newest 10,000 are kept; `droppedNotifications` counts the older ones dropped. Readable after
   * shutdown. A filter naming no server of the host gives [].
   */
  notifications(filter?: NotificationFilter): HostNotification[] {
    return this.#notifications.list(filter)
  }

  /** How many of the oldest notifications were dropped to keep the newest 10,000. */
  get droppedNotifications(): number {
    return this.#notifications.dropped
  }

  listTools(): Promise<Array<Tool & { server: string }>> {
    return this.#open('listTools', () => this.#servers.listAll('tool'))
  }

  listPrompts(): Promise<Array<Prompt & { server: string }>> {
    return this.#open('listPrompts', () => this.#servers.listAll('prompt'))
  }

  listResources(): Promise<Array<Resource & { server: string }>> {
    return this.#open('listResources', () => this.#servers.listAll('resource'))
  }

  listResourceTemplates(): Promise<Array<ResourceTemplate & { server: string }>> {
    return this.#open('listResourceTemplates', () => this.#servers.listAll('template'))
  }

  /**
   * Replaces the roots the host answers to `roots/list` and sends `notifications/roots/list_changed`
   * to every ready server. A ConfigError on a host started without `client.roots` (the capability
   * is declared at connect). A server that cannot be notified (it just exited) has it on its timeline.
   */
  setRoots(roots: Root[]): Promise<void> {
    return this.#open('setRoots', async () => {
      if (!this.#servers.clientSide.hasRoots) {
        const message =
          'setRoots() needs roots in the host config (client: { roots: [] }): the roots capability is declared at connect'
        throw new ConfigError([{ path: 'client.roots', message }])
      }
      const valid = validateRoots(roots)
      this.#servers.clientSide.setRoots(valid)
      const ready = this.#servers.live().filter((entry) => entry.state === 'ready')
      await Promise.all(
        ready.map(async (entry) => {
          try {
            await entry.client?.sendRootsListChanged()
            entry.timeline.record('roots-list-changed', `${valid.length} root(s)`)
          } catch (error) {
            const why = error instanceof Error ? error.message : String(error)
            entry.timeline.record('roots-list-changed-failed', why)
          }
        }),
      )
    })
  }

  /**
   * The SDK client of `server`, for what the host has no method for. Its requests are tracked
   * like the host's own; closing it yourself is a cross-context disposal (the server still stops).
   */
  client(server: string): Client {
    this.#assertOpen('client')
    const entry = this.#servers.get(server)
    const client = entry.client
    if (!client || entry.state !== 'ready') {
      throw new ServerExitError(server, entry.exit, entry.stderrTail(), 'client()')
    }
    let view = this.#userClients.get(client)
    if (!view) {
      const target = { kind: 'client', label: server, createdIn: entry.startedIn, createdAt: entry.startedAt }
      const close = () =>
        this.scope.disposeAsOwner(target, async () => void (await this.#servers.remove(server)))
      view = trackedClient(client, { server, ledger: this.#requests, close })
      this.#userClients.set(client, view)
    }
    return view
  }

  /** A server's state; after `removeServer()` or a closed client, the last known state of it. */
  server(name: string): ServerHandle {
    return this.#servers.handle(name)
  }

  /** Every server this host has run, including removed ones (for their stop reports). */
  get entries(): readonly ServerEntry[] {
    return this.#servers.all()
  }

  /** Requests not settled yet, with who started them where. */
  /**
   * A client handler's call, tracked like a request: charged to the test whose request the server is
   * answering (the newest one a test has pending), else to whoever the incoming request runs for.
   */
  #trackHandler<T>(
    server: string,
    method: string,
    signal: AbortSignal,
    run: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const asking = this.#requests
      .pending()
      .reverse()
      .find((r) => r.kind === 'request' && r.attribution !== undefined && !r.attribution.shared)
    const track = () =>
      this.#requests.track(`${method} from server "${server}"`, signal, (call) => run(call.signal), 'handler')
    return asking?.attribution ? runAttributed(asking.attribution, track) : track()
  }

  /**
   * Resolves once no request of the host is pending (at once if none is).
   * @internal the warm pool starts its next host then, not while the test awaits an answer.
   */
  requestsIdle(): Promise<void> {
    return this.#requests.idle()
  }

  get pendingRequests(): readonly RequestRecord[] {
    return this.#requests.pending()
  }

  /** Marks `records` abandoned (their rejection handled) and aborts them. */
  abandonRequests(records: readonly RequestRecord[], reason: Error): void {
    this.#requests.abandon(records, reason)
  }

  async addServer(name: string, config: ServerConfig): Promise<void> {
    this.#assertOpen('addServer')
    const site = captureCallSite()
    const valid = validateServerConfig(name, config)
    await this.scope.run(() => this.#servers.start(name, valid, site))
  }

  /** Stops `name` from the owner context and forgets it. */
  removeServer(name: string): Promise<void> {
    return this.#open('removeServer', () =>
      this.scope.run(async () => void (await this.#servers.remove(name))),
    )
  }

  /**
   * SIGKILLs every server process now, without waiting: for a teardown that hangs.
   * @internal
   */
  kill(): void {
    for (const entry of this.#servers.all()) entry.kill()
  }

  /** Stops everything, always in the owner context; idempotent. */
  shutdown(): Promise<void> {
    return this.scope.run(() => this.scope.close())
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown()
  }

  /** Once shutdown() has begun, nothing new may start: every method but a few says so. */
  #assertOpen(method: string): void {
    if (this.scope.state !== 'open') throw new HostClosedError(this.scope.name, method)
  }

  /** `run()`, or a rejection with HostClosedError on a closed host. */
  #open<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      this.#assertOpen(method)
    } catch (error) {
      return Promise.reject(error)
    }
    return run()
  }

  /**
   * Routes, sends and tracks one request. The caller's `timeout` (else the server's or host's
   * `requestTimeout`) and `signal` bound the whole call: routing's listings, the request, and the
   * listing that checks the name after a failure.
   */
  #request<T>(
    method: string,
    kind: RoutedKind,
    name: string,
    opts: RequestOptions,
    send: (
      client: Client,
      options: { signal: AbortSignal; timeout: number | undefined },
      entry: ServerEntry,
      call: Call,
    ) => Promise<T>,
    label = `${METHOD_OF[kind]} ${name}`,
  ): Promise<T> {
    const invalid = invalidTimeout(opts.timeout)
    if (invalid)
      return Promise.reject(new ConfigError([{ path: 'timeout', message: invalid }], `${method}()'s options`))
    return this.#open(method, () =>
      this.#requests.track(label, opts.signal, async (call) => {
        call.limit(opts.timeout ?? this.#config.requestTimeout)
        const { entry, verify } = await this.#servers.target(kind, name, opts.server, call.signal)
        // shutdown() began while routing: nothing more is sent.
        this.#assertOpen(method)
        call.limit(opts.timeout ?? entry.config.requestTimeout ?? this.#config.requestTimeout)
        const client = usableClient(entry, label)
        let result: T
        try {
          result = await sendTo(entry, label, () => send(client, sdkOptions(call), entry, call))
        } catch (error) {
          // A caller who gave up gets its own reason; nothing more is asked of the server.
          if (call.signal.aborted) throw call.signal.reason
          if (verify && !(error instanceof ServerExitError)) await verify(call.signal)
          throw error
        }
        // An unknown tool comes back from an SDK server as an error result, not a rejection.
        if (verify && (result as { isError?: unknown } | undefined)?.isError === true)
          await verify(call.signal)
        return result
      }),
    )
  }

  [inspect.custom](): string {
    const servers = this.#servers.live().map((s) => `${s.name} ${s.state}`)
    return `HostManager<${this.scope.state}, ${servers.length ? servers.join(', ') : 'no servers'}>`
  }
}
