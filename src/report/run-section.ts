// The end-of-run section as data and as text: rows sorted into its lists as they are collected
// (what failed, warnings, abnormal ends, information), then formatted. Pure: the plugin's reporter
// collects from Vitest's results and prints.
import { describeStopSignal, type HostSummary } from './host-summary.js'
import { type Finding, groupLeaksBySite, type Row } from './leak-groups.js'
import { describeWorkerEnd, diedUnexpectedly, type SharedHostOutcome } from './shared-host-ends.js'

/** Teardowns listed, slowest first. */
const SLOWEST = 5

/** The first line and the list of what leaked; hints and advice stay in the test's own error. */
export function brief(message: string): string {
  const [first = '', ...rest] = message.split('\n')
  return [first, ...rest.filter((line) => line.startsWith('  - '))].join('\n')
}

/** Everything the section lists, sorted by kind. */
export class RunSection {
  /** Leaks, cross-context disposals, teardown timeouts, failed shared teardowns, dead workers: they fail. */
  readonly problems: Finding[] = []
  readonly warnings: Row[] = []
  readonly abnormal: Row[] = []
  /** Information: servers that needed a signal to stop. */
  readonly signalled: Row[] = []
  /** Information: what a timeout cut off. */
  readonly cutOff: Row[] = []
  readonly teardowns: { ms: number; where: string }[] = []
  #failedShared = 0
  #deadWorkers = 0

  /** The hosts of one test (or a shared host, `where` being its name): teardown time, how servers ended. */
  addHosts(where: string, hosts: readonly HostSummary[]): void {
    for (const host of hosts) {
      this.teardowns.push({
        ms: host.teardownMs,
        where: host.host === where ? where : `${host.host} (${where})`,
      })
      for (const server of host.servers) {
        if (server.stopSignal) {
          const text = `server "${server.name}" ${describeStopSignal(server.stopSignal, server.transport)}`
          this.signalled.push({ where, text })
        }
        if (!server.abnormal) continue
        const end = server.signal ? `signal ${server.signal}` : `exit ${server.exitCode ?? '?'}`
        this.abnormal.push({ where, text: `server "${server.name}" ${server.abnormal} (${end})` })
      }
    }
  }

  /** File- and worker-scoped hosts' teardowns, and how each Vitest worker ended. */
  addSharedOutcome({ ends, workers }: SharedHostOutcome): void {
    for (const report of ends) {
      const where = report.summary.host
      this.addHosts(where, [report.summary])
      for (const error of report.errors)
        this.problems.push({ where, name: error.name, text: `${error.name}: ${brief(error.message)}` })
      for (const warning of report.warnings ?? [])
        this.warnings.push({ where, text: `${warning.name}: ${brief(warning.message)}` })
      if (report.errors.length > 0) this.#failedShared++
    }
    for (const end of workers) {
      const where = `worker pid ${end.worker.pid}${end.worker.threadId ? ` (thread ${end.worker.threadId})` : ''}`
      const row = { where, text: describeWorkerEnd(end) }
      if (diedUnexpectedly(end)) {
        this.problems.push({ ...row, name: 'worker' })
        this.#deadWorkers++
      } else this.warnings.push(row)
    }
  }

  /**
   * The section's lines; none when there is nothing to say. `information: false` leaves out what
   * fails nothing (and the section when nothing else is left).
   */
  format(information: boolean | undefined): string[] {
    const signalled = information === false ? [] : this.signalled
    const cutOff = information === false ? [] : this.cutOff
    const { problems, warnings, abnormal } = this
    if (problems.length + warnings.length + abnormal.length + signalled.length + cutOff.length === 0)
      return []
    const lines = [' vitest-mcp-host ']
    // ✗ marks what went wrong; · what is worth knowing but failed nothing.
    const list = (title: string, rows: readonly Row[], mark = '✗') => {
      if (rows.length === 0) return
      lines.push(`  ${title}:`)
      for (const row of rows)
        lines.push(`    ${mark} ${row.where}`, ...row.text.split('\n').map((l) => `        ${l}`))
    }
    // A leak made at one site in many tests (a helper's interval) is one entry naming the tests.
    list('Leaks, cross-context disposals, teardown timeouts and dead workers', groupLeaksBySite(problems))
    list('Warnings', warnings)
    list('Servers that ended abnormally', abnormal)
    list('Servers that needed a signal to stop (information)', signalled, '·')
    list('Cut off by a timeout (information)', cutOff, '·')
    const slowest = [...this.teardowns].sort((a, b) => b.ms - a.ms).slice(0, SLOWEST)
    if (slowest.length > 0) {
      lines.push('  Slowest teardowns:')
      for (const t of slowest) lines.push(`    ${String(t.ms).padStart(6)} ms  ${t.where}`)
    }
    if (this.#failedShared > 0) {
      lines.push(
        `  The run fails: ${this.#failedShared} file- or worker-scoped host teardown(s) had problems (listed above).`,
      )
    }
    if (this.#deadWorkers > 0)
      lines.push(`  The run fails: ${this.#deadWorkers} worker(s) exited unexpectedly (listed above).`)
    return lines
  }
}
