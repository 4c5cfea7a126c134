// A host's wire violations (API.md "Wire check"), each kept with whom it travelled for, until the
// test it belongs to (or the host's owner) is judged. Data only: the checker itself is attached in
// wire-check.ts, so the plugin's per-test check can read this without loading the validators.
import { type Attribution, processWide } from '../../scope/index.js'
import type { WireSeverity } from '../../wire/check/options.js'
import type { Violation } from '../../wire/check/violation.js'
import { ProtocolViolationError } from '../../wire/check/violation-error.js'

/** One violation as recorded: when it travelled, for whom, and whether it fails or is only listed. */
export interface RecordedViolation {
  readonly violation: Violation
  /** Who the message travelled for: the test that sent the request a response answers, else the current one. */
  readonly attribution: Attribution | undefined
  /** performance.now() when it travelled. */
  readonly at: number
  /** A SHOULD broken, or `wire: 'warn'` for its server: listed, fails nothing. */
  readonly listed: boolean
}

// The plugin's `wire` (its setup file sets it in each worker); hosts without the plugin: 'error'.
// With the plugin, every ledger holding violations is listed, so a test's check finds those of hosts
// already closed (a host the test started and shut down itself).
const defaults = processWide('wire default', () => ({
  severity: 'error' as WireSeverity,
  collected: undefined as Set<WireLedger> | undefined,
}))

/** Sets the plugin's `wire` for hosts started from now on in this worker, and lists their violations. */
export function configureWireDefault(severity: WireSeverity): void {
  defaults.severity = severity
  defaults.collected ??= new Set()
}

/** Ledgers holding violations not yet charged (with the plugin; none without). */
export function ledgersWithViolations(): WireLedger[] {
  return [...(defaults.collected ?? [])]
}

export function wireDefault(): WireSeverity {
  return defaults.severity
}

// Errors that only list violations: a reported warning, not a failure (outcome.ts's severityOf).
const listedOnly = processWide('listed protocol violations', () => new WeakSet<Error>())

/** Whether `error` lists violations that fail nothing (a SHOULD, or `wire: 'warn'`). */
export function isListedOnly(error: Error): boolean {
  return listedOnly.has(error)
}

/** The errors for `recorded`: one that fails (MUSTs at 'error'), one that is listed; either may be absent. */
export function violationErrors(recorded: readonly RecordedViolation[]): Error[] {
  const failing = recorded.filter((r) => !r.listed).map((r) => r.violation)
  const listed = recorded.filter((r) => r.listed).map((r) => r.violation)
  const errors: Error[] = []
  if (failing.length > 0) errors.push(new ProtocolViolationError(failing))
  if (listed.length > 0) {
    const warning = new ProtocolViolationError(listed)
    listedOnly.add(warning)
    errors.push(warning)
  }
  return errors
}

/** Violations kept per host at most; a server flooding the wire is reported, not held in memory. */
const MAX_KEPT = 1000

export class WireLedger {
  readonly #recorded: RecordedViolation[] = []
  #dropped = 0

  record(entry: RecordedViolation): void {
    if (this.#recorded.length >= MAX_KEPT) this.#dropped += 1
    else this.#recorded.push(entry)
    defaults.collected?.add(this)
  }

  /** How many violations were not kept (over MAX_KEPT). */
  get dropped(): number {
    return this.#dropped
  }

  /** Removes and returns those `which` selects (all by default), oldest first. */
  take(which: (entry: RecordedViolation) => boolean = () => true): RecordedViolation[] {
    const taken: RecordedViolation[] = []
    for (let i = 0; i < this.#recorded.length; ) {
      const entry = this.#recorded[i] as RecordedViolation
      if (which(entry)) {
        taken.push(entry)
        this.#recorded.splice(i, 1)
      } else i++
    }
    if (this.#recorded.length === 0) defaults.collected?.delete(this)
    return taken
  }

  /** What is recorded and not yet taken (a copy). */
  list(): RecordedViolation[] {
    return [...this.#recorded]
  }
}

/**
 * What `run` is charged with of a host it does not own: violations that travelled for it, and those
 * of no test (a shared host's own traffic: a server's notification, a response to the host's own
 * request) that travelled while it ran. With several tests at once, the first to end takes those.
 */
export function chargedTo(run: Attribution, startedAt: number): (entry: RecordedViolation) => boolean {
  return (entry) =>
    entry.attribution === run ||
    ((entry.attribution === undefined || entry.attribution.shared) && entry.at >= startedAt)
}
