// HostManager: starts a host's servers, routes requests across them, stops them from its owner scope.
import { inspect } from 'node:util'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type {
  CallToolResult,
  GetPromptResult,
  Prompt,
  ReadResourceResult,
  Resource,
  Tool,
} from '@modelcontextprotocol/sdk/types.js'
import { ServerExitError } from '../launchers/errors.js'
import { Timeline } from '../launchers/timeline.js'
import {
  type Attribution,
  type CallSite,
  captureCallSite,
  currentAttribution,
  Scope,
} from '../scope/index.js'
import { HOST_BRAND } from './brand.js'
import { validateHostConfig, validateServerConfig } from './config.js'
import type { HostConfig, ServerConfig } from './config-types.js'
import type { RoutedKind } from './errors.js'
import { trackHost } from './live-hosts.js'
import { RequestLedger, type RequestRecord } from './requests.js'
import { route } from './routing.js'
import type { ServerEntry, ServerHandle } from './server-entry.js'
import { ServerSet } from './server-set.js'

export interface RequestOptions {
  server?: string
  timeout?: number
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
  /** The test (or shared owner) the host was started for, when the Vitest plugin tracks tests. */
  readonly attribution: Attribution | undefined = currentAttribution()
  readonly #config: HostConfig
  readonly #servers: ServerSet
  readonly #requests = new RequestLedger(this.timeline)
  readonly #guarded = new WeakSet<Client>()

  private constructor(scope: Scope, config: HostConfig) {
    this.scope = scope
    this.#config = config
    this.#servers = new ServerSet(config)
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

  callTool(name: string, args: object = {}, opts: RequestOptions = {}): Promise<CallToolResult> {
    return this.#request('tool', name, opts, (client, signal, timeout) =>
      client.callTool({ name, arguments: args as Record<string, unknown> }, undefined, { signal, timeout }),
    ) as Promise<CallToolResult>
  }

  getPrompt(
    name: string,
    args: Record<string, string> = {},
    opts: { server?: string } = {},
  ): Promise<GetPromptResult> {
    return this.#request('prompt', name, opts, (client, signal, timeout) =>
      client.getPrompt({ name, arguments: args }, { signal, timeout }),
    )
  }

  readResource(uri: string, opts: { server?: string } = {}): Promise<ReadResourceResult> {
    return this.#request('resource', uri, opts, (client, signal, timeout) =>
      client.readResource({ uri }, { signal, timeout }),
    )
  }

  listTools(): Promise<Array<Tool & { server: string }>> {
    return this.#servers.listAll('tool')
  }

  listPrompts(): Promise<Array<Prompt & { server: string }>> {
    return this.#servers.listAll('prompt')
  }

  listResources(): Promise<Array<Resource & { server: string }>> {
    return this.#servers.listAll('resource')
  }

  /** The SDK client of `server`. Closing it yourself is a cross-context disposal (the server still stops). */
  client(server: string): Client {
    const entry = this.#servers.get(server)
    const client = entry.client
    if (!client || entry.state !== 'ready') {
      throw new ServerExitError(server, entry.exit, entry.stderrTail(), 'client()')
    }
    if (!this.#guarded.has(client)) {
      this.#guarded.add(client)
      const target = { kind: 'client', label: server, createdIn: entry.startedIn, createdAt: entry.startedAt }
      const close = () =>
        this.scope.disposeAsOwner(target, async () => void (await this.#servers.remove(server)))
      Object.defineProperty(client, 'close', { value: close, configurable: true })
    }
    return client
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
  get pendingRequests(): readonly RequestRecord[] {
    return this.#requests.pending()
  }

  /** Marks `records` abandoned (their rejection handled) and aborts them. */
  abandonRequests(records: readonly RequestRecord[], reason: Error): void {
    this.#requests.abandon(records, reason)
  }

  async addServer(name: string, config: ServerConfig): Promise<void> {
    const site = captureCallSite()
    const valid = validateServerConfig(name, config)
    await this.scope.run(() => this.#servers.start(name, valid, site))
  }

  /** Stops `name` from the owner context and forgets it. */
  removeServer(name: string): Promise<void> {
    return this.scope.run(async () => void (await this.#servers.remove(name)))
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

  #request<T>(
    kind: RoutedKind,
    name: string,
    opts: RequestOptions,
    send: (client: Client, signal: AbortSignal, timeout: number | undefined) => Promise<T>,
  ): Promise<T> {
    const method = { tool: 'tools/call', prompt: 'prompts/get', resource: 'resources/read' }[kind]
    const label = `${method} ${name}`
    return this.#requests.track(label, opts.signal, async (signal) => {
      const { entry, verify } = await this.#servers.target(kind, name, opts.server)
      const client = usableClient(entry, label)
      const timeout = opts.timeout ?? entry.config.requestTimeout ?? this.#config.requestTimeout
      let result: T
      try {
        result = await sendTo(entry, label, () => send(client, signal, timeout))
      } catch (error) {
        if (verify && !(error instanceof ServerExitError)) await verify()
        throw error
      }
      // An unknown tool comes back from an SDK server as an error result, not a rejection.
      if (verify && (result as { isError?: unknown }).isError === true) await verify()
      return result
    })
  }

  [inspect.custom](): string {
    const servers = this.#servers.live().map((s) => `${s.name} ${s.state}`)
    return `HostManager<${this.scope.state}, ${servers.length ? servers.join(', ') : 'no servers'}>`
  }
}

function usableClient(entry: ServerEntry, during: string): Client {
  if (entry.state === 'crashed') {
    throw new ServerExitError(entry.name, entry.exit, entry.stderrTail(), during)
  }
  if (!entry.client || entry.state !== 'ready') {
    const why = entry.state === 'starting' ? 'await addServer() before using it' : 'the host stopped it'
    throw new Error(`Server "${entry.name}" is ${entry.state}, not ready (${why}); ${during} was not sent.`)
  }
  return entry.client
}

/** Sends, and turns a failure caused by the server's exit into `ServerExitError`. */
async function sendTo<T>(entry: ServerEntry, during: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send()
  } catch (error) {
    if (entry.state === 'crashed')
      throw new ServerExitError(entry.name, entry.exit, entry.stderrTail(), during)
    throw error
  }
}
