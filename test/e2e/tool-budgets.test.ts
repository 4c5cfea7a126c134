// End-to-end: mcpHost({ toolCoverage: { budgets } }) in real nested Vitest runs: a tool over its
// budget fails the run (every test passing), naming the tool, the budget and the measured value; a
// budget naming no called tool is listed; budgets kept let the run pass.
import { describe, test } from 'vitest'
import type { ToolCoverageSummary } from '../../src/report/tool-coverage.js'
import { outcomes, run, section, TEST_TIMEOUT_MS } from './harness.js'
import type { VitestRun } from './run-vitest.js'

function summaryOf(result: VitestRun): ToolCoverageSummary {
  const text = result.outFiles['tool-coverage.json']
  if (!text) throw new Error(`no summary file; stdout:\n${result.stdout}`)
  return JSON.parse(text) as ToolCoverageSummary
}

const budgetsRun = (budgets: object, signal: AbortSignal) =>
  run('plugin-tool-budgets', { signal, env: { BUDGETS: JSON.stringify(budgets) } })

describe.concurrent('latency budgets in a real nested Vitest', { timeout: TEST_TIMEOUT_MS }, () => {
  test('a tool over its budget: every test passes, the run fails naming tool, budget and measured value', async ({
    expect,
    signal,
  }) => {
    const result = await budgetsRun(
      { slow: { max: 50 }, 'clock/fast': { p95: 30_000 }, forecast: { p50: 10 } },
      signal,
    )
    expect(outcomes(result)).toEqual({ 'calls both tools': 'passed' })
    expect(result.exitCode).toBe(1)
    const { budgets } = summaryOf(result)
    const slow = budgets?.checked.find((c) => c.tool === 'slow')
    expect(slow).toMatchObject({ server: 'clock', budget: 'slow', limits: { max: 50 }, calls: 1 })
    expect(slow?.measured.maxMs).toBeGreaterThanOrEqual(150)
    expect(slow?.over).toEqual([{ stat: 'max', budgetMs: 50, measuredMs: slow?.measured.maxMs }])
    expect(budgets?.checked.find((c) => c.tool === 'fast')).toMatchObject({ budget: 'clock/fast', over: [] })
    expect(budgets?.notCalled).toEqual(['forecast'])
    const text = section(result, ' vitest-mcp-host tool coverage ')
    const measured = slow?.measured.maxMs
    expect(text).toContain(`    ✗ clock › slow  max ${measured} ms > budget 50 ms`)
    expect(text).toMatch(/\n {4}✓ clock › fast {2}p95 \d+(\.\d)? ms ≤ budget 30000 ms\n/)
    expect(text).toContain(
      '    · forecast: no tool of this name was called in this run; its budget was not checked',
    )
    expect(text).toContain(
      `  The run fails: 1 tool(s) over their latency budget: clock › slow (max ${measured} ms > budget 50 ms).`,
    )
  })

  test('every tool within its budget: the run passes', async ({ expect, signal }) => {
    const result = await budgetsRun({ slow: { p50: 30_000, max: 30_000 }, fast: { max: 30_000 } }, signal)
    expect(outcomes(result)).toEqual({ 'calls both tools': 'passed' })
    expect(result.exitCode).toBe(0)
    expect(summaryOf(result).budgets?.checked.map((c) => [c.tool, c.over])).toEqual([
      ['slow', []],
      ['fast', []],
    ])
    expect(section(result, ' vitest-mcp-host tool coverage ')).not.toContain('The run fails')
  })
})
