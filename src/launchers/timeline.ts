// A server's lifecycle as data: spawn, initialize, requests, shutdown steps, exit. Bounded in size.
import { envSetting } from '../env.js'
import { keptText } from './output/kept-text.js'

/**
 * Every event a timeline records, in one style: a kebab-case name (`stdin-close`, `start-failed`);
 * the few whose name carries an argument put it after one space (`state crashed`, `request
 * tools/call weather_lookup`, `round 2 elicitation`). What varies goes in the detail.
 */
export type TimelineEventName =
  // How a server started: its process, thread or in-process replay, and the handshake.
  | 'spawn'
  | 'thread'
  | 'worker'
  | 'replaying'
  | 'port-taken'
  | 'http-attempts'
  | 'initialized'
  | 'era'
  | 'era-detection'
  | 'start-failed'
  // Its state as the host sees it (server-entry.ts): `state ready`, `state crashed`, …
  | `state ${string}`
  // Traffic: a request with its duration and outcome, input rounds, and what went wrong on the wire.
  | `request ${string}`
  | `round ${number} ${string}`
  | 'handler-error'
  | 'progress-handler-error'
  | 'roots-list-changed'
  | 'roots-list-changed-failed'
  | 'stdout-noise'
  | 'unknown-response-id'
  | 'response-too-large'
  | 'server-error'
  | 'wire-warning'
  | 'wire-violation'
  // 2026-07-28: the level sent with every request, subscriptions/listen streams, and the tasks a
  // server answered a tool call with (`task created`, `task cancel`, …).
  | 'log-level'
  | 'listen'
  | 'listen-ended'
  | `task ${string}`
  // How it ended: the shutdown steps, its exit, and the processes it left behind.
  | 'stdin-close'
  | 'SIGTERM'
  | 'SIGKILL'
  | 'terminate'
  | 'terminate-hung'
  | 'stdout-closed'
  | 'process-error'
  | 'exit'
  | 'leftover-processes'
  | 'session-terminated'
  | 'session-not-terminated'
  | 'stopped'
  // Standing for the events a long timeline did not keep (and those the HTML report leaves out).
  | 'dropped'
  | 'more'

export interface TimelineEvent {
  /** ms since the server's timeline started. */
  readonly at: number
  readonly event: TimelineEventName
  readonly detail?: string
  /** The server a host's event concerns (a request's), when the host knows it. */
  readonly server?: string
}

/**
 * `VITEST_MCP_HOST_DEBUG=1` (or its old name `MCP_HOST_DEBUG=1`): every event is printed as it
 * happens, to stderr (and summaries at teardown).
 */
export const debugTimelines = envSetting('DEBUG') === '1'

/** Events kept from the start and from the end; those in between are counted (lifecycle ones kept). */
const HEAD = 100
const TAIL = 400
/** Longest detail kept; a longer one is shortened (a junk stdout line can be megabytes). */
export const DETAIL_MAX = 500

/**
 * Events that happen a bounded number of times in a server's life: always kept, however many
 * requests or junk lines come between them (reports look for `state crashed`, `start-failed`).
 */
const LIFECYCLE = new Set<TimelineEventName>([
  'spawn',
  'initialized',
  'era',
  'era-detection',
  'start-failed',
  'stdin-close',
  'SIGTERM',
  'SIGKILL',
  'exit',
  'process-error',
  'leftover-processes',
  'stopped',
  'stdout-closed',
  'unknown-response-id',
  'session-terminated',
  'session-not-terminated',
])
const isLifecycle = (event: TimelineEventName) => LIFECYCLE.has(event) || event.startsWith('state ')

export class Timeline {
  readonly startedAt = performance.now()
  /** Whose events these are, for the live debug output: `server "weather"`. */
  readonly owner: string
  readonly #head: TimelineEvent[] = []
  // The last TAIL events, oldest first; lifecycle events pushed out of it move to #kept.
  readonly #tail: TimelineEvent[] = []
  readonly #kept: TimelineEvent[] = []
  #dropped = 0
  #lastDropped = 0

  constructor(owner = 'host') {
    this.owner = owner
  }

  record(event: TimelineEventName, detail?: string, server?: string): void {
    const at = Math.round((performance.now() - this.startedAt) * 10) / 10
    const short = detail === undefined ? undefined : keptText(detail, DETAIL_MAX)
    const entry: TimelineEvent = {
      at,
      event,
      ...(short === undefined ? {} : { detail: short }),
      ...(server === undefined ? {} : { server }),
    }
    if (debugTimelines)
      process.stderr.write(`[vitest-mcp-host] ${this.owner} +${at} ms ${event}${short ? ` ${short}` : ''}\n`)
    if (this.#head.length < HEAD) {
      this.#head.push(entry)
      return
    }
    this.#tail.push(entry)
    if (this.#tail.length <= TAIL) return
    // Amortized O(1): shift() on a short array is a memmove of at most TAIL pointers.
    const out = this.#tail.shift() as TimelineEvent
    if (isLifecycle(out.event)) this.#kept.push(out)
    else {
      this.#dropped += 1
      this.#lastDropped = out.at
    }
  }

  /** The events kept, oldest first, with one `dropped` event standing for those that were not. */
  get events(): readonly TimelineEvent[] {
    if (this.#dropped === 0) return [...this.#head, ...this.#kept, ...this.#tail]
    const marker: TimelineEvent = {
      at: this.#lastDropped,
      event: 'dropped',
      detail: `${this.#dropped} events not kept (the first ${HEAD} and the last ${TAIL} are, and every lifecycle event)`,
    }
    // Kept lifecycle events and dropped ones interleave in time; the marker goes after both.
    return [...this.#head, ...this.#kept, marker, ...this.#tail]
  }

  /** How many events were recorded but not kept. */
  get dropped(): number {
    return this.#dropped
  }
}
