// The host's in-flight requests: who started each one, where, and whether it has settled.
import type { Timeline } from '../launchers/timeline.js'
import {
  type Attribution,
  type CallSite,
  type ContextLabel,
  captureCallSite,
  currentAttribution,
  describeCurrentContext,
} from '../scope/index.js'

export interface RequestRecord {
  readonly id: number
  /** `tools/call weather_lookup` */
  readonly label: string
  readonly startedAt: number
  readonly startedIn: ContextLabel
  readonly callSite: CallSite
  /** The test (or shared owner) the request was made for, when the Vitest plugin tracks tests. */
  readonly attribution: Attribution | undefined
  readonly controller: AbortController
  readonly promise: Promise<unknown>
}

const noop = () => {}

export class RequestLedger {
  readonly #pending = new Map<number, RequestRecord>()
  readonly #timeline: Timeline
  #nextId = 1

  /** Each request's outcome and duration goes on `timeline`. */
  constructor(timeline: Timeline) {
    this.#timeline = timeline
  }

  /**
   * Runs `send` as a tracked request. Its abort signal fires when the caller's `signal` does,
   * without adding a listener that outlives the request (the SDK v1 never removes its own).
   */
  track<T>(
    label: string,
    signal: AbortSignal | undefined,
    send: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController()
    const forward = () => controller.abort(signal?.reason)
    if (signal?.aborted) forward()
    else signal?.addEventListener('abort', forward, { once: true })
    const id = this.#nextId++
    // Captured before the first await, so the caller's line is on the stack even if never awaited.
    const callSite = captureCallSite()
    const startedAt = performance.now()
    const settled = (outcome: string) => {
      signal?.removeEventListener('abort', forward)
      this.#pending.delete(id)
      this.#timeline.record(`request ${label}`, `${Math.round(performance.now() - startedAt)} ms, ${outcome}`)
    }
    const promise = send(controller.signal).then(
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
      startedAt,
      startedIn: describeCurrentContext(),
      callSite,
      attribution: currentAttribution(),
      controller,
      promise,
    })
    return promise
  }

  pending(): RequestRecord[] {
    return [...this.#pending.values()]
  }

  /**
   * Ends requests that nobody will await any more: marks their rejection handled (so it cannot
   * surface as an unhandled rejection in a later test) and aborts them with `reason`.
   */
  abandon(records: readonly RequestRecord[], reason: Error): void {
    for (const record of records) {
      record.promise.catch(noop)
      record.controller.abort(reason)
    }
  }
}
