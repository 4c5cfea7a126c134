// `waitForNotification`: the oldest notification matching a filter that no earlier wait returned
// (already received, or the next to arrive), bounded like a request.
//
// "Since the last call" means: each notification is returned by at most one wait. Not a single
// cursor (everything before the last match skipped): a wait for one method must not lose what
// arrived for another while an earlier wait looked for something else, and two waits in a row
// for the same method get two different notifications, in arrival order.

import { ConfigError } from '../errors.js'
import type { Dispatch } from '../requests/dispatch.js'
import type { ServerSet } from '../servers/server-set.js'
import type { HostNotification, NotificationFilter, NotificationLog } from './notifications.js'

export interface NotificationWaitFilter extends NotificationFilter {
  /** Further narrows the match (a truthy answer matches); a throw rejects the wait with what it threw. */
  where?: (notification: HostNotification) => unknown
}

export interface WaitOptions {
  /** ms to wait; default the host's requestTimeout, else 60000 (the SDK's request default). */
  timeout?: number
  /** Aborting it rejects the wait with the signal's reason. */
  signal?: AbortSignal
}

/** The SDK's default request timeout: a wait with no timeout of its own or the host's is bounded too. */
export const DEFAULT_WAIT_MS = 60_000

interface Waiting {
  readonly filter: NotificationWaitFilter
  readonly settle: (error: unknown, notification?: HostNotification) => void
}

const matches = (filter: NotificationWaitFilter, n: HostNotification) =>
  (filter.server === undefined || n.server === filter.server) &&
  (filter.method === undefined || n.method === filter.method) &&
  (filter.where === undefined || Boolean(filter.where(n)))

/** Hands each notification of `log` to at most one wait: the first waiting whose filter it matches. */
export class NotificationWaits {
  readonly #log: NotificationLog
  readonly #taken = new WeakSet<HostNotification>()
  readonly #waiting = new Set<Waiting>()

  constructor(log: NotificationLog) {
    this.#log = log
    log.onRecord((notification) => this.#offer(notification))
  }

  /** The oldest match no wait took yet, else the next one to arrive; rejects when `signal` aborts. */
  take(filter: NotificationWaitFilter, signal: AbortSignal): Promise<HostNotification> {
    const found = this.#log.list().find((n) => !this.#taken.has(n) && matches(filter, n))
    if (found) {
      this.#taken.add(found)
      return Promise.resolve(found)
    }
    return new Promise((resolve, reject) => {
      const abort = () => waiting.settle(signal.reason)
      const waiting: Waiting = {
        filter,
        settle: (error, notification) => {
          this.#waiting.delete(waiting)
          signal.removeEventListener('abort', abort)
          if (notification) resolve(notification)
          else reject(error)
        },
      }
      if (signal.aborted) return reject(signal.reason)
      this.#waiting.add(waiting)
      signal.addEventListener('abort', abort, { once: true })
    })
  }

  #offer(notification: HostNotification): void {
    for (const waiting of this.#waiting) {
      let matched: boolean
      try {
        matched = matches(waiting.filter, notification)
      } catch (error) {
        waiting.settle(error)
        continue
      }
      if (!matched) continue
      this.#taken.add(notification)
      waiting.settle(undefined, notification)
      return
    }
  }
}

function describe(filter: NotificationWaitFilter): string {
  const from = filter.server === undefined ? '' : ` from "${filter.server}"`
  return `${filter.method ?? 'any notification'}${from}${filter.where ? ' matching where()' : ''}`
}

function invalidFilter(filter: unknown): string | undefined {
  if (typeof filter !== 'object' || filter === null) return `expected an object, got ${String(filter)}`
  const { server, method, where } = filter as Record<string, unknown>
  if (server !== undefined && typeof server !== 'string') return `server: expected a string`
  if (method !== undefined && typeof method !== 'string') return `method: expected a string`
  if (where !== undefined && typeof where !== 'function') return `where: expected a function`
  return undefined
}

/** The parts of a host a notification wait uses. */
export interface NotificationWaitParts {
  dispatch: Dispatch
  servers: ServerSet
  waits: NotificationWaits
}

/** Validates, then waits as a tracked call (a pending wait is a leak of its test, like a request). */
export function waitForNotificationOn(
  { dispatch, servers, waits }: NotificationWaitParts,
  filter: NotificationWaitFilter,
  opts: WaitOptions,
): Promise<HostNotification> {
  const invalid = dispatch.checkTimeout('waitForNotification', opts.timeout)
  if (invalid) return Promise.reject(invalid)
  return dispatch.whileOpen('waitForNotification', async () => {
    const why = invalidFilter(filter)
    if (why) throw new ConfigError([{ path: 'filter', message: why }], "waitForNotification()'s filter")
    // A server the host never ran would never send anything: say so now, not at the timeout.
    if (filter.server !== undefined) servers.handle(filter.server)
    const label = `waitForNotification ${describe(filter)}`
    return dispatch.wait(label, opts, DEFAULT_WAIT_MS, (signal) => waits.take(filter, signal))
  })
}
