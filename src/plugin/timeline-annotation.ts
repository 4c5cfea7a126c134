// A failing test's hosts' timeline as an annotation with an HTML attachment: the annotations are
// what Vitest's UI and its HTML reporter list for a test (with a link to the attachment; other
// artifacts they do not show). Added by the reporter, in the main process, once the test's result is
// final: Vitest's `annotate()` refuses a test that has its state, and the checks that fail a test for
// a leak run after the state is set. The main process keeps annotations in the test's task (where
// Vitest's own `annotate()` ends up, test-run.ts in 4.1 and 5), which the HTML reporter and blob
// reports read at the run's end; merged blobs bring it back, so a merged run adds none again.
import type { TestAnnotation } from 'vitest'
import type { TestCase } from 'vitest/node'
import { buildReportModel } from '../report/html/model.js'
import { renderReportPage } from '../report/html/page.js'
import { htmlInput } from './html-run.js'

/** The annotation's type, as Vitest's UI and reporters show it next to the message. */
export const TIMELINE_ANNOTATION = 'vitest-mcp-host timeline'

/** The annotations Vitest keeps for the test: `TestCase.annotations()` returns a copy. */
function annotationsOf(testCase: TestCase): TestAnnotation[] | undefined {
  const { task } = testCase as unknown as { task?: { annotations?: TestAnnotation[] } }
  return Array.isArray(task?.annotations) ? task.annotations : undefined
}

/** Annotates `testCase` with its timeline page when it failed and used hosts; true if it did. */
export function annotateTimeline(root: string, testCase: TestCase): boolean {
  const hosts = testCase.meta().mcpHost?.hosts.length ?? 0
  if (testCase.result().state !== 'failed' || hosts === 0) return false
  const annotations = annotationsOf(testCase)
  if (!annotations || annotations.some((a) => a.type === TIMELINE_ANNOTATION)) return false
  const model = buildReportModel([htmlInput(root, testCase)], `vitest-mcp-host: ${testCase.name}`)
  annotations.push({
    type: TIMELINE_ANNOTATION,
    message: `the MCP servers' timeline of this test (${hosts} host${hosts === 1 ? '' : 's'}), as an HTML page`,
    attachment: { contentType: 'text/html', body: renderReportPage(model), bodyEncoding: 'utf-8' },
  })
  return true
}
