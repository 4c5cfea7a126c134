// The host's in-flight requests: who started each one, where, whether it has settled, and the
// budget (caller's signal, timeout) that bounds everything the host does for it.

import { requestTimeoutError } from '../../launchers/client/request-timeout.js'
import type { Timeline } from '../../launchers/timeline.js'
import { onAbort } from '../../launchers/util/abort-listeners.js'
import {
  type Attribution,
  type CallSite,
  type ContextLabel,
  captureCallSite,
  currentAttribution,
  describeCurrentContext,
} from '../../scope/index.js'

export interface RequestRecord {
  readonly id: number
  /** `tools/call weather_lookup` */
  readonly label: string
  /** A request the host sent, or a server's request one of the host's client handlers is answering. */
  readonly kind: 'request' | 'handler'
  readonly startedAt: number
  readonly startedIn: ContextLabel
  readonly callSite: CallSite
  /** The test (or shared owner) the request was made for, when the Vitest plugin tracks tests. */
  readonly attribution: Attribution | undefined
  readonly controller: AbortController
  readonly promise: Promise<unknown>
  /** Promises that settle with this request (an SDK method's around it): abandoned with it. */
  readonly dependents: Promise<unknown>[]
}

const noop = () => {}

/** One tracked call, as the code making it sees it. */
export interface Call {
  /** Aborts with the caller's signal's reason, or with a timeout error once the budget runs out. */
  readonly signal: AbortSignal
  /**
   * Bounds the whole call to `ms` from its start, replacing the bound set before (routing runs
   * under the host's, the request under its server's). `undefined`: no bound.
   */
  limit(ms: number | undefined): void
  /** ms left of the budget, or `undefined` when the call has none. */
  remaining(): number | undefined
  /** Names the server the call went to, for the host's timeline (and the HTML report's lanes). */
  target(server: string): void
}

/** What `RequestLedger.track()` records of a request besides what it runs. */
export interface TrackOptions {
  /** How it is listed: `tools/call weather_lookup`. */
  readonly label: string
  /** The caller's signal: aborting it aborts the request. */
  readonly signal?: AbortSignal | undefined
  readonly kind?: RequestRecord['kind']
  /** Where it comes from, when not the caller's line (a handler: the request it answers). */
  readonly origin?: CallSite | undefined
}

export class RequestLedger {
  readonly #pending = new Map<number, RequestRecord>()
  /** Resolved when nothing is pending any more (see idle()). */
  #idle: Array<() => void> = []
  readonly #timeline: Timeline
  #nextId = 1

  /** Each request's outcome and duration goes on `timeline`. */
  constructor(timeline: Timeline) {
    this.#timeline = timeline
  }

  /**
   * Runs `send` as a tracked request. Its signal fires when the caller's `signal` does, without
   * adding a listener that outlives the request (the SDK v1 never removes its own), or when the
   * budget `send` sets with `call.limit()` runs out: every wait of the call ends then.
   */
  track<T>(
    { label, signal, kind = 'request', origin }: TrackOptions,
    send: (call: Call) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController()
    const forward = () => controller.abort(signal?.reason)
    // One listener on a signal shared by many calls, however many (abort-listeners.ts).
    let unforward = () => {}
    if (signal?.aborted) forward()
    else if (signal) unforward = onAbort(signal, forward)
    const id = this.#nextId++
    // Captured before the first await, so the caller's line is on the stack even if never awaited.
    const callSite = origin ?? captureCallSite()
    const startedAt = performance.now()
    let deadline = Number.POSITIVE_INFINITY
    let timer: NodeJS.Timeout | undefined
    let server: string | undefined
    const call: Call = {
      signal: controller.signal,
      limit(ms) {
        clearTimeout(timer)
        deadline = ms === undefined ? Number.POSITIVE_INFINITY : startedAt + ms
        if (ms === undefined) return
        const error = requestTimeoutError(ms, label)
        timer = setTimeout(() => controller.abort(error), Math.max(0, deadline - performance.now()))
      },
      remaining: () =>
        deadline === Number.POSITIVE_INFINITY ? undefined : Math.max(0, deadline - performance.now()),
      target(name) {
        server = name
      },
    }
    const settled = (outcome: string) => {
      clearTimeout(timer)
      unforward()
      this.#pending.delete(id)
      if (this.#pending.size === 0) for (const resolve of this.#idle.splice(0)) resolve()
      const ms = Math.round(performance.now() - startedAt)
      this.#timeline.record(`request ${label}`, `${ms} ms, ${outcome}`, server)
    }
    const promise = Promise.resolve()
      .then(() => send(call))
      .then(
        (value) => {
          settled('ok')
          return value
        },
        (error) => {
          settled(`${error?.name ?? 'Error'}: ${String(error?.message ?? error).split('\n')[0]}`)
          throw error
        },
      )
    this.#pending.set(id, {
      id,
      label,
      kind,
      startedAt,
      startedIn: describeCurrentContext(),
      callSite,
      attribution: currentAttribution(),
      controller,
      promise,
      dependents: [],
    })
    return promise
  }

  /** `dependent` settles with the tracked request `promise` (it awaits it): abandon it along. */
  alsoSettles(promise: Promise<unknown>, dependent: Promise<unknown>): void {
    for (const record of this.#pending.values()) {
      if (record.promise === promise) record.dependents.push(dependent)
    }
  }

  /** Resolves once no request is pending (at once if none is). Attaches nothing to the requests. */
  idle(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve()
    return new Promise((resolve) => this.#idle.push(resolve))
  }

  pending(): RequestRecord[] {
    return [...this.#pending.values()]
  }

  /**
   * Ends requests that nobody will await any more: marks their rejection handled (so it cannot
   * surface as an unhandled rejection in a later test) and aborts them with `reason`, one error
   * for all or each its own (one that names its request).
   */
  abandon(records: readonly RequestRecord[], reason: Error | ((record: RequestRecord) => Error)): void {
    for (const record of records) {
      record.promise.catch(noop)
      for (const dependent of record.dependents) dependent.catch(noop)
      record.controller.abort(typeof reason === 'function' ? reason(record) : reason)
    }
  }
}
