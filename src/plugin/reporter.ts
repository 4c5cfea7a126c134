// The end-of-run section: tests with leaks or cross-context disposals, the slowest teardowns,
// servers that ended abnormally or needed a signal to stop, what timeouts cut off, and shared-host
// teardowns that failed (which fail the run).
import { relative } from 'node:path'
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node'
import type { CassetteSettings } from '../cassette/options.js'
import { describeStopSignal, type HostSummary } from '../report/host-summary.js'
import { type Finding, groupLeaksBySite, type Row } from '../report/leak-groups.js'
import { clearSharedHostLines } from '../report/report-file.js'
import {
  describeWorkerEnd,
  diedUnexpectedly,
  type SharedHostOutcome,
  sharedHostOutcome,
} from '../report/shared-host-ends.js'
import { mergeBudgets } from '../report/tool-budgets.js'
import { holdBlobReports } from './blob-hold.js'
import { reportObsoleteCassettes } from './cassettes-run.js'
import { DEFAULT_HTML_FILE, reportHtml, uncarriedHostEnds } from './html-run.js'
import type { McpHostOptions } from './options.js'
import { annotateTimeline } from './timeline-annotation.js'
import { reportToolCoverage, type ToolCoverageJudging } from './tool-coverage-run.js'

const OUR_ERRORS = new Set(['LeakError', 'CrossContextDisposalError', 'TeardownTimeoutError'])
const SLOWEST = 5

/** The first line and the list of what leaked; hints and advice stay in the test's own error. */
function brief(message: string): string {
  const [first = '', ...rest] = message.split('\n')
  return [first, ...rest.filter((line) => line.startsWith('  - '))].join('\n')
}

/** Where the tool coverage summary goes by default, under the root. */
export const DEFAULT_TOOL_COVERAGE_FILE = '.vitest-mcp-host/tool-coverage.json'

export class McpHostReporter implements Reporter {
  readonly #reportDir: string
  #teardownTimeout = 0
  #toolCoverage: ToolCoverageJudging | undefined
  #information: boolean | undefined
  #html: string | undefined
  /** Set when a project may use cassettes: obsolete ones are listed, and removed with -u. */
  #cassettes: { remove: boolean } | undefined
  /** Projects (by name) whose failing tests get their timeline as an annotation: those with `html` on. */
  readonly #annotated = new Set<string>()
  #vitest: Vitest | undefined
  /** This run's shared hosts' ends, awaited once by this reporter and by blob reporters. */
  #outcome: Promise<SharedHostOutcome> | undefined

  constructor(reportDir: string) {
    this.#reportDir = reportDir
  }

  /** Projects may configure different teardown timeouts: wait for the longest. */
  allowTeardown(ms: number): void {
    this.#teardownTimeout = Math.max(this.#teardownTimeout, ms)
  }

  /**
   * Projects may ask differently: the highest `min` wins, the last `outputFile` given, and of two
   * budgets for one tool the tighter of each statistic.
   */
  coverTools(option: McpHostOptions['toolCoverage']): void {
    if (!option) return
    const asked = option === true ? {} : option
    const was = this.#toolCoverage
    const mins = [was?.min, asked.min].filter((m) => m !== undefined)
    this.#toolCoverage = {
      min: mins.length > 0 ? Math.max(...mins) : undefined,
      outputFile: asked.outputFile ?? was?.outputFile ?? DEFAULT_TOOL_COVERAGE_FILE,
      budgets: mergeBudgets(was?.budgets, asked.budgets),
    }
  }

  /** Projects may ask differently: the information lists are shown when any project wants them. */
  showInformation(on: boolean): void {
    this.#information = (this.#information ?? false) || on
  }

  /** Projects may ask differently: the last path given wins; `true` is the default path. */
  writeHtml(option: McpHostOptions['html']): void {
    if (!option) return
    this.#html = option === true ? (this.#html ?? DEFAULT_HTML_FILE) : option
  }

  /** Projects may run in different modes: obsolete cassettes are listed unless every one is 'off'. */
  useCassettes(settings: CassetteSettings): void {
    if (settings.mode === 'off') return
    this.#cassettes = { remove: (this.#cassettes?.remove ?? false) || settings.update === 'all' }
  }

  /** The project's failing tests that used hosts get their timeline page as an annotation. */
  annotateFailures(project: string): void {
    this.#annotated.add(project)
  }

  onInit(vitest: Vitest): void {
    this.#vitest = vitest
    // The page of a merged run shows worker-scoped hosts only if the shards' blobs carry them.
    // `reporters` is marked internal (4.1 and 5); a Vitest without it gets no worker-scoped hosts merged.
    const { reporters } = vitest as unknown as { reporters?: Reporter[] }
    if (this.#html !== undefined && Array.isArray(reporters))
      holdBlobReports(reporters, async (testModules) =>
        uncarriedHostEnds(testModules, (await this.#sharedOutcome()).ends),
      )
  }

  /** Watch mode runs again in the same directory: what the last run reported is not this run's. */
  onTestRunStart(): void {
    clearSharedHostLines(this.#reportDir)
    this.#outcome = undefined
  }

  /** Worker-scoped hosts may still be tearing down: waits while they progress (bounded). */
  #sharedOutcome(): Promise<SharedHostOutcome> {
    this.#outcome ??= sharedHostOutcome(this.#reportDir, this.#teardownTimeout + 5000)
    return this.#outcome
  }

  /** Before the reporters that read annotations at the run's end (HTML, blob): a test's result is final here. */
  onTestCaseResult(testCase: TestCase): void {
    if (this.#annotated.has(testCase.project.name))
      annotateTimeline(this.#vitest?.config.root ?? process.cwd(), testCase)
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>): Promise<void> {
    const outcome = await this.#sharedOutcome()
    const lines = this.#section(testModules, outcome)
    if (lines.length > 0) (this.#vitest?.logger ?? console).log(`\n${lines.join('\n')}\n`)
    // Nothing else fails the run for these: Vitest drops or misplaces worker-scoped teardown errors.
    if (outcome.ends.some((report) => report.errors.length > 0) || outcome.workers.some(diedUnexpectedly))
      process.exitCode = 1
    if (this.#toolCoverage && !reportToolCoverage(this.#vitest, testModules, this.#toolCoverage))
      process.exitCode = 1
    if (this.#html !== undefined && !reportHtml(this.#vitest, testModules, this.#html, outcome.ends))
      process.exitCode = 1
    if (this.#cassettes) reportObsoleteCassettes(this.#vitest, testModules, this.#cassettes.remove)
  }

  #where(testCase: TestCase): string {
    const file = relative(this.#vitest?.config.root ?? process.cwd(), testCase.module.moduleId)
    return `${file} > ${testCase.fullName}`
  }

  #section(testModules: ReadonlyArray<TestModule>, { ends: shared, workers }: SharedHostOutcome): string[] {
    const problems: Finding[] = []
    const teardowns: { ms: number; where: string }[] = []
    const abnormal: Row[] = []
    const signalled: Row[] = []
    const warnings: Row[] = []
    const cutOff: Row[] = []
    const noteHosts = (where: string, hosts: readonly HostSummary[]) => {
      for (const host of hosts) {
        teardowns.push({
          ms: host.teardownMs,
          where: host.host === where ? where : `${host.host} (${where})`,
        })
        for (const server of host.servers) {
          if (server.stopSignal) {
            const text = `server "${server.name}" ${describeStopSignal(server.stopSignal, server.transport)}`
            signalled.push({ where, text })
          }
          if (!server.abnormal) continue
          const end = server.signal ? `signal ${server.signal}` : `exit ${server.exitCode ?? '?'}`
          abnormal.push({ where, text: `server "${server.name}" ${server.abnormal} (${end})` })
        }
      }
    }
    for (const module of testModules) {
      for (const testCase of module.children.allTests()) {
        const where = this.#where(testCase)
        const meta = testCase.meta().mcpHost
        noteHosts(where, meta?.hosts ?? [])
        for (const warning of meta?.warnings ?? []) warnings.push({ where, text: brief(warning) })
        if (meta?.notes?.length) cutOff.push({ where, text: meta.notes.join('\n') })
        for (const error of testCase.result().errors ?? []) {
          const name = error.name ?? ''
          if (!OUR_ERRORS.has(name)) continue
          const { leaks } = error as { leaks?: Finding['leaks'] }
          problems.push({ where, name, text: `${name}: ${brief(error.message)}`, leaks })
        }
      }
    }
    for (const report of shared) {
      const where = report.summary.host
      noteHosts(where, [report.summary])
      for (const error of report.errors)
        problems.push({ where, name: error.name, text: `${error.name}: ${brief(error.message)}` })
      for (const warning of report.warnings ?? [])
        warnings.push({ where, text: `${warning.name}: ${brief(warning.message)}` })
    }
    for (const end of workers) {
      const where = `worker pid ${end.worker.pid}${end.worker.threadId ? ` (thread ${end.worker.threadId})` : ''}`
      const row = { where, text: describeWorkerEnd(end) }
      if (diedUnexpectedly(end)) problems.push({ ...row, name: 'worker' })
      else warnings.push(row)
    }
    // information: false leaves out what fails nothing, and the section when nothing else is left.
    if (this.#information === false) {
      signalled.length = 0
      cutOff.length = 0
    }
    if (problems.length + warnings.length + abnormal.length + signalled.length + cutOff.length === 0)
      return []
    const lines = [' vitest-mcp-host ']
    // ✗ marks what went wrong; · what is worth knowing but failed nothing.
    const list = (title: string, rows: Row[], mark = '✗') => {
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
    const slowest = teardowns.sort((a, b) => b.ms - a.ms).slice(0, SLOWEST)
    if (slowest.length > 0) {
      lines.push('  Slowest teardowns:')
      for (const t of slowest) lines.push(`    ${String(t.ms).padStart(6)} ms  ${t.where}`)
    }
    const failedShared = shared.filter((report) => report.errors.length > 0).length
    if (failedShared > 0) {
      lines.push(
        `  The run fails: ${failedShared} file- or worker-scoped host teardown(s) had problems (listed above).`,
      )
    }
    const dead = workers.filter(diedUnexpectedly).length
    if (dead > 0) lines.push(`  The run fails: ${dead} worker(s) exited unexpectedly (listed above).`)
    return lines
  }
}
