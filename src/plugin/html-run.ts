// The end of a run's HTML report: every test's task meta (so, after `--merge-reports`, every
// shard's) gathered from the modules Vitest hands the reporter, the file-scoped hosts' summaries from
// their files' meta (blobs keep it too), worker-scoped ones from their teardowns' end lines (and,
// merged, from what each shard's blob carried: blob-hold.ts), and the page written.
import { relative, resolve } from 'node:path'
import type { TestCase, TestModule, Vitest } from 'vitest/node'
import { buildReportModel, type HtmlTestInput } from '../report/html/model.js'
import { writeReportPage } from '../report/html/write.js'
import type { SharedEnd } from '../report/shared-host-ends.js'
import { carriedHostEnds } from './blob-hold.js'

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

/** Where the page lists worker-scoped hosts: they outlive any one file. */
export const WORKER_SCOPED = 'worker-scoped hosts'

/** A file- or worker-scoped host as a row of its own, its teardown's problems as its errors. */
export function sharedHostInput(root: string, end: SharedEnd): HtmlTestInput {
  return {
    file: end.file === undefined ? WORKER_SCOPED : relative(root, end.file),
    fullName: end.summary.host,
    state: end.errors.length > 0 ? 'failed' : 'passed',
    errors: end.errors,
    hosts: [end.summary],
    warnings: (end.warnings ?? []).map((w) => `${w.name}: ${w.message}`),
  }
}

/** The file-scoped hosts each test file's meta carries (so, after `--merge-reports`, every shard's). */
function fileHostEnds(testModules: ReadonlyArray<TestModule>): SharedEnd[] {
  return testModules.flatMap((module) =>
    (module.meta().mcpHostFileHosts ?? []).map((h) => ({
      event: 'end' as const,
      ...h,
      file: module.moduleId,
    })),
  )
}

/** The end lines of this run's shared hosts that no file's meta carries (worker-scoped ones). */
export function uncarriedHostEnds(
  testModules: ReadonlyArray<TestModule>,
  lines: readonly SharedEnd[],
): SharedEnd[] {
  const seen = new Set(fileHostEnds(testModules).map((end) => end.id))
  return lines.filter((end) => !seen.has(end.id))
}

/**
 * The file-scoped hosts each test file's meta carries, the worker-scoped ones blobs carried (both,
 * after `--merge-reports`, every shard's), then the end lines of this run's shared hosts not among
 * them (worker-scoped ones without a blob, and any whose file meta did not come). Two shards' hosts
 * may share an id (the same pid on two machines): only this run's lines are matched against them.
 */
export function sharedHostEnds(
  testModules: ReadonlyArray<TestModule>,
  lines: readonly SharedEnd[],
): SharedEnd[] {
  const carried = [...fileHostEnds(testModules), ...carriedHostEnds(testModules)]
  const seen = new Set(carried.map((end) => end.id))
  return [...carried, ...lines.filter((end) => !seen.has(end.id))]
}

/**
 * Every test of the run, module by module, a file-scoped host first in its file; worker-scoped hosts
 * (and a file-scoped one whose file is not in the run) last.
 */
export function htmlInputs(
  root: string,
  testModules: ReadonlyArray<TestModule>,
  shared: readonly SharedEnd[] = [],
): HtmlTestInput[] {
  const hosts = shared.map((end) => sharedHostInput(root, end))
  const inputs = testModules.flatMap((module) => {
    const file = relative(root, module.moduleId)
    const own = hosts.filter((h) => h.file === file)
    return [...own, ...[...module.children.allTests()].map((t) => htmlInput(root, t))]
  })
  const listed = new Set(inputs.map((i) => i.file))
  return [...inputs, ...hosts.filter((h) => !listed.has(h.file))]
}

/** Writes the report; false (after saying why) when the file could not be written. */
export function reportHtml(
  vitest: Vitest | undefined,
  testModules: ReadonlyArray<TestModule>,
  file: string,
  shared: readonly SharedEnd[] = [],
): boolean {
  const root = vitest?.config.root ?? process.cwd()
  const log = vitest?.logger ?? console
  const target = resolve(root, file)
  const model = buildReportModel(htmlInputs(root, testModules, sharedHostEnds(testModules, shared)))
  const problem = writeReportPage(target, model)
  if (problem) {
    log.error(problem)
    return false
  }
  const shown = relative(root, target)
  log.log(`vitest-mcp-host: HTML report written to ${shown.startsWith('..') ? target : shown}`)
  return true
}
