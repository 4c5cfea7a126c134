// Every tools/call a host sent, with its arguments, for `toHaveCalledTool`: seen on the wire tap, so a
// call through `client(name)` counts as the host's own do. Per host, always on (unlike tool usage,
// which is process-wide and only with `toolCoverage`).
import type { TapListener } from '../../wire/tap-types.js'

/** One tools/call as sent. */
export interface SentToolCall {
  readonly server: string
  readonly name: string
  /** The `arguments` sent (undefined when none were). */
  readonly arguments: unknown
}

/**
 * Arguments kept per host; beyond it a call is still counted (name and server) but its arguments are
 * dropped, so a host that calls in a loop does not grow without bound.
 */
export const MAX_KEPT_ARGUMENTS = 10_000

export class SentCalls {
  readonly #calls: SentToolCall[] = []

  /** The listener for one server's tap. */
  listener(server: string): TapListener {
    return {
      outbound: ({ message }) => {
        if (!('method' in message) || !('id' in message) || message.method !== 'tools/call') return
        const params = message.params as { name?: unknown; arguments?: unknown } | undefined
        if (typeof params?.name !== 'string') return
        const kept = this.#calls.length < MAX_KEPT_ARGUMENTS
        this.#calls.push({ server, name: params.name, arguments: kept ? params.arguments : undefined })
      },
    }
  }

  /** The calls sent so far, oldest first (a copy). */
  list(): SentToolCall[] {
    return [...this.#calls]
  }
}
