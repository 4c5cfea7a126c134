// The servers of one host: starting them concurrently, looking them up, stopping them all at once.

import type { Tool } from '@modelcontextprotocol/client'
import { ServerExitError } from '../../launchers/errors.js'
import type { LaunchedServer, LaunchOptions } from '../../launchers/launcher.js'
import type { StdoutNoise } from '../../launchers/output/noise.js'
import { DEFAULT_SHUTDOWN } from '../../launchers/processes/terminate.js'
import { launchHttp } from '../../launchers/transports/http/http.js'
import { launchMemory } from '../../launchers/transports/memory.js'
import { launchStdio } from '../../launchers/transports/stdio.js'
import { launchWorker } from '../../launchers/transports/worker/worker.js'
import { type CallSite, describeCurrentContext } from '../../scope/index.js'
import { type HostCassettes, recordingSide } from '../cassettes/cassettes.js'
import { connectReplay } from '../cassettes/replayed-server.js'
import type { HostConfig, ServerConfig } from '../config/config-types.js'
import {
  ConfigError,
  METHOD_OF,
  NotOfferedError,
  noSuchServer,
  notOffered,
  type RoutedKind,
} from '../errors.js'
import { toolUsageRecorded } from '../records/tool-usage.js'
import { Catalog, type Listed, type ListKind } from '../routing/catalog.js'
import { type Offers, route } from '../routing/routing.js'
import { type ClientSideHooks, HostClientSide } from './client-side.js'
import { ServerEntry } from './server-entry.js'

export const DEFAULT_STARTUP_TIMEOUT = 10_000

function launch(name: string, config: ServerConfig, options: LaunchOptions): Promise<LaunchedServer> {
  switch (config.transport) {
    case 'stdio':
      return launchStdio(name, config, options)
    case 'memory':
      return launchMemory(name, config, options)
    case 'worker':
      return launchWorker(name, config, options)
    case 'http':
      return launchHttp(name, config, options)
    default: {
      // Every transport is handled (a new one is a type error here); validation rejects the rest
      // before anything starts, and this guards direct internal use.
      const transport: never = config
      throw new ConfigError([
        {
          path: `servers.${name}.transport`,
          message: `"${(transport as { transport: string }).transport}" is not supported`,
        },
      ])
    }
  }
}

function settleAll(results: PromiseSettledResult<unknown>[], what: string): void {
  const errors = results
    .filter((r) => r.status === 'rejected')
    .map((r) => (r as PromiseRejectedResult).reason)
  if (errors.length === 1) throw errors[0]
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} ${what}`)
}

export interface Target {
  readonly entry: ServerEntry
  /** Rejects with `NotOfferedError` (ToolNotFoundError for a tool) if the server does not list the name (bounded by `signal`). */
  readonly verify?: (signal?: AbortSignal) => Promise<void>
}

/** What a ServerSet tells its host besides the client side's hooks. */
export interface ServerSetHooks extends ClientSideHooks {
  /** A stdio server's stdout line that is no message; true when the wire check flagged it (no warning then). */
  readonly noise?: (entry: ServerEntry, noise: StdoutNoise) => boolean
  /** Whether the wire check needs `entry`'s tools listed before its first call (their outputSchema). */
  readonly checksToolOutput?: (entry: ServerEntry) => boolean
}

export class ServerSet {
  readonly #config: HostConfig
  readonly #live = new Map<string, ServerEntry>()
  readonly #retired: ServerEntry[] = []
  readonly #starting = new Set<Promise<unknown>>()
  readonly #catalogs = new Map<string, Catalog>()
  readonly #hooks: ServerSetHooks
  readonly #cassettes: HostCassettes | undefined
  /** What every server's client answers (sampling, elicitation, roots). */
  readonly clientSide: HostClientSide

  /**
   * `hooks`: how the host tracks its client handlers' calls and sees each server's messages (see
   * HostClientSide); `cassettes`: which servers are replayed or recorded (a host in a test).
   */
  constructor(config: HostConfig, hooks: ServerSetHooks = {}, cassettes?: HostCassettes) {
    this.#config = config
    this.#hooks = hooks
    this.clientSide = new HostClientSide(config.client, {
      ...hooks,
      ...(config.protocol && { protocol: config.protocol }),
    })
    this.#cassettes = cassettes
  }

  async startAll(servers: Record<string, ServerConfig>, site: CallSite): Promise<void> {
    const results = await Promise.allSettled(Object.entries(servers).map(([n, c]) => this.start(n, c, site)))
    settleAll(results, 'servers did not start')
  }

  start(name: string, config: ServerConfig, site: CallSite): Promise<void> {
    if (this.#live.has(name)) {
      throw new ConfigError([
        { path: `servers.${name}`, message: 'a server with this name is already running' },
      ])
    }
    const entry = new ServerEntry(name, config, describeCurrentContext(), site)
    this.#live.set(name, entry)
    const starting = this.#launch(entry)
    this.#starting.add(starting)
    return starting.finally(() => this.#starting.delete(starting))
  }

  async #launch(entry: ServerEntry): Promise<void> {
    const { name, config } = entry
    let warned = false
    try {
      // A missing cassette that may not be recorded (CI, 'replay') fails the start, before anything runs.
      const cassette = this.#cassettes?.use(name, config)
      const side = this.clientSide.forServer(name, config, entry.timeline, (version) => entry.landed(version))
      const options: LaunchOptions = {
        startupTimeout: config.startupTimeout ?? this.#config.startupTimeout ?? DEFAULT_STARTUP_TIMEOUT,
        shutdown: { ...DEFAULT_SHUTDOWN, ...config.shutdown },
        timeline: entry.timeline,
        client: recordingSide(side, cassette),
        onNoise: (noise) => {
          entry.noise.push(noise)
          // A violation of the wire check, when it is on; else the warning it was before.
          if (this.#hooks.noise?.(entry, noise) || warned) return
          warned = true
          console.warn(
            `[vitest-mcp-host] server "${name}" wrote a line to stdout that is ${noise.reason}: ` +
              `${JSON.stringify(noise.line)}. stdout is reserved for JSON-RPC; log to stderr instead.`,
          )
        },
      }
      const launched =
        cassette?.kind === 'replay'
          ? await connectReplay(name, cassette.file, cassette.transport, options)
          : await launch(name, config, options)
      entry.ready(launched)
      const pageTimeout = config.requestTimeout ?? this.#config.requestTimeout
      this.#catalogs.set(name, new Catalog(name, launched.client, config.exclude, pageTimeout))
    } catch (error) {
      entry.failedToStart(error)
      this.#live.delete(name)
      this.#retired.push(entry)
      await entry.stop()
      throw error
    }
  }

  get(name: string): ServerEntry {
    const entry = this.#live.get(name)
    if (!entry) throw noSuchServer(name, this.#live.keys())
    return entry
  }

  /** The live server `name`, or else the last one of that name that was stopped and removed. */
  handle(name: string): ServerEntry {
    const retired = this.#retired.findLast((entry) => entry.name === name)
    return this.#live.get(name) ?? retired ?? this.get(name)
  }

  live(): ServerEntry[] {
    return [...this.#live.values()]
  }

  all(): ServerEntry[] {
    return [...this.#retired, ...this.#live.values()]
  }

  /**
   * The tool `name` of `server` as listed: as last listed without `signal`, else listed now if
   * need be (bounded by `signal`).
   */
  async listedTool(server: string, name: string, signal?: AbortSignal): Promise<Tool | undefined> {
    const catalog = this.#catalogs.get(server)
    if (!catalog) return undefined
    if (!signal) return catalog.lastListedTool(name)
    return (await catalog.list('tool', signal)).find((tool) => tool.name === name)
  }

  /** Stops `name` and forgets it (its entry is kept for its stop report). */
  async remove(name: string): Promise<void> {
    const entry = this.get(name)
    this.#live.delete(name)
    this.#catalogs.delete(name)
    this.#retired.push(entry)
    await entry.stop()
  }

  /** Waits for starts in flight, then stops every server concurrently. */
  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.#starting])
    const results = await Promise.allSettled(this.live().map((entry) => entry.stop()))
    // Their clients go with them: a stopped host keeps only what its handles show.
    this.#catalogs.clear()
    settleAll(results, 'servers failed to stop')
  }

  /**
   * Whether a sole server's tools are listed before its first tool call. Tool coverage counts only
   * servers whose tools were listed; the wire check needs a tool's outputSchema to check its
   * structuredContent. A listing that fails fails no call (the call itself tells): they must not
   * change outcomes. A recorded server is always listed first, so that its cassette can answer that
   * listing whatever the settings it is replayed with; a replayed one is listed first when its
   * recording was (an older cassette may have no listing to answer with).
   */
  #listsFirst(entry: ServerEntry): boolean {
    const cassette = this.#cassettes?.of(entry.name)
    if (cassette?.kind === 'record') return true
    if (cassette?.kind === 'replay') return cassette.transport.listsToolsFirst()
    return toolUsageRecorded() || this.#hooks.checksToolOutput?.(entry) === true
  }

  /**
   * The server a request for `name` goes to. A sole server whose names routing does not hide
   * gets the request at once, without listing first (a round trip and the server's schema
   * conversion saved); `verify` then checks the name against its list if the request fails.
   * Every listing stops waiting when `signal` aborts. A sole server's tools may be listed once
   * before its first tool call (see #listsFirst).
   */
  async target(
    kind: RoutedKind,
    name: string,
    server: string | undefined,
    signal?: AbortSignal,
  ): Promise<Target> {
    const candidates = server === undefined ? this.live() : [this.get(server)]
    const only = candidates.length === 1 ? candidates[0] : undefined
    const catalog = only && this.#catalogs.get(only.name)
    if (only && (only.state !== 'ready' || !catalog)) return { entry: only }
    if (only && catalog && !catalog.hidesNames) {
      if (kind === 'tool' && this.#listsFirst(only) && !catalog.everListed('tool'))
        await catalog.list('tool', signal).catch(() => {})
      const verify = async (verifySignal?: AbortSignal) => {
        const names = await catalog.offered(kind, name, verifySignal)
        if (names.includes(name)) return
        const available = server === undefined ? names.map((n) => `${n} (${only.name})`) : names
        throw notOffered(kind, name, available, server)
      }
      return { entry: only, verify }
    }
    const offers = await this.#offers(kind, name, signal)
    try {
      return { entry: this.get(route(kind, name, offers, server)) }
    } catch (error) {
      throw (error instanceof NotOfferedError && this.#exitedUnlisted(kind, name)) || error
    }
  }

  /**
   * A server that exited before its `kind` was ever listed may have offered `name`: that it
   * exited is the truth to tell, not that nobody offers the name.
   */
  #exitedUnlisted(kind: RoutedKind, name: string): ServerExitError | undefined {
    const method = METHOD_OF[kind]
    const entry = this.live().find(
      (e) => e.state === 'crashed' && !this.#catalogs.get(e.name)?.everListed(kind),
    )
    return entry && new ServerExitError(entry.name, entry.exit, entry.stderrTail(), `${method} ${name}`)
  }

  /** What each server offers of `kind` for `name`: ready ones as listed now, crashed ones as last listed. */
  async #offers(kind: RoutedKind, name: string, signal?: AbortSignal): Promise<Offers> {
    const ready = this.#ready()
    const offers = new Map(
      await Promise.all(
        ready.map(async ([server, catalog]) => [server, await catalog.offered(kind, name, signal)] as const),
      ),
    )
    for (const entry of this.live()) {
      const catalog = this.#catalogs.get(entry.name)
      if (entry.state === 'crashed' && catalog) offers.set(entry.name, catalog.lastKnown(kind))
    }
    return offers
  }

  async listAll<K extends ListKind>(
    kind: K,
    signal?: AbortSignal,
  ): Promise<Array<Listed<K> & { server: string }>> {
    const lists = await Promise.all(
      this.#ready().map(async ([server, catalog]) => [server, await catalog.list(kind, signal)] as const),
    )
    return lists.flatMap(([server, items]) => items.map((item) => ({ ...item, server })))
  }

  /** Ready servers with their catalogs, in config (and addServer) order, whatever order they became ready in. */
  #ready(): Array<readonly [string, Catalog]> {
    return this.live().flatMap((entry) => {
      const catalog = this.#catalogs.get(entry.name)
      return entry.state === 'ready' && catalog ? [[entry.name, catalog] as const] : []
    })
  }
}
