// The end-of-run section: tests with leaks or cross-context disposals, the slowest teardowns,
// servers that ended abnormally or needed a signal to stop, what timeouts cut off, and shared-host
// teardowns that failed (which fail the run).
import { relative } from 'node:path'
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node'
import type { CassetteSettings } from '../cassette/options.js'
import type { Finding } from '../report/leak-groups.js'
import { clearSharedHostLines } from '../report/report-file.js'
import { brief, RunSection } from '../report/run-section.js'
import { diedUnexpectedly, type SharedHostOutcome, sharedHostOutcome } from '../report/shared-host-ends.js'
import { mergeBudgets } from '../report/tool-budgets.js'
import { holdBlobReports } from './blob-hold.js'
import { reportObsoleteCassettes } from './cassettes-run.js'
import { DEFAULT_HTML_FILE, reportHtml, uncarriedHostEnds } from './html-run.js'
import type { McpHostOptions } from './options.js'
import { annotateTimeline } from './timeline-annotation.js'
import { reportToolCoverage, type ToolCoverageJudging } from './tool-coverage-run.js'

/** The errors of ours a test can fail with that the section lists. */
const OUR_ERRORS = new Set(['LeakError', 'CrossContextDisposalError', 'TeardownTimeoutError'])

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

  /** What each test recorded (its hosts, warnings, what timeouts cut off) and our errors it failed with. */
  #section(testModules: ReadonlyArray<TestModule>, outcome: SharedHostOutcome): string[] {
    const section = new RunSection()
    for (const module of testModules) {
      for (const testCase of module.children.allTests()) {
        const where = this.#where(testCase)
        const meta = testCase.meta().mcpHost
        section.addHosts(where, meta?.hosts ?? [])
        for (const warning of meta?.warnings ?? []) section.warnings.push({ where, text: brief(warning) })
        if (meta?.notes?.length) section.cutOff.push({ where, text: meta.notes.join('\n') })
        for (const error of testCase.result().errors ?? []) {
          const name = error.name ?? ''
          if (!OUR_ERRORS.has(name)) continue
          const { leaks } = error as { leaks?: Finding['leaks'] }
          section.problems.push({ where, name, text: `${name}: ${brief(error.message)}`, leaks })
        }
      }
    }
    section.addSharedOutcome(outcome)
    return section.format(this.#information)
  }
}
