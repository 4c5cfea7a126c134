// One listener per AbortSignal, however many waits hang on it: routing over 200 servers under one
// call's signal, or a caller's signal shared by many calls, would pass Node's limit of 10 listeners
// and print a MaxListenersExceededWarning that blames the user for our bookkeeping.

/** The callbacks waiting on each signal; the signal's one real listener calls them all. */
const waiting = new WeakMap<AbortSignal, { callbacks: Set<() => void>; listener: () => void }>()

/**
 * Calls `callback` once when `signal` aborts (never if it already has: check `signal.aborted`
 * first). Returns a function that removes it; the last removal takes the listener off the signal.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  let entry = waiting.get(signal)
  if (!entry) {
    const callbacks = new Set<() => void>()
    const listener = () => {
      waiting.delete(signal)
      for (const waiter of callbacks) waiter()
    }
    entry = { callbacks, listener }
    waiting.set(signal, entry)
    signal.addEventListener('abort', listener, { once: true })
  }
  const { callbacks, listener } = entry
  // A Set keeps each callback once: a wrapper makes two registrations of one function two entries.
  const once = () => callback()
  callbacks.add(once)
  return () => {
    if (!callbacks.delete(once) || callbacks.size > 0 || waiting.get(signal) !== entry) return
    waiting.delete(signal)
    signal.removeEventListener('abort', listener)
  }
}
