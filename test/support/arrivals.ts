// Counted events a test can await, bounded: what a test waits on instead of a sleep or a count of
// event-loop turns ("the server received tools/call", "the pool built a config").

/** The longest a test waits for an event by default: under Vitest's 5 s test timeout, so its message shows. */
const DEFAULT_WAIT_MS = 4000

interface Waiter {
  readonly key: string
  readonly times: number
  readonly resolve: () => void
}

export class Arrivals {
  readonly #counts = new Map<string, number>()
  #waiters: Waiter[] = []

  /** Records one arrival of `key` and wakes whoever waits for this many. */
  note(key: string): void {
    const count = this.count(key) + 1
    this.#counts.set(key, count)
    const [due, rest] = partition(this.#waiters, (w) => w.key === key && w.times <= count)
    this.#waiters = rest
    for (const waiter of due) waiter.resolve()
  }

  count(key: string): number {
    return this.#counts.get(key) ?? 0
  }

  /**
   * Resolves once `key` has arrived `times` times in all; rejects with a message naming it, and how
   * many came, if that has not happened within `ms`.
   */
  async reached(key: string, times = 1, ms = DEFAULT_WAIT_MS): Promise<void> {
    if (this.count(key) >= times) return
    let timer: NodeJS.Timeout | undefined
    let entry: Waiter | undefined
    const waiter = new Promise<void>((resolve) => {
      entry = { key, times, resolve }
      this.#waiters.push(entry)
    })
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`waited ${ms} ms for ${times} × "${key}", saw ${this.count(key)}`)),
        ms,
      )
    })
    try {
      await Promise.race([waiter, expired])
    } finally {
      clearTimeout(timer)
      this.#waiters = this.#waiters.filter((w) => w !== entry)
    }
  }
}

function partition<T>(items: readonly T[], pick: (item: T) => boolean): [T[], T[]] {
  return [items.filter(pick), items.filter((item) => !pick(item))]
}
