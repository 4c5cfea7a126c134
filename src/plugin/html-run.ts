// The end of a run's HTML report: every test's task meta (so, after `--merge-reports`, every
// shard's) gathered from the modules Vitest hands the reporter, and the page written.
import { relative, resolve } from 'node:path'
import type { TestCase, TestModule, Vitest } from 'vitest/node'
import { buildReportModel, type HtmlTestInput } from '../report/html/model.js'
import { writeReportPage } from '../report/html/write.js'

/** Where `mcpHost({ html: true })` writes the report, under the root. */
export const DEFAULT_HTML_FILE = 'mcp-report/index.html'

/** The reporter's view of one test: file, name, state, errors and what vitest-mcp-host saw. */
export function htmlInput(root: string, testCase: TestCase): HtmlTestInput {
  const result = testCase.result()
  const meta = testCase.meta().mcpHost
  const duration = testCase.diagnostic()?.duration
  return {
    file: relative(root, testCase.module.moduleId),
    fullName: testCase.fullName,
    state: result.state,
    ...(duration === undefined ? {} : { durationMs: duration }),
    errors: (result.errors ?? []).map((e) => ({ name: e.name, message: e.message })),
    hosts: meta?.hosts ?? [],
    warnings: meta?.warnings ?? [],
    notes: meta?.notes ?? [],
  }
}

/** Every test of the run, module by module. */
export function htmlInputs(root: string, testModules: ReadonlyArray<TestModule>): HtmlTestInput[] {
  return testModules.flatMap((module) => [...module.children.allTests()].map((t) => htmlInput(root, t)))
}

/** Writes the report; false (after saying why) when the file could not be written. */
export function reportHtml(
  vitest: Vitest | undefined,
  testModules: ReadonlyArray<TestModule>,
  file: string,
): boolean {
  const root = vitest?.config.root ?? process.cwd()
  const log = vitest?.logger ?? console
  const target = resolve(root, file)
  const model = buildReportModel(htmlInputs(root, testModules))
  const problem = writeReportPage(target, model)
  if (problem) {
    log.error(problem)
    return false
  }
  const shown = relative(root, target)
  log.log(`vitest-mcp-host: HTML report written to ${shown.startsWith('..') ? target : shown}`)
  return true
}
