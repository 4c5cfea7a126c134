// End-to-end: mcpHost({ html }) in real nested Vitest runs: the page's data (every file and test, the
// failing test's error, each host's servers and requests), and the same page from a suite run as two
// shards whose blob reports are merged (`--shard` + `--merge-reports`), worker-scoped hosts included.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, type ExpectStatic } from 'vitest'
import type { ReportModel, ReportTest } from '../../src/report/html/model.js'
import { outcomes, TEST_TIMEOUT_MS, test } from './harness.js'
import type { VitestRun } from './run-vitest.js'

const project = 'plugin-html'
const OUTCOMES = {
  'calls weather_lookup': 'passed',
  'fails after a call': 'failed: AssertionError',
  'uses no host': 'passed',
  'fails on every try': 'failed: AssertionError, AssertionError',
  'passes on its retry': 'passed: AssertionError',
  'calls current_time on a file-scoped host': 'passed',
  'calls weather_lookup on a worker-scoped host': 'passed',
}

/** The model the page of `result` carries in its `mcp-data` script element. */
function reportOf(result: VitestRun): ReportModel {
  const page = result.outFiles['report.html']
  if (!page) throw new Error(`no report.html; stdout:\n${result.stdout}\nstderr:\n${result.stderr}`)
  const open = '<script type="application/json" id="mcp-data">'
  const start = page.indexOf(open) + open.length
  return JSON.parse(page.slice(start, page.indexOf('</script>', start))) as ReportModel
}

/** `{ 'file > test': 'state servers: requests' }`: what the page shows of each test, compactly. */
function pageTests(model: ReportModel): Record<string, string> {
  const show = (t: ReportTest) => {
    const servers = t.hosts.flatMap((h) => h.servers.map((s) => s.name))
    const requests = t.hosts.flatMap((h) => h.requests.map((r) => r.event.replace(/^request /, '')))
    return `${t.state} [${servers.join(', ')}] ${requests.join(', ')}`.trim()
  }
  return Object.fromEntries(
    model.files.flatMap((f) => f.tests.map((t) => [`${f.file} > ${t.name}`, show(t)])),
  )
}

const PAGE = {
  'calls.case.ts > calls weather_lookup': 'passed [weather] tools/call weather_lookup',
  'calls.case.ts > fails after a call': 'failed [weather] tools/call weather_lookup',
  'calls.case.ts > uses no host': 'passed []',
  // A host per try.
  'calls.case.ts > fails on every try':
    'failed [weather, weather] tools/call weather_lookup, tools/call weather_lookup',
  'calls.case.ts > passes on its retry':
    'passed [weather, weather] tools/call weather_lookup, tools/call weather_lookup',
  // Shared hosts are no test's: their requests are in lanes of their own (below).
  'shared.case.ts > calls current_time on a file-scoped host': 'passed []',
  'shared.case.ts > calls weather_lookup on a worker-scoped host': 'passed []',
}

/** File- and worker-scoped hosts as rows of their own: in their file's list, or under the worker's. */
const SHARED_HOSTS = {
  'shared.case.ts > file-scoped fixture "hostManager"': 'passed [clock] tools/call current_time',
  'worker-scoped hosts > worker-scoped fixture "hostManager"': 'passed [pool] tools/call weather_lookup',
}

/**
 * Only the failing tests that used a host carry the timeline annotation, once, made from the final
 * result: one for a test that failed on every try (not one per try), none for a test that passed on
 * its retry. An HTML page of that test alone, with its error and its server's lane data.
 */
function expectTimelineAnnotation(result: VitestRun, expect: ExpectStatic): void {
  const annotated = result.tests.map((t) => [t.name, t.annotations.length]).filter(([, n]) => n !== 0)
  expect(annotated).toEqual([
    ['fails after a call', 1],
    ['fails on every try', 1],
  ])
  expect(result.test('fails on every try').annotations[0]?.message).toBe(
    "the MCP servers' timeline of this test (2 hosts), as an HTML page",
  )
  const [annotation] = result.test('fails after a call').annotations
  expect(annotation).toMatchObject({
    type: 'vitest-mcp-host timeline',
    message: "the MCP servers' timeline of this test (1 host), as an HTML page",
    attachment: { contentType: 'text/html', bodyEncoding: 'utf-8' },
  })
  const page = String(annotation?.attachment?.body)
  expect(page).toMatch(/^<!doctype html>/)
  expect(page).toContain('<title>vitest-mcp-host: fails after a call</title>')
  const model = JSON.parse(page.slice(page.indexOf('{"title"'), page.indexOf('</script>'))) as ReportModel
  expect(pageTests(model)).toEqual({
    'calls.case.ts > fails after a call': 'failed [weather] tools/call weather_lookup',
  })
}

describe.concurrent('the HTML report of a real nested Vitest', { timeout: TEST_TIMEOUT_MS * 2 }, () => {
  test("one run: every file and test, the failing test's error, each host's servers and requests", async ({
    expect,
    runFixture,
  }) => {
    const result = await runFixture(project)
    expect(outcomes(result)).toEqual(OUTCOMES)
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(/vitest-mcp-host: HTML report written to .*report\.html/)
    const model = reportOf(result)
    expect(pageTests(model)).toEqual({ ...PAGE, ...SHARED_HOSTS })
    // Once each (from the file's meta and from its teardown's line), in the page's order: a
    // file-scoped host first in its file, worker-scoped hosts last.
    expect(model.files.flatMap((f) => f.tests)).toHaveLength(9)
    expect(Object.keys(pageTests(model))).toEqual([
      'calls.case.ts > calls weather_lookup',
      'calls.case.ts > fails after a call',
      'calls.case.ts > uses no host',
      'calls.case.ts > fails on every try',
      'calls.case.ts > passes on its retry',
      'shared.case.ts > file-scoped fixture "hostManager"',
      'shared.case.ts > calls current_time on a file-scoped host',
      'shared.case.ts > calls weather_lookup on a worker-scoped host',
      'worker-scoped hosts > worker-scoped fixture "hostManager"',
    ])
    const failed = model.files[0]?.tests.find((t) => t.name === 'fails after a call')
    expect(failed?.errors).toEqual([
      { name: 'AssertionError', message: "expected 'Sunny' to be 'Rainy' // Object.is equality" },
    ])
    const events = failed?.hosts[0]?.servers[0]?.events.map((e) => e.event)
    expect(events).toEqual(expect.arrayContaining(['spawn', 'initialized', 'stdin-close', 'exit']))
    expectTimelineAnnotation(result, expect)
  })

  test('two shards (blob reports) merged with --merge-reports: one page with every test of both', async ({
    expect,
    runFixture,
  }) => {
    const blobs = mkdtempSync(join(tmpdir(), 'html-report-blobs-'))
    try {
      const shard = (i: number) =>
        runFixture(
          project,
          {},
          {
            args: [
              '--shard',
              `${i}/2`,
              '--reporter=blob',
              `--outputFile.blob=${join(blobs, `blob-${i}-2.json`)}`,
            ],
          },
        )
      const shards = await Promise.all([shard(1), shard(2)])
      // One file per shard; each part's page has its own tests and shared hosts only.
      const parts = shards.map((s) => Object.keys(pageTests(reportOf(s))))
      expect(parts.map((p) => p.length).sort()).toEqual([4, 5])
      expect(parts.flat().sort()).toEqual(Object.keys({ ...PAGE, ...SHARED_HOSTS }).sort())

      const merged = await runFixture(project, {}, { args: ['--merge-reports', blobs] })
      expect(outcomes(merged)).toEqual(OUTCOMES)
      expect(merged.exitCode).toBe(1)
      const model = reportOf(merged)
      // Every shard's tests, the file-scoped host (its file's meta is in the blob) and the
      // worker-scoped one (its teardown ends after the run's end: the blob waited for it), once each.
      expect(pageTests(model)).toEqual({ ...PAGE, ...SHARED_HOSTS })
      expect(model.files.flatMap((f) => f.tests)).toHaveLength(9)
      // Its whole timeline, teardown included.
      const pool = model.files.find((f) => f.file === 'worker-scoped hosts')?.tests[0]?.hosts[0]?.servers[0]
      expect(pool?.events.map((e) => e.event)).toEqual(
        expect.arrayContaining(['spawn', 'initialized', 'stdin-close', 'exit']),
      )
      const failed = model.files.flatMap((f) => f.tests).find((t) => t.name === 'fails after a call')
      expect(failed?.errors.map((e) => e.name)).toEqual(['AssertionError'])
      expect(failed?.hosts[0]?.servers[0]).toMatchObject({ name: 'weather', transport: 'stdio', exitCode: 0 })
      // The annotation came with the shard's blob, and the merged run did not add a second one.
      expectTimelineAnnotation(merged, expect)
    } finally {
      rmSync(blobs, { recursive: true, force: true })
    }
  })
})
