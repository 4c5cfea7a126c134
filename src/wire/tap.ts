/**
 * The one wire tap: a `Transport` that wraps a server's transport and shows every message, both
 * ways, to its listeners (the contract is in tap-types.ts). The SDK client is connected to the tap,
 * never to the inner transport, so nothing else needs to replace the client's methods to see traffic.
 *
 * The tap pairs responses with their requests once (a listener gets `e.request`), and hands the
 * requests still unanswered to `close()` when the connection ends. It holds only unanswered requests:
 * whatever a server writes, its memory is bounded by what is in flight. It hands a response to the
 * client in an async context that knows the request answered (`answeredRequest()`): what the client
 * sends as a consequence (an `input_required` round's retry) can be traced to it, where the wire
 * itself cannot tell two identical requests apart.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type {
  JSONRPCMessage,
  MessageExtraInfo,
  RequestId,
  Transport,
  TransportSendOptions,
} from '@modelcontextprotocol/client'
import type { PendingRequest, TapListener, WireEvent } from './tap-types.js'

/** The request whose response the code running now follows from: set while a response is handed to the client. */
const answering = new AsyncLocalStorage<PendingRequest>()

/**
 * The request (as the tap paired it) whose response the running code follows from, however many
 * awaits later; undefined outside any response's handling. The SDK client's `input_required`
 * driver starts in the first response of a request, so every retry it sends carries that request.
 */
export function answeredRequest(): PendingRequest | undefined {
  return answering.getStore()
}

export interface WireTapOptions {
  /** Where a listener that threw is reported (default: a process warning); the message still travels. */
  readonly onListenerError?: (error: unknown) => void
  /**
   * The log level to send with every request, read as each one goes out (undefined: none). On
   * 2026-07-28 there is no `logging/setLevel`: the level travels in each request's `_meta`.
   */
  readonly logLevel?: () => string | undefined
}

/**
 * Where 2026-07-28 carries a request's log level (the SDK's LOG_LEVEL_META_KEY; spelled out so the
 * tap loads no SDK module).
 */
export const LOG_LEVEL_META_KEY = 'io.modelcontextprotocol/logLevel'

/**
 * `message` with `level` in its `_meta` (a copy: the SDK's object is not changed); a level the
 * sender put there itself is kept.
 */
function withLogLevel(message: JSONRPCMessage, level: string): JSONRPCMessage {
  const params = ('params' in message && message.params) || {}
  const meta = (params as { _meta?: Record<string, unknown> })._meta ?? {}
  if (LOG_LEVEL_META_KEY in meta) return message
  return {
    ...message,
    params: { ...params, _meta: { ...meta, [LOG_LEVEL_META_KEY]: level } },
  } as JSONRPCMessage
}

/** Ids of the host's own requests (e.g. polling a server's task): strings the SDK never uses. */
export const HOST_REQUEST_ID_PREFIX = 'vitest-mcp-host:'

function isRequest(m: JSONRPCMessage): m is JSONRPCMessage & { id: RequestId; method: string } {
  return 'method' in m && 'id' in m && m.id !== undefined
}

function isHostId(id: RequestId): boolean {
  return typeof id === 'string' && id.startsWith(HOST_REQUEST_ID_PREFIX)
}

function isResponse(m: JSONRPCMessage): m is JSONRPCMessage & { id: RequestId } {
  return !('method' in m) && 'id' in m && m.id !== undefined && ('result' in m || 'error' in m)
}

function reportByWarning(error: unknown): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error)
  process.emitWarning(`vitest-mcp-host: a wire listener threw: ${text}`)
}

export class WireTap implements Transport {
  readonly #inner: Transport
  readonly #listeners: TapListener[] = []
  readonly #report: (error: unknown) => void
  readonly #logLevel: (() => string | undefined) | undefined
  /** Requests the client (or host) sent, awaiting the server's response. */
  readonly #sent = new Map<RequestId, PendingRequest>()
  /** Requests the server sent, awaiting the client's response. */
  readonly #received = new Map<RequestId, PendingRequest>()
  #closed = false

  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void

  constructor(inner: Transport, options: WireTapOptions = {}) {
    this.#inner = inner
    this.#report = options.onListenerError ?? reportByWarning
    this.#logLevel = options.logLevel
  }

  /** The transport the tap wraps (for launchers that own its process or session). */
  get inner(): Transport {
    return this.#inner
  }

  /** Adds a listener (seen after those added before it); returns its removal. */
  listen(listener: TapListener): () => void {
    this.#listeners.push(listener)
    return () => {
      const at = this.#listeners.indexOf(listener)
      if (at >= 0) this.#listeners.splice(at, 1)
    }
  }

  /** Requests in flight now, both ways (for a test's end: what is still unanswered). */
  pending(): PendingRequest[] {
    return [...this.#sent.values(), ...this.#received.values()]
  }

  get sessionId(): string | undefined {
    return this.#inner.sessionId
  }

  get hasPerRequestStream(): boolean | undefined {
    return this.#inner.hasPerRequestStream
  }

  async start(): Promise<void> {
    this.#inner.onmessage = (message, extra) => this.#inbound(message, extra)
    this.#inner.onerror = (error) => this.onerror?.(error)
    this.#inner.onclose = () => {
      this.#close()
      this.onclose?.()
    }
    await this.#inner.start()
  }

  async send(sent: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const level = isRequest(sent) ? this.#logLevel?.() : undefined
    const message = level === undefined ? sent : withLogLevel(sent, level)
    const event = options
      ? { ...this.#event('out', message), sendOptions: options }
      : this.#event('out', message)
    for (const listener of this.#listeners) {
      if (listener.outbound) this.#guard(() => listener.outbound?.(event))
    }
    await this.#inner.send(message, options)
  }

  /**
   * Hands `message` to the client as if the server had sent it, unseen by the listeners: the host's
   * answer to a request it held back (they saw what the server did send). Nothing once closed.
   */
  deliver(message: JSONRPCMessage): void {
    if (!this.#closed) this.onmessage?.(message)
  }

  async close(): Promise<void> {
    await this.#inner.close()
  }

  setProtocolVersion(version: string): void {
    this.#inner.setProtocolVersion?.(version)
    for (const listener of this.#listeners) {
      if (listener.era) this.#guard(() => listener.era?.(version))
    }
  }

  setSupportedProtocolVersions(versions: string[]): void {
    this.#inner.setSupportedProtocolVersions?.(versions)
  }

  #inbound(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    const event = this.#event('in', message)
    let consumed = false
    for (const listener of this.#listeners) {
      if (!listener.inbound) continue
      this.#guard(() => {
        if (listener.inbound?.(event) === 'consume') consumed = true
      })
    }
    if (consumed) return
    if (event.request) answering.run(event.request, () => this.onmessage?.(message, extra))
    else this.onmessage?.(message, extra)
  }

  /** Builds the event once per message, pairing a response with its request (and forgetting it). */
  #event(dir: 'in' | 'out', message: JSONRPCMessage): WireEvent {
    const at = performance.now()
    if (isRequest(message)) {
      const mine = dir === 'out' ? this.#sent : this.#received
      mine.set(message.id, {
        id: message.id,
        method: message.method,
        params: 'params' in message ? message.params : undefined,
        at,
        origin: dir === 'in' ? 'server' : isHostId(message.id) ? 'host' : 'client',
      })
      return { dir, message, at }
    }
    if (isResponse(message)) {
      // A response travelling in answers a request that went out, and the other way round.
      const theirs = dir === 'in' ? this.#sent : this.#received
      const request = theirs.get(message.id)
      if (request) theirs.delete(message.id)
      return request ? { dir, message, at, request } : { dir, message, at }
    }
    return { dir, message, at }
  }

  #close(): void {
    if (this.#closed) return
    this.#closed = true
    const pending = this.pending()
    this.#sent.clear()
    this.#received.clear()
    for (const listener of this.#listeners) {
      if (listener.close) this.#guard(() => listener.close?.(pending))
    }
  }

  #guard(run: () => void): void {
    try {
      run()
    } catch (error) {
      this.#report(error)
    }
  }
}
