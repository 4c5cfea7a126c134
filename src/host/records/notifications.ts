// Every notification the host's servers sent, in arrival order, tagged with the server; bounded.
import type { TapListener } from '../../wire/tap-types.js'

/** One notification a server sent; `at` is ms since the host started. */
export interface HostNotification {
  readonly server: string
  readonly method: string
  readonly params: unknown
  readonly at: number
}

export interface NotificationFilter {
  server?: string
  method?: string
}

/** The newest this many are kept; older ones are dropped and counted. */
export const MAX_NOTIFICATIONS = 10_000

export class NotificationLog {
  readonly #startedAt: number
  readonly #max: number
  // A ring: `#items[#first]` is the oldest kept.
  #items: HostNotification[] = []
  #first = 0
  #dropped = 0
  readonly #listeners = new Set<(notification: HostNotification) => void>()

  constructor(startedAt = performance.now(), max = MAX_NOTIFICATIONS) {
    this.#startedAt = startedAt
    this.#max = max
  }

  /** How many of the oldest were dropped to keep the newest `max`. */
  get dropped(): number {
    return this.#dropped
  }

  record(server: string, method: string, params: unknown): void {
    const item = { server, method, params, at: performance.now() - this.#startedAt }
    if (this.#items.length < this.#max) {
      this.#items.push(item)
    } else {
      this.#items[this.#first] = item
      this.#first = (this.#first + 1) % this.#max
      this.#dropped++
    }
    for (const listener of this.#listeners) listener(item)
  }

  /** Calls `listener` with each notification recorded from now on, once it is in the log. */
  onRecord(listener: (notification: HostNotification) => void): void {
    this.#listeners.add(listener)
  }

  /** In arrival order; only those of `filter.server` and of `filter.method` when given. */
  list(filter: NotificationFilter = {}): HostNotification[] {
    const ordered = [...this.#items.slice(this.#first), ...this.#items.slice(0, this.#first)]
    return ordered.filter(
      (n) =>
        (filter.server === undefined || n.server === filter.server) &&
        (filter.method === undefined || n.method === filter.method),
    )
  }
}

type ProgressParams = { progress: number; total?: number; message?: string }

/**
 * The host's own progress tokens and who gets their `notifications/progress`. The host sends its
 * own token (not the SDK's `onprogress`): the SDK dispatches a notification a tick after it
 * arrives, so a server's last progress, read in the same chunk as the response, finds the
 * response already handled and is lost. Here each one is delivered as it arrives, before the
 * response that follows it.
 */
export class ProgressRouter {
  readonly #handlers = new Map<string, (params: ProgressParams) => void>()
  #next = 1

  /** A fresh token for `handler`; `release()` once the request has settled. */
  register(handler: (params: ProgressParams) => void): { token: string; release: () => void } {
    const token = `vitest-mcp-host-progress-${this.#next++}`
    this.#handlers.set(token, handler)
    return { token, release: () => this.#handlers.delete(token) }
  }

  /** Delivers it if the token is the host's: then the SDK need not see it. */
  deliver(params: unknown): boolean {
    const { progressToken, ...rest } = (params ?? {}) as { progressToken?: unknown } & ProgressParams
    const handler = typeof progressToken === 'string' ? this.#handlers.get(progressToken) : undefined
    if (!handler) return false
    handler(rest)
    return true
  }
}

/**
 * A wire-tap listener that has `log` record every notification arriving from `server` before the
 * client handles it: those the SDK consumes itself (progress, list_changed) included — and delivers
 * the host's progress tokens' progress (consumed: the SDK never sees a token it did not issue).
 * Listening from before the connection starts, it sees what a server sends during initialize too.
 */
export function notificationListener(
  server: string,
  log: NotificationLog,
  progress: ProgressRouter,
): TapListener {
  return {
    inbound({ message }) {
      if (!('method' in message) || 'id' in message) return undefined
      log.record(server, message.method, message.params)
      if (message.method === 'notifications/progress' && progress.deliver(message.params)) return 'consume'
      return undefined
    },
  }
}
