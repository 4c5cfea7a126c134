// HostManager: starts a host's servers, routes requests across them, stops them from its owner scope.
import { inspect } from 'node:util'
import type {
  CallToolResult,
  Client,
  CompleteResult,
  GetPromptResult,
  LoggingLevel,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplateType as ResourceTemplate,
  Root,
  Tool,
} from '@modelcontextprotocol/client'
import { ServerExitError } from '../launchers/errors.js'
import { Timeline } from '../launchers/timeline.js'
// The ownership core's advice, in a host's terms (its CrossContextDisposalErrors end with it).
import '../report/leak-advice.js'
import {
  type Attribution,
  type CallSite,
  captureCallSite,
  currentAttribution,
  Scope,
} from '../scope/index.js'
import { HOST_BRAND, SENT_TOOL_CALLS } from './brand.js'
import { type HostCassetteOptions, HostCassettes } from './cassettes/cassettes.js'
import { validateHostConfig, validateRoots, validateServerConfig } from './config/config.js'
import type { HostConfig, ServerConfig } from './config/config-types.js'
import { ConfigError, HostClosedError } from './errors.js'
import { trackHost } from './live-hosts.js'
import {
  type HostNotification,
  type NotificationFilter,
  NotificationLog,
  notificationListener,
  ProgressRouter,
} from './records/notifications.js'
import { SentCalls, type SentToolCall } from './records/sent-calls.js'
import { toolUsageListener } from './records/tool-usage.js'
import {
  type NotificationWaitFilter,
  NotificationWaits,
  type WaitOptions,
  waitForNotificationOn,
} from './records/wait-notification.js'
import { HostWireCheck } from './records/wire-check.js'
import type { WireLedger } from './records/wire-ledger.js'
import { type CallToolOptions, sendToolCall } from './requests/call-tool.js'
import {
  type CompleteOptions,
  type CompletionArgument,
  type CompletionRef,
  completeOn,
} from './requests/completion.js'
import { Dispatch, type RequestOptions } from './requests/dispatch.js'
import { ResourceListens } from './requests/listens.js'
import { setLoggingLevelOn } from './requests/logging.js'
import { pingServers } from './requests/ping.js'
import { RequestLedger, type RequestRecord } from './requests/requests.js'
import type { ServerEntry, ServerHandle } from './servers/server-entry.js'
import { ServerSet } from './servers/server-set.js'
import { trackedClient } from './servers/tracked-client.js'

/** @internal how the fixture starts a host: its owner scope, declaration site and cassettes. */
export interface StartOptions {
  /** The owner scope to use; a new one (named `name`) by default. */
  scope?: Scope
  name?: string
  /** Where the servers count as created (default: the caller of `start`), e.g. a fixture's declaration. */
  site?: CallSite
  /** The test the host works for: its servers marked `cassette` are replayed or recorded for it. */
  cassettes?: HostCassetteOptions
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
  static start(config: HostConfig): Promise<HostManager>
  /** @internal the fixture's: with its owner scope, declaration site and test's cassettes. */
  static start(config: HostConfig, options: StartOptions): Promise<HostManager>
  static async start(config: HostConfig, options: StartOptions = {}): Promise<HostManager> {
    const site = options.site ?? captureCallSite()
    const valid = validateHostConfig(config)
    const scope = options.scope ?? Scope.open(options.name ?? 'host')
    const cassettes = options.cassettes && new HostCassettes(options.cassettes)
    const host = new HostManager(scope, valid, cassettes)
    try {
      await scope.run(() => host.#servers.startAll(valid.servers, site))
    } catch (error) {
      await host.shutdown().catch(() => {})
      throw error
    }
    return host
  }

  /** @internal tells a host from anything else without loading this module (brand.ts). */
  readonly [HOST_BRAND] = true as const
  readonly scope: Scope
  /**
   * The host's own events (each request with its outcome and duration); servers keep their own.
   * @internal read by the reports.
   */
  readonly timeline = new Timeline()
  #attribution: Attribution | undefined = currentAttribution()
  readonly #servers: ServerSet
  readonly #requests = new RequestLedger(this.timeline)
  readonly #userClients = new WeakMap<Client, Client>()
  readonly #notifications = new NotificationLog()
  readonly #waits = new NotificationWaits(this.#notifications)
  readonly #progress = new ProgressRouter()
  readonly #sentCalls = new SentCalls()
  readonly #listens = new ResourceListens()
  readonly #dispatch: Dispatch
  readonly #wire: HostWireCheck
  /**
   * Its servers' cassettes in its test, if it has one.
   * @internal the fixture charges mismatches to the test and saves recordings once it passed.
   */
  readonly cassettes: HostCassettes | undefined

  private constructor(scope: Scope, config: HostConfig, cassettes: HostCassettes | undefined) {
    this.scope = scope
    this.cassettes = cassettes
    this.#wire = new HostWireCheck(config.wire, (server, signal) =>
      this.#servers.listTools(server.name, signal),
    )
    this.#servers = new ServerSet(
      config,
      {
        track: (server) => (method, signal, run) => this.#dispatch.trackHandler(server, method, signal, run),
        observe: (server, serverConfig, tap) => {
          tap.listen(notificationListener(server, this.#notifications, this.#progress))
          tap.listen(this.#sentCalls.listener(server))
          const usage = toolUsageListener(server, serverConfig)
          if (usage) tap.listen(usage)
          this.#wire.of(this.#servers.get(server))?.listen(tap)
        },
        noise: (entry, noise) => this.#wire.of(entry)?.noise(noise) ?? false,
        invalidAnswer: (server, method, problem) =>
          this.#wire.of(this.#servers.handle(server))?.invalidAnswer(method, problem),
      },
      cassettes,
    )
    this.#dispatch = new Dispatch({
      scope,
      config,
      servers: this.#servers,
      requests: this.#requests,
    })
    // Deferred first, so it runs last: the host counts as alive until everything is stopped.
    scope.defer(trackHost(this))
    scope.adopt(this.#servers, (servers) => servers.stopAll(), {
      kind: 'servers',
      label: 'servers of the host',
    })
    // A tool result waiting for its tools' listing (wire-check.ts) is checked before the servers go.
    scope.defer(() => this.#wire.ledger.settled())
    // Before the servers stop (LIFO): each server is told its subscriptions/listen streams ended.
    scope.defer(() => this.#listens.closeAll())
    scope.defer(() =>
      this.#requests.abandon(
        this.#requests.pending(),
        (request) => new HostClosedError(this.scope.name, 'shutdown', request.label),
      ),
    )
  }

  /**
   * The wire check's violations not yet charged to a test or to the host's owner.
   * @internal read by the fixture and the plugin's per-test check.
   */
  get wireLedger(): WireLedger {
    return this.#wire.ledger
  }

  /**
   * The test (or shared owner) the host works for, when the Vitest plugin tracks tests.
   * @internal
   */
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
    const parts = { servers: this.#servers, progress: this.#progress, timeline: this.timeline }
    return this.#dispatch.request({
      method: 'callTool',
      kind: 'tool',
      name,
      opts,
      send: sendToolCall(parts, name, args, opts.onProgress),
    })
  }

  getPrompt(
    name: string,
    args: Record<string, string> = {},
    opts: RequestOptions = {},
  ): Promise<GetPromptResult> {
    return this.#dispatch.request({
      method: 'getPrompt',
      kind: 'prompt',
      name,
      opts,
      send: (client, options) => client.getPrompt({ name, arguments: args }, options),
    })
  }

  /** Reads `uri` from the server that lists it or whose resource template matches it. */
  readResource(uri: string, opts: RequestOptions = {}): Promise<ReadResourceResult> {
    return this.#dispatch.request({
      method: 'readResource',
      kind: 'resource',
      name: uri,
      opts,
      send: (client, options) => client.readResource({ uri }, options),
    })
  }

  /**
   * Subscribes to `uri` on the server that lists it or whose resource template matches it (routed
   * like `readResource`); its `notifications/resources/updated` appear in `notifications()`. On
   * 2026-07-28 the server's subscribed URIs are the filter of one `subscriptions/listen` stream
   * (listens.ts), which resolves this once the server acknowledged it.
   */
  subscribeResource(uri: string, opts: RequestOptions = {}): Promise<void> {
    const send = this.#listens.subscribeTo(uri)
    return this.#dispatch.request({
      method: 'subscribeResource',
      kind: 'resource',
      name: uri,
      opts,
      send,
      label: `resources/subscribe ${uri}`,
    })
  }

  /** Unsubscribes from `uri` on the server it routes to (as `subscribeResource`). */
  unsubscribeResource(uri: string, opts: RequestOptions = {}): Promise<void> {
    const send = this.#listens.unsubscribeFrom(uri)
    return this.#dispatch.request({
      method: 'unsubscribeResource',
      kind: 'resource',
      name: uri,
      opts,
      send,
      label: `resources/unsubscribe ${uri}`,
    })
  }

  /** Pings `opts.server`, else every server of the host; resolves once each one answered. */
  ping(opts: RequestOptions = {}): Promise<void> {
    return pingServers(this.#dispatch, this.#servers, opts)
  }

  /**
   * Completion values for a prompt's argument (`{ type: 'ref/prompt', name }`) or a resource
   * template's variable (`{ type: 'ref/resource', uri }`, the URI template), from the server that
   * offers that prompt or template (routed like `getPrompt` / `readResource`).
   */
  complete(
    ref: CompletionRef,
    argument: CompletionArgument,
    opts: CompleteOptions = {},
  ): Promise<CompleteResult> {
    return completeOn(this.#dispatch, ref, argument, opts)
  }

  /**
   * The oldest notification matching `filter` that no earlier call returned: one already received
   * (since the host started), else the next to arrive. Each notification is returned by at most one
   * call, so a loop of waits sees each in turn. Rejects at `opts.timeout` (default: the host's
   * `requestTimeout`, else 60000 ms) or when `opts.signal` aborts.
   */
  waitForNotification(
    filter: NotificationWaitFilter = {},
    opts: WaitOptions = {},
  ): Promise<HostNotification> {
    return waitForNotificationOn(
      { dispatch: this.#dispatch, servers: this.#servers, waits: this.#waits },
      filter,
      opts,
    )
  }

  /**
   * Sets the level of the log messages servers send (`notifications/message`, kept in
   * `notifications()`): on every ready server that declares the `logging` capability, or on
   * `opts.server`, which rejects if that server does not declare it.
   */
  setLoggingLevel(level: LoggingLevel, opts: RequestOptions = {}): Promise<void> {
    return setLoggingLevelOn(this.#dispatch, this.#servers, level, opts)
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

  /**
   * The tools/call requests this host sent, any route (for `toHaveCalledTool`).
   * @internal
   */
  [SENT_TOOL_CALLS](): SentToolCall[] {
    return this.#sentCalls.list()
  }

  listTools(): Promise<Array<Tool & { server: string }>> {
    return this.#dispatch.whileOpen('listTools', () => this.#servers.listAll('tool'))
  }

  listPrompts(): Promise<Array<Prompt & { server: string }>> {
    return this.#dispatch.whileOpen('listPrompts', () => this.#servers.listAll('prompt'))
  }

  listResources(): Promise<Array<Resource & { server: string }>> {
    return this.#dispatch.whileOpen('listResources', () => this.#servers.listAll('resource'))
  }

  listResourceTemplates(): Promise<Array<ResourceTemplate & { server: string }>> {
    return this.#dispatch.whileOpen('listResourceTemplates', () => this.#servers.listAll('template'))
  }

  /**
   * Replaces the roots the host answers to `roots/list` and sends `notifications/roots/list_changed`
   * to every ready server on 2025-11-25 (2026-07-28 has no such notification: its later `roots/list`
   * rounds get the new roots). A ConfigError on a host started without `client.roots` (the capability
   * is declared at connect). A server that cannot be notified (it just exited) has it on its timeline.
   */
  setRoots(roots: Root[]): Promise<void> {
    return this.#dispatch.whileOpen('setRoots', async () => {
      if (!this.#servers.clientSide.hasRoots) {
        const message =
          'setRoots() needs roots in the host config (client: { roots: [] }): the roots capability is declared at connect'
        throw new ConfigError([{ path: 'client.roots', message }])
      }
      const valid = validateRoots(roots)
      this.#servers.clientSide.setRoots(valid)
      const ready = this.#servers
        .live()
        .filter((entry) => entry.state === 'ready' && entry.era !== '2026-07-28')
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
    this.#dispatch.assertOpen('client')
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

  /**
   * Every server this host has run, including removed ones (for their stop reports).
   * @internal
   */
  get entries(): readonly ServerEntry[] {
    return this.#servers.all()
  }

  /**
   * Resolves once no request of the host is pending (at once if none is).
   * @internal the warm pool starts its next host then, not while the test awaits an answer.
   */
  requestsIdle(): Promise<void> {
    return this.#requests.idle()
  }

  /**
   * Requests not settled yet, with who started them where.
   * @internal read by the fixture's leak check.
   */
  get pendingRequests(): readonly RequestRecord[] {
    return this.#requests.pending()
  }

  /**
   * Marks `records` abandoned (their rejection handled) and aborts them.
   * @internal the fixture's, for a test's leaked requests.
   */
  abandonRequests(records: readonly RequestRecord[], reason: Error): void {
    this.#requests.abandon(records, reason)
  }

  async addServer(name: string, config: ServerConfig): Promise<void> {
    this.#dispatch.assertOpen('addServer')
    const site = captureCallSite()
    const valid = validateServerConfig(name, config)
    await this.scope.run(() => this.#servers.start(name, valid, site))
  }

  /** Stops `name` from the owner context and forgets it. */
  removeServer(name: string): Promise<void> {
    return this.#dispatch.whileOpen('removeServer', () =>
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

  [inspect.custom](): string {
    const servers = this.#servers.live().map((s) => `${s.name} ${s.state}`)
    return `HostManager<${this.scope.state}, ${servers.length ? servers.join(', ') : 'no servers'}>`
  }
}
