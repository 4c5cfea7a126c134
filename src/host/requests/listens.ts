// Resource subscriptions on 2026-07-28, where there is no resources/subscribe: the URIs a host
// subscribed to on one server are the filter of one `subscriptions/listen` stream, opened anew (then
// the old one closed) whenever the set changes. Updates arrive as on 2025-11-25, as
// `notifications/resources/updated` seen by the wire tap (so in `notifications()`). The streams are
// the host's: no test's request, so never a test's leak; closed at shutdown from the owner scope.
import type { Client, McpSubscription, RequestOptions } from '@modelcontextprotocol/client'
import { isModernRevision } from '../../launchers/client/protocol.js'
import { ConfigError } from '../errors.js'
import type { ServerEntry } from '../servers/server-entry.js'
import type { Send } from './dispatch.js'

/** One server's subscriptions: its URIs, the stream whose filter they are, changes one at a time. */
interface Listening {
  readonly entry: ServerEntry
  uris: ReadonlySet<string>
  stream: McpSubscription | undefined
  /** The change in progress (each waits for the one before: streams are opened in order). */
  queue: Promise<unknown>
}

/** The connection a change of filter goes to: the routed server, its client, the call's SDK options. */
interface ListenOn {
  entry: ServerEntry
  client: Client
  options: RequestOptions
}

/** A new filter, and the URI it adds (which the server must acknowledge). */
interface FilterChange {
  uris: Set<string>
  added: string | undefined
}

export class ResourceListens {
  readonly #servers = new Map<ServerEntry, Listening>()

  /** What `subscribeResource(uri)` sends once routed: resources/subscribe, or on 2026-07-28 a listen. */
  subscribeTo(uri: string): Send<void> {
    return async (client, options, entry) => {
      if (isModernRevision(entry.era)) return this.subscribe({ entry, client, options }, uri)
      await client.subscribeResource({ uri }, options)
    }
  }

  /** What `unsubscribeResource(uri)` sends once routed: resources/unsubscribe, or a narrower listen. */
  unsubscribeFrom(uri: string): Send<void> {
    return async (client, options, entry) => {
      if (isModernRevision(entry.era)) return this.unsubscribe({ entry, client, options }, uri)
      await client.unsubscribeResource({ uri }, options)
    }
  }

  /** Adds `uri` to `entry`'s listen filter; resolves once the server acknowledged the new stream. */
  subscribe(on: ListenOn, uri: string): Promise<void> {
    return this.#change(on, (uris) => new Set([...uris, uri]), uri)
  }

  /** Removes `uri` from `entry`'s filter (its stream is closed once no URI is left). */
  unsubscribe(on: ListenOn, uri: string): Promise<void> {
    return this.#change(on, (uris) => new Set([...uris].filter((u) => u !== uri)))
  }

  /** Closes every stream (shutdown: before the servers stop, so each server sees its cancel). */
  async closeAll(): Promise<void> {
    const all = [...this.#servers.values()]
    this.#servers.clear()
    await Promise.allSettled(
      all.map(async (listening) => {
        await listening.queue
        await listening.stream?.close()
      }),
    )
  }

  #change(on: ListenOn, next: (uris: ReadonlySet<string>) => Set<string>, added?: string): Promise<void> {
    let listening = this.#servers.get(on.entry)
    if (!listening) {
      listening = { entry: on.entry, uris: new Set(), stream: undefined, queue: Promise.resolve() }
      this.#servers.set(on.entry, listening)
    }
    const state = listening
    const change = state.queue.then(() => this.#relisten(on, state, { uris: next(state.uris), added }))
    state.queue = change.catch(() => {})
    return change
  }

  async #relisten(
    { entry, client, options }: ListenOn,
    state: Listening,
    change: FilterChange,
  ): Promise<void> {
    const { uris, added } = change
    if (sameSet(uris, state.uris) && (state.stream !== undefined || uris.size === 0)) return
    const stream =
      uris.size === 0 ? undefined : await client.listen({ resourceSubscriptions: [...uris] }, options)
    if (stream && added !== undefined && !stream.honoredFilter.resourceSubscriptions?.includes(added)) {
      await stream.close()
      throw notHonored(entry.name, added)
    }
    const old = state.stream
    state.uris = uris
    state.stream = stream
    entry.timeline.record('listen', uris.size === 0 ? 'no resources' : `resources ${[...uris].join(', ')}`)
    if (stream) void stream.closed.then((why) => this.#ended(state, stream, why))
    await old?.close()
  }

  /** The server ended a stream (gracefully, or its connection went): the next change opens a new one. */
  #ended(state: Listening, stream: McpSubscription, why: string): void {
    if (state.stream !== stream || why === 'local') return
    state.stream = undefined
    state.entry.timeline.record('listen-ended', why)
  }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((item) => b.has(item))
}

function notHonored(server: string, uri: string): ConfigError {
  const message =
    `acknowledged a subscriptions/listen stream without resource ${uri}: it does not support ` +
    'subscribing to it (declare resources.subscribe on the server), so no update would arrive'
  return new ConfigError([{ path: `servers.${server}`, message }], 'subscribeResource()')
}
