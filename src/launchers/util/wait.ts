// Bounded waits that leave no timer behind, whichever side wins; and the one check of a delay
// a timer can keep.
import { setTimeout as delay } from 'node:timers/promises'
import { inspect } from 'node:util'
import { onAbort } from './abort-listeners.js'

/** The longest delay Node's timers keep (about 24.8 days): a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * Why `value` is no delay a timer can keep, if it is not: a whole number of milliseconds from
 * `min` (1 for a timeout: 0 would fire at once) to MAX_TIMER_MS. The one message for every option
 * and argument in milliseconds (a config's, a call's, the plugin's).
 */
export function invalidMilliseconds(value: unknown, min: 0 | 1 = 1): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= MAX_TIMER_MS)
    return undefined
  const what = min === 1 ? 'a timeout in milliseconds' : 'milliseconds'
  return `expected ${what}, a whole number from ${min} to ${MAX_TIMER_MS} (about 24.8 days), got ${inspect(value)}`
}

/** Resolves true if `promise` settles within `ms`, false otherwise. Never rejects. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const timer = new AbortController()
  const settled = promise.then(
    () => true,
    () => true,
  )
  const timedOut = delay(ms, false, { signal: timer.signal }).catch(() => false)
  try {
    return await Promise.race([settled, timedOut])
  } finally {
    timer.abort()
  }
}

/**
 * Polls `condition` with a short, growing interval (up to `maxIntervalMs`) until it holds or `ms`
 * pass. A cheap condition can take a lower ceiling: the wait then ends closer to when it holds.
 */
export async function pollUntil(condition: () => boolean, ms: number, maxIntervalMs = 50): Promise<boolean> {
  const deadline = performance.now() + ms
  let interval = 2
  while (!condition()) {
    const left = deadline - performance.now()
    if (left <= 0) return false
    await delay(Math.min(interval, left))
    interval = Math.min(interval * 2, maxIntervalMs)
  }
  return true
}

/**
 * `promise`, or a rejection with `signal`'s reason as soon as it aborts; no listener is left on
 * the signal either way (the SDK v1 leaks one per request, FACTS.md), and however many wait on one
 * signal, it has one listener (see abort-listeners.ts).
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const stop = onAbort(signal, () => reject(signal.reason))
    promise.then(resolve, reject).finally(stop)
  })
}
