// A server's lifecycle as data: spawn, initialize, requests, shutdown steps, exit.
export interface TimelineEvent {
  /** ms since the server's timeline started. */
  readonly at: number
  readonly event: string
  readonly detail?: string
}

/** `MCP_HOST_DEBUG=1`: every event is printed as it happens, to stderr (and summaries at teardown). */
export const debugTimelines = process.env.MCP_HOST_DEBUG === '1'

export class Timeline {
  readonly startedAt = performance.now()
  /** Whose events these are, for the live debug output: `server "weather"`. */
  readonly owner: string
  readonly #events: TimelineEvent[] = []

  constructor(owner = 'host') {
    this.owner = owner
  }

  record(event: string, detail?: string): void {
    const at = Math.round((performance.now() - this.startedAt) * 10) / 10
    this.#events.push(detail === undefined ? { at, event } : { at, event, detail })
    if (debugTimelines)
      process.stderr.write(
        `[vitest-mcp-host] ${this.owner} +${at} ms ${event}${detail ? ` ${detail}` : ''}\n`,
      )
  }

  get events(): readonly TimelineEvent[] {
    return this.#events
  }
}
