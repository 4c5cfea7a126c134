// End-to-end: mcpHost({ toolCoverage }) in real nested Vitest runs, two workers and three files: what
// each server advertised and was called for, merged across workers, the section, the summary file,
// and `min` failing the run.
import { describe, test } from 'vitest'
import type { ToolCoverageSummary } from '../../src/report/tool-coverage.js'
import { outcomes, run, section, TEST_TIMEOUT_MS } from './harness.js'
import type { VitestRun } from './run-vitest.js'

const PASSED = {
  london: 'passed',
  'an unknown time zone is a tool error': 'passed',
  'through the SDK client: listed and called all the same': 'passed',
  'lists the tools of one server, calls none, and only pings the other': 'passed',
}

function summaryOf(result: VitestRun): ToolCoverageSummary {
  const text = result.outFiles['tool-coverage.json']
  if (!text) throw new Error(`no summary file; stdout:\n${result.stdout}`)
  return JSON.parse(text) as ToolCoverageSummary
}

describe.concurrent('toolCoverage in a real nested Vitest', { timeout: TEST_TIMEOUT_MS }, () => {
  test('below min: every test passes, the run fails naming the server and its never-called tools', async ({
    expect,
    signal,
  }) => {
    const result = await run('plugin-tool-coverage', { signal, env: { COVERAGE_MIN: '60' } })
    expect(outcomes(result)).toEqual(PASSED)
    expect(result.exitCode).toBe(1)
    const summary = summaryOf(result)
    expect(summary.min).toBe(60)
    // weather: one server across both workers and both files (test- and file-scoped); quiet: never
    // listed, so not counted; listed: listed, never called.
    expect(summary.servers.map((s) => [s.server, s.called, s.notCalled, s.percent])).toEqual([
      ['listed', [], ['current_time', 'weather_lookup'], 0],
      ['weather', ['current_time', 'weather_lookup'], [], 100],
    ])
    expect(summary.failing).toEqual(['listed'])
    const timings = Object.fromEntries(summary.timings.map((t) => [`${t.server} ${t.tool}`, t]))
    expect(Object.keys(timings).sort()).toEqual(['weather current_time', 'weather weather_lookup'])
    expect(timings['weather weather_lookup']).toMatchObject({ count: 2, errors: 0 })
    expect(timings['weather current_time']).toMatchObject({ count: 1, errors: 1 })
    for (const t of summary.timings) {
      expect(t.p50Ms).toBeGreaterThan(0)
      expect(t.p50Ms).toBeLessThanOrEqual(t.p95Ms)
      expect(t.p95Ms).toBeLessThanOrEqual(t.maxMs)
    }
    const text = section(result, ' vitest-mcp-host tool coverage ')
    expect(text).toContain('✗ listed   0/2 tools called (0%)\n      not called: current_time, weather_lookup')
    expect(text).toContain('✓ weather  2/2 tools called (100%)')
    expect(text).toMatch(/\n {4}weather › weather_lookup +2 +0 +\d+\.\d +\d+\.\d +\d+\.\d\n/)
    expect(text).toContain(
      'The run fails: tool coverage below 60% for listed (0%; not called: current_time, weather_lookup).',
    )
  })

  test('at or above min, in the threads pool: the run passes with the same summary', async ({
    expect,
    signal,
  }) => {
    const result = await run('plugin-tool-coverage', {
      signal,
      env: { COVERAGE_MIN: '0', E2E_POOL: 'threads' },
    })
    expect(outcomes(result)).toEqual(PASSED)
    expect(result.exitCode).toBe(0)
    const summary = summaryOf(result)
    expect(summary.failing).toEqual([])
    expect(summary.servers.map((s) => [s.server, s.percent])).toEqual([
      ['listed', 0],
      ['weather', 100],
    ])
    expect(section(result, ' vitest-mcp-host tool coverage ')).toContain('· listed   0/2 tools called (0%)')
  })

  test('a summary file that cannot be written: the section is printed, the run fails saying what to set', async ({
    expect,
    signal,
  }) => {
    const result = await run('plugin-tool-coverage', {
      signal,
      env: { COVERAGE_MIN: '0', COVERAGE_FILE_IS_DIR: '1' },
    })
    expect(outcomes(result)).toEqual(PASSED)
    expect(section(result, ' vitest-mcp-host tool coverage ')).toContain('✓ weather  2/2 tools called (100%)')
    expect(result.stdout + result.stderr).toMatch(
      /vitest-mcp-host: the tool coverage summary could not be written to .+ \(EISDIR[^)]*\): set mcpHost\(\{ toolCoverage: \{ outputFile \} \}\) to a file path you can write/,
    )
    expect(result.exitCode).toBe(1)
  })

  test('watch mode: each run counts its own calls only', async ({ expect, signal }) => {
    const result = await run('plugin-tool-coverage', { signal, twice: true, env: { COVERAGE_MIN: '0' } })
    expect(outcomes(result)).toEqual(PASSED)
    const lookup = summaryOf(result).timings.find((t) => t.tool === 'weather_lookup')
    expect(lookup).toMatchObject({ server: 'weather', count: 2 })
  })
})
