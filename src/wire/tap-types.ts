/**
 * The one wire tap's contract (issue 21 §8 of the eras design): every feature that needs to see
 * MCP traffic — timeline, notifications, tool usage, input_required rounds, the wire check
 * (issue 22), cassettes (issue 24) — is a `TapListener` on the `WireTap` that wraps a server's
 * transport. Listeners see each message once, in registration order, as the SDK sent or received
 * it (treat messages as immutable); bookkeeping never costs a message (a throwing listener is
 * reported, not propagated).
 */
import type { JSONRPCMessage, RequestId, TransportSendOptions } from '@modelcontextprotocol/client'

export type Direction = 'out' | 'in'

/** A request seen on the wire, kept until its response arrives (paired once, by the tap). */
export interface PendingRequest {
  readonly id: RequestId
  readonly method: string
  readonly params: unknown
  /** performance.now() when it was sent or received. */
  readonly at: number
  /** Who sent it: the SDK client, the host itself (the tap's own id space), or the server. */
  readonly origin: 'client' | 'host' | 'server'
}

export interface WireEvent {
  readonly dir: Direction
  readonly message: JSONRPCMessage
  /** performance.now(), taken once per message. */
  readonly at: number
  /** For a response: the request it answers; undefined for a response to an id never sent. */
  readonly request?: PendingRequest
  /** For an outbound message: the options the SDK sent it with (e.g. a modern request's `requestSignal`). */
  readonly sendOptions?: TransportSendOptions
}

export interface TapListener {
  /** Return 'consume' to keep an inbound message from the client (it is still seen by later listeners). */
  inbound?(e: WireEvent): undefined | 'consume'
  /** Outbound messages, after the tap's own additions (the modern log level in `_meta`). */
  outbound?(e: WireEvent): void
  /** The protocol version the connection landed on (the transport's setProtocolVersion). */
  era?(version: string): void
  /** The connection closed; requests still unanswered, in both directions. */
  close?(pending: readonly PendingRequest[]): void
}
