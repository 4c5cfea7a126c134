// What the HTML report holds: per test file and test, its state, errors and hosts' timelines, as
// plain, bounded data (the page draws it; this decides what is kept).
import { createHash } from 'node:crypto'
import type { TimelineEvent } from '../../launchers/timeline.js'
import type { HostSummary, ServerSummary } from '../host-summary.js'

/** One test as the reporter saw it (from its task meta, so also after `--merge-reports`). */
export interface HtmlTestInput {
  /** The test file, relative to the root. */
  readonly file: string
  readonly fullName: string
  readonly state: 'passed' | 'failed' | 'skipped' | 'pending'
  readonly durationMs?: number
  readonly errors: readonly { readonly name?: string; readonly message?: string }[]
  readonly hosts: readonly HostSummary[]
  readonly warnings?: readonly string[]
  /** What a timeout cut off. */
  readonly notes?: readonly string[]
}

export interface ReportTest {
  /** The anchor (`#t-…`): stable for the same file and test name. */
  readonly id: string
  readonly name: string
  readonly state: HtmlTestInput['state']
  readonly ms?: number
  readonly errors: { name: string; message: string }[]
  readonly warnings: string[]
  readonly notes: string[]
  readonly hosts: HostSummary[]
}

export interface ReportModel {
  readonly title: string
  readonly generatedAt: string
  readonly files: { file: string; tests: ReportTest[] }[]
}

/** Events kept per lane (server) and for the host's requests: the first and last halves, the rest counted. */
export const EVENTS_PER_LANE = 160
/** Longest error message, warning or stderr tail kept. */
const TEXT_MAX = 4000

const shortText = (text: string) =>
  text.length <= TEXT_MAX ? text : `${text.slice(0, TEXT_MAX)}… (${text.length - TEXT_MAX} more characters)`

/** The first and the last events, with one `more` event counting those in between. */
export function boundEvents(events: readonly TimelineEvent[], max = EVENTS_PER_LANE): TimelineEvent[] {
  if (events.length <= max) return [...events]
  const half = Math.floor(max / 2)
  const left = events.length - 2 * half
  const head = events.slice(0, half)
  const marker: TimelineEvent = {
    at: events[half]?.at ?? 0,
    event: 'more',
    detail: `${left} more events not shown`,
  }
  return [...head, marker, ...events.slice(-half)]
}

function boundServer(server: ServerSummary): ServerSummary {
  return { ...server, stderrTail: shortText(server.stderrTail), events: boundEvents(server.events) }
}

function boundHost(host: HostSummary): HostSummary {
  return { ...host, requests: boundEvents(host.requests), servers: host.servers.map(boundServer) }
}

/** `t-` and 10 hex digits of the file and the test's full name. */
export function testId(file: string, fullName: string): string {
  return `t-${createHash('sha1').update(`${file}\0${fullName}`).digest('hex').slice(0, 10)}`
}

export function buildReportModel(tests: readonly HtmlTestInput[], title = 'vitest-mcp-host'): ReportModel {
  const byFile = new Map<string, ReportTest[]>()
  const seen = new Set<string>()
  for (const test of tests) {
    let id = testId(test.file, test.fullName)
    // Two tests with one name in one file (test.each without a placeholder): keep both linkable.
    for (let n = 2; seen.has(id); n++) id = `${testId(test.file, test.fullName)}-${n}`
    seen.add(id)
    const list = byFile.get(test.file) ?? []
    byFile.set(test.file, list)
    list.push({
      id,
      name: test.fullName,
      state: test.state,
      ...(test.durationMs === undefined ? {} : { ms: Math.round(test.durationMs) }),
      errors: test.errors.map((e) => ({ name: e.name ?? 'Error', message: shortText(e.message ?? '') })),
      warnings: (test.warnings ?? []).map(shortText),
      notes: [...(test.notes ?? [])],
      hosts: test.hosts.map(boundHost),
    })
  }
  return {
    title,
    generatedAt: new Date().toISOString(),
    files: [...byFile].map(([file, list]) => ({ file, tests: list })),
  }
}
