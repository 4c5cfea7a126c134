// A host's lifecycle as plain data (it crosses from the worker to the reporter) and as text.
import type { HostManager } from '../host/host-manager.js'
import type { TimelineEvent } from '../launchers/timeline.js'

export interface ServerSummary {
  readonly name: string
  readonly transport: string
  readonly pid?: number
  /** The protocol revision its connection landed on; absent if it never connected. */
  readonly era?: string
  readonly state: string
  readonly exitCode?: number
  readonly signal?: string
  /** What went wrong with it, if anything: crashed while in use, failed to start, session kept, left processes behind. */
  readonly abnormal?: string
  /**
   * The strongest signal its stop needed beyond the ordinary one (stdin close; SIGTERM for a spawned
   * HTTP server, which does not read stdin). Information, not a failure: many real stdio servers need
   * SIGTERM (FACTS.md), and the test was not hurt by it.
   */
  readonly stopSignal?: 'SIGTERM' | 'SIGKILL'
  readonly stderrTail: string
  /** When its timeline started (`events[].at` counts from it), in ms since the epoch. */
  readonly startedAt?: number
  readonly events: readonly TimelineEvent[]
}

/** A notification a server sent, as the HTML report draws it; `at` counts from the host's start. */
export interface NotificationMark {
  readonly server: string
  readonly method: string
  readonly at: number
}

export interface HostSummary {
  /** `fixture "hostManager" of test "london"` */
  readonly host: string
  readonly teardownMs: number
  /** When the host's timeline started (`requests[].at` counts from it), in ms since the epoch. */
  readonly startedAt?: number
  /** Each request with its outcome and duration. */
  readonly requests: readonly TimelineEvent[]
  readonly servers: readonly ServerSummary[]
  /** `LeakError: 1 resource outlived …` (first line of each problem found at teardown). */
  readonly problems: readonly string[]
  /** The last notifications the servers sent (at most NOTIFICATIONS_KEPT), and how many came before. */
  readonly notifications?: readonly NotificationMark[]
  readonly notificationsNotKept?: number
}

/** Notifications kept per host summary: enough to see a progress stream, bounded for task meta. */
export const NOTIFICATIONS_KEPT = 200

/** performance.now() of this process as ms since the epoch: puts a host's and its servers' timelines on one axis. */
const epoch = (now: number) => Math.round((performance.timeOrigin + now) * 10) / 10

function abnormality(entry: HostManager['entries'][number]): string | undefined {
  const report = entry.stopReport
  const reasons: string[] = []
  if (entry.timeline.events.some((e) => e.event === 'state crashed')) reasons.push('crashed while in use')
  if (entry.timeline.events.some((e) => e.event === 'start-failed')) reasons.push('failed to start')
  if (entry.timeline.events.some((e) => e.event === 'session-not-terminated'))
    reasons.push('its HTTP session was not terminated (the server may keep it)')
  if (report && report.leftovers.length > 0)
    reasons.push(`left ${report.leftovers.length} process(es) behind`)
  return reasons.length > 0 ? reasons.join(', ') : undefined
}

function stopSignal(entry: HostManager['entries'][number]): ServerSummary['stopSignal'] {
  const signals = entry.stopReport?.signals ?? []
  if (signals.includes('SIGKILL')) return 'SIGKILL'
  if (signals.includes('SIGTERM')) return 'SIGTERM'
  return undefined
}

/**
 * `did not exit when its stdin closed; SIGTERM stopped it`: what a server's stop signal means. A
 * spawned HTTP server (`transport: 'http'`) is stopped by SIGTERM in the first place.
 */
export function describeStopSignal(
  signal: NonNullable<ServerSummary['stopSignal']>,
  transport?: string,
): string {
  if (transport === 'http') return 'did not exit on SIGTERM; SIGKILL stopped it'
  return signal === 'SIGTERM'
    ? 'did not exit when its stdin closed; SIGTERM stopped it'
    : 'did not exit when its stdin closed, nor on SIGTERM; SIGKILL stopped it'
}

export function summarizeHost(
  host: HostManager,
  label: string,
  teardownMs: number,
  problems: readonly Error[],
): HostSummary {
  const servers = host.entries.map((entry): ServerSummary => {
    const abnormal = abnormality(entry)
    const signal = stopSignal(entry)
    return {
      name: entry.name,
      transport: entry.transport,
      ...(entry.pid === undefined ? {} : { pid: entry.pid }),
      ...(entry.era === undefined ? {} : { era: entry.era }),
      state: entry.state,
      ...(entry.exitCode === undefined ? {} : { exitCode: entry.exitCode }),
      ...(entry.signal === undefined ? {} : { signal: entry.signal }),
      ...(abnormal ? { abnormal } : {}),
      ...(signal ? { stopSignal: signal } : {}),
      stderrTail: entry.stderrTail(),
      startedAt: epoch(entry.timeline.startedAt),
      events: [...entry.timeline.events],
    }
  })
  const notifications = host.notifications()
  const kept = notifications.slice(-NOTIFICATIONS_KEPT)
  return {
    host: label,
    teardownMs: Math.round(teardownMs),
    startedAt: epoch(host.timeline.startedAt),
    requests: [...host.timeline.events],
    servers,
    problems: problems.map((p) => `${p.name}: ${p.message.split('\n')[0]}`),
    ...(kept.length === 0
      ? {}
      : {
          notifications: kept.map((n) => ({
            server: n.server,
            method: n.method,
            at: Math.round(n.at * 10) / 10,
          })),
          notificationsNotKept: notifications.length - kept.length + host.droppedNotifications,
        }),
  }
}

const ms = (at: number) => `${at.toFixed(1).padStart(8)} ms`

/** The timeline a person debugging a teardown reads: one line per event, then each stderr tail. */
export function formatHostSummary(summary: HostSummary): string {
  const lines = [`${summary.host}: teardown ${summary.teardownMs} ms`]
  for (const problem of summary.problems) lines.push(`  ✗ ${problem}`)
  for (const server of summary.servers) {
    const pid = server.pid === undefined ? '' : ` pid ${server.pid}`
    const era = server.era === undefined ? '' : `, protocol ${server.era}`
    const end = server.signal
      ? `signal ${server.signal}`
      : server.exitCode === undefined
        ? ''
        : `exit ${server.exitCode}`
    lines.push(
      `  server "${server.name}" (${server.transport}${pid}${era}) ${server.state}${end ? `, ${end}` : ''}`,
    )
    if (server.abnormal) lines.push(`    ! ${server.abnormal}`)
    if (server.stopSignal) lines.push(`    · ${describeStopSignal(server.stopSignal, server.transport)}`)
    for (const e of server.events) lines.push(`    ${ms(e.at)}  ${e.event}${e.detail ? `  ${e.detail}` : ''}`)
    const tail = server.stderrTail.trimEnd()
    if (tail) lines.push('    stderr:', ...tail.split('\n').map((l) => `      ${l}`))
  }
  if (summary.requests.length > 0) lines.push('  requests:')
  for (const e of summary.requests) lines.push(`    ${ms(e.at)}  ${e.event}  ${e.detail ?? ''}`)
  return lines.join('\n')
}
