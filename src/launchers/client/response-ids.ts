// Which responses the client waits for: a response to an id no request of ours had is told apart.
import type { JSONRPCMessage } from '@modelcontextprotocol/client'

/** Ids of cancelled requests remembered, for their late answers; older ones are forgotten. */
const CANCELLED_KEPT = 1000

// The SDK's Protocol looks responses up by Number(id); so do we, to agree with it on what is known.
const key = (id: unknown) => Number(id)

/**
 * The SDK drops a response whose id it does not know, telling no one (only `Client.onerror`,
 * which nobody sets here). This tells such a response apart from a late answer to a request the
 * client gave up on (a timeout or an abort sends `notifications/cancelled` first).
 */
export class ResponseIds {
  readonly #awaited = new Set<number>()
  readonly #cancelled = new Set<number>()

  /** Call for every message the client sends. */
  sent(message: JSONRPCMessage): void {
    if (!('method' in message)) return
    if ('id' in message) {
      this.#awaited.add(key(message.id))
      return
    }
    if (message.method !== 'notifications/cancelled') return
    const id = key((message.params as { requestId?: unknown } | undefined)?.requestId)
    if (!this.#awaited.delete(id)) return
    this.#cancelled.add(id)
    if (this.#cancelled.size > CANCELLED_KEPT)
      this.#cancelled.delete(this.#cancelled.values().next().value as number)
  }

  /** Call for every message received; false for a response to an id no request of ours had. */
  received(message: JSONRPCMessage): boolean {
    if ('method' in message || !('id' in message)) return true
    const id = key(message.id)
    return this.#awaited.delete(id) || this.#cancelled.delete(id)
  }
}
