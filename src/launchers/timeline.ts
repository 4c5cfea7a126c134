// A server's lifecycle as data: spawn, initialize, requests, shutdown steps, exit.
export interface TimelineEvent {
  /** ms since the server's timeline started. */
  readonly at: number
  readonly event: string
  readonly detail?: string
}

export class Timeline {
  readonly startedAt = performance.now()
  readonly #events: TimelineEvent[] = []

  record(event: string, detail?: string): void {
    const at = Math.round((performance.now() - this.startedAt) * 10) / 10
    this.#events.push(detail === undefined ? { at, event } : { at, event, detail })
  }

  get events(): readonly TimelineEvent[] {
    return this.#events
  }
}
