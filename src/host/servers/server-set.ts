// The servers of one host: starting them concurrently, looking them up, stopping them all at once.
// Which launcher starts one, their catalogs, where a request goes and the stdout warning are in
// this folder.

import type { Tool } from '@modelcontextprotocol/client'
import type { LaunchOptions } from '../../launchers/launcher.js'
import type { StdoutNoise } from '../../launchers/output/stdout-noise.js'
import { DEFAULT_SHUTDOWN } from '../../launchers/processes/terminate.js'
import { type CallSite, describeCurrentContext } from '../../scope/index.js'
import { type HostCassettes, recordingSide } from '../cassettes/cassettes.js'
import { connectReplay } from '../cassettes/replayed-server.js'
import type { HostConfig, ServerConfig } from '../config/config-types.js'
import { ConfigError, noSuchServer } from '../errors.js'
import { toolUsageRecorded } from '../records/tool-usage.js'
import { Catalog, type Listed, type ListKind } from '../routing/catalog.js'
import { Catalogs } from './catalogs.js'
import { type ClientSideHooks, HostClientSide } from './client-side.js'
import { launch } from './launch.js'
import { noiseHandler } from './noise-warning.js'
import { ServerEntry } from './server-entry.js'
import { type Target, type TargetRequest, target } from './targeting.js'

export type { Target } from './targeting.js'

export const DEFAULT_STARTUP_TIMEOUT = 10_000

function settleAll(results: PromiseSettledResult<unknown>[], what: string): void {
  const errors = results
    .filter((r) => r.status === 'rejected')
    .map((r) => (r as PromiseRejectedResult).reason)
  if (errors.length === 1) throw errors[0]
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} ${what}`)
}

/** What a ServerSet tells its host besides the client side's hooks. */
export interface ServerSetHooks extends ClientSideHooks {
  /** A stdio server's stdout line that is no message; true when the wire check flagged it (no warning then). */
  readonly noise?: (entry: ServerEntry, noise: StdoutNoise) => boolean
}

export class ServerSet {
  readonly #config: HostConfig
  readonly #live = new Map<string, ServerEntry>()
  readonly #retired: ServerEntry[] = []
  readonly #starting = new Set<Promise<unknown>>()
  readonly #catalogs = new Catalogs()
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
    try {
      // A missing cassette that may not be recorded (CI, 'replay') fails the start, before anything runs.
      const cassette = this.#cassettes?.use(name, config)
      const side = this.clientSide.forServer(name, config, entry.timeline, entry)
      const options: LaunchOptions = {
        startupTimeout: config.startupTimeout ?? this.#config.startupTimeout ?? DEFAULT_STARTUP_TIMEOUT,
        shutdown: { ...DEFAULT_SHUTDOWN, ...config.shutdown },
        timeline: entry.timeline,
        client: recordingSide(side, cassette),
        onNoise: noiseHandler(entry, this.#hooks.noise),
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
  listedTool(server: string, name: string, signal?: AbortSignal): Promise<Tool | undefined> {
    return this.#catalogs.listedTool(server, name, signal)
  }

  /** Lists the tools of `server` (once for every caller at a time; bounded by `signal`). */
  listTools(server: string, signal: AbortSignal): Promise<void> {
    return this.#catalogs.listTools(server, signal)
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
   * servers whose tools were listed. A listing that fails fails no call (the call itself tells): it
   * must not change outcomes. A recorded server is always listed first, so that its cassette can
   * answer that listing whatever the settings it is replayed with; a replayed one is listed first
   * when its recording was (an older cassette may have no listing to answer with).
   */
  listsFirst(entry: ServerEntry): boolean {
    const cassette = this.#cassettes?.of(entry.name)
    if (cassette?.kind === 'record') return true
    if (cassette?.kind === 'replay') return cassette.transport.listsToolsFirst()
    return toolUsageRecorded()
  }

  /** The server a request for `name` goes to (see servers/targeting.ts). */
  target(request: TargetRequest): Promise<Target> {
    return target({ servers: this, catalogs: this.#catalogs }, request)
  }

  /** Every ready server's `kind`, in config (and addServer) order, each item with its server's name. */
  listAll<K extends ListKind>(kind: K, signal?: AbortSignal): Promise<Array<Listed<K> & { server: string }>> {
    return this.#catalogs.listAll(kind, this.live(), signal)
  }
}
