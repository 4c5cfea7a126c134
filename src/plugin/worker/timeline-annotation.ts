// A failing test's hosts' timeline, attached to it as an HTML annotation: Vitest's UI and its HTML
// reporter list annotations with a link to their attachment (the same page as the run's report,
// for this one test). Loaded by the setup file only when a test with hosts fails.
import { relative } from 'node:path'
import type { RunnerTestCase, TestContext } from 'vitest'
import { buildReportModel } from '../../report/html/model.js'
import { renderReportPage } from '../../report/html/page.js'

/** The annotation's type, as Vitest's UI and reporters show it next to the message. */
export const TIMELINE_ANNOTATION = 'vitest-mcp-host timeline'

function pageFor(task: RunnerTestCase): string {
  const meta = task.meta.mcpHost
  const file = relative(process.cwd(), task.file.filepath)
  const model = buildReportModel(
    [
      {
        file,
        fullName: task.fullName ?? task.name,
        state: 'failed',
        ...(task.result?.duration === undefined ? {} : { durationMs: task.result.duration }),
        errors: (task.result?.errors ?? []).map((e) => ({ name: e.name, message: e.message })),
        hosts: meta?.hosts ?? [],
        warnings: meta?.warnings ?? [],
        notes: meta?.notes ?? [],
      },
    ],
    `vitest-mcp-host: ${task.name}`,
  )
  return renderReportPage(model)
}

/**
 * Annotates the failed `task` with its timeline page. Vitest refuses annotations once a test has
 * its state (`annotate()` checks `result.state === 'run'`), and the checks that fail a test for a
 * leak run after that: the state reads 'run' only for the synchronous call that records the
 * annotation, and is restored before anything else runs. Vitest 4.1 and 5.1 behave the same.
 */
export async function annotateTimeline(
  annotate: TestContext['annotate'],
  task: RunnerTestCase,
): Promise<void> {
  const result = task.result
  if (!result || result.state !== 'fail' || !task.meta.mcpHost?.hosts.length) return
  const body = pageFor(task)
  const hosts = task.meta.mcpHost.hosts.length
  const message = `the MCP servers' timeline of this test (${hosts} host${hosts === 1 ? '' : 's'}), as an HTML page`
  const state = result.state
  let recorded: Promise<unknown>
  result.state = 'run'
  try {
    recorded = annotate(message, TIMELINE_ANNOTATION, {
      contentType: 'text/html',
      body,
      bodyEncoding: 'utf-8',
    })
  } finally {
    result.state = state
  }
  await recorded
}
