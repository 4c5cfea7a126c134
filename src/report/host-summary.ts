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
  /** What went wrong with it, if anything: crashed while in use, failed to start, session kept, left orphans. */
  readonly abnormal?: string
  /**
   * The strongest signal its stop needed beyond the ordinary one (stdin close; SIGTERM for a spawned
   * HTTP server, which does not read stdin). Information, not a failure: many real stdio servers need
   * SIGTERM (FACTS.md), and the test was not hurt by it.
   */
  readonly stopSignal?: 'SIGTERM' | 'SIGKILL'
  readonly stderrTail: string
  readonly events: readonly TimelineEvent[]
}

export interface HostSummary {
  /** `fixture "hostManager" of test "london"` */
  readonly host: string
  readonly teardownMs: number
  /** Each request with its outcome and duration. */
  readonly requests: readonly TimelineEvent[]
  readonly servers: readonly ServerSummary[]
  /** `LeakError: 1 resource outlived …` (first line of each problem found at teardown). */
  readonly problems: readonly string[]
}

function abnormality(entry: HostManager['entries'][number]): string | undefined {
  const report = entry.stopReport
  const reasons: string[] = []
  if (entry.timeline.events.some((e) => e.event === 'state crashed')) reasons.push('crashed while in use')
  if (entry.timeline.events.some((e) => e.event === 'start failed')) reasons.push('failed to start')
  if (entry.timeline.events.some((e) => e.event === 'session-not-terminated'))
    reasons.push('its HTTP session was not terminated (the server may keep it)')
  if (report && report.orphans.length > 0) reasons.push(`left ${report.orphans.length} process(es) behind`)
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
      events: [...entry.timeline.events],
    }
  })
  return {
    host: label,
    teardownMs: Math.round(teardownMs),
    requests: [...host.timeline.events],
    servers,
    problems: problems.map((p) => `${p.name}: ${p.message.split('\n')[0]}`),
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
