// Per-tool latency budgets: which timings a budget names, each statistic judged, budgets naming no
// called tool, two projects' budgets merged, and the section's lines in a whole run and in a part.
import { describe, expect, test } from 'vitest'
import { checkBudgets, mergeBudgets, overBudget, type TimedTool } from '../../src/report/tool-budgets.js'
import type { ToolCoverageSummary } from '../../src/report/tool-coverage.js'
import { formatToolCoverage } from '../../src/report/tool-coverage-section.js'

function timing(server: string, tool: string, p50Ms: number, p95Ms: number, maxMs: number): TimedTool {
  return { server, identity: `node ${server}.js`, label: server, tool, count: 3, p50Ms, p95Ms, maxMs }
}

const timings = [
  timing('weather', 'lookup', 40, 180, 250),
  timing('backup', 'lookup', 5, 9, 12),
  timing('weather', 'time', 1, 2, 3),
]

function summaryWith(budgets: Record<string, { p50?: number; p95?: number; max?: number }>, part = false) {
  const summary: ToolCoverageSummary = {
    version: 1,
    min: undefined,
    ...(part ? { part: { shard: '1/2', blob: true }, belowMinInPart: [] } : {}),
    servers: [],
    failing: [],
    unlisted: [],
    timings: timings.map((t) => ({ ...t, errors: 0, timeouts: 0 })),
    budgets: checkBudgets(budgets, timings),
  }
  return summary
}

describe('checkBudgets', () => {
  test('a bare tool name budgets that tool on every server; server/name on that server only', () => {
    const bare = checkBudgets({ lookup: { p95: 100 } }, timings)
    expect(bare.checked.map((c) => [c.server, c.tool, c.over.map((o) => o.stat)])).toEqual([
      ['weather', 'lookup', ['p95']],
      ['backup', 'lookup', []],
    ])
    const scoped = checkBudgets({ 'backup/lookup': { p95: 1 } }, timings)
    expect(scoped.checked.map((c) => [c.server, c.budget])).toEqual([['backup', 'backup/lookup']])
    expect(scoped.notCalled).toEqual([])
  })

  test('each statistic set is judged against its measured value; one at its budget is within it', () => {
    const { checked } = checkBudgets({ 'weather/lookup': { p50: 40, p95: 100, max: 200 } }, timings)
    expect(checked).toHaveLength(1)
    expect(checked[0]).toMatchObject({
      budget: 'weather/lookup',
      limits: { p50: 40, p95: 100, max: 200 },
      calls: 3,
      measured: { p50Ms: 40, p95Ms: 180, maxMs: 250 },
      over: [
        { stat: 'p95', budgetMs: 100, measuredMs: 180 },
        { stat: 'max', budgetMs: 200, measuredMs: 250 },
      ],
    })
  })

  test('budgets that name no called tool (a typo, another server, an untested tool) are listed', () => {
    const result = checkBudgets({ lokup: { max: 5 }, 'other/lookup': { max: 5 }, time: { max: 5 } }, timings)
    expect(result.notCalled).toEqual(['lokup', 'other/lookup'])
    expect(result.checked.map((c) => c.tool)).toEqual(['time'])
    expect(overBudget(result)).toEqual([])
    expect(overBudget(undefined)).toEqual([])
  })
})

test('two projects budgeting one tool: the tighter of each statistic', () => {
  expect(mergeBudgets(undefined, { a: { max: 5 } })).toEqual({ a: { max: 5 } })
  expect(mergeBudgets({ a: { max: 5 } }, undefined)).toEqual({ a: { max: 5 } })
  expect(
    mergeBudgets({ a: { p50: 10, max: 50 }, b: { p95: 1 } }, { a: { p95: 20, max: 30 }, c: { max: 2 } }),
  ).toEqual({ a: { p50: 10, p95: 20, max: 30 }, b: { p95: 1 }, c: { max: 2 } })
})

describe('the section', () => {
  test('a whole run: each tool against its budget, the budgets never checked, and why the run fails', () => {
    const text = formatToolCoverage(
      summaryWith({ lookup: { p95: 100 }, time: { max: 5 }, lokup: { max: 1 } }),
      's.json',
    ).join('\n')
    expect(text).toContain(
      [
        '  Latency budgets:',
        '    ✗ weather › lookup  p95 180 ms > budget 100 ms',
        '    ✓ backup › lookup   p95 9 ms ≤ budget 100 ms',
        '    ✓ weather › time    max 3 ms ≤ budget 5 ms',
        '    · lokup: no tool of this name was called in this run; its budget was not checked',
      ].join('\n'),
    )
    expect(text).toContain(
      '  The run fails: 1 tool(s) over their latency budget: weather › lookup (p95 180 ms > budget 100 ms).',
    )
  })

  test('within every budget: no failure line', () => {
    const text = formatToolCoverage(summaryWith({ time: { p50: 1, max: 5 } }), 's.json').join('\n')
    expect(text).toContain('    ✓ weather › time  p50 1 ms ≤ budget 1 ms, max 3 ms ≤ budget 5 ms')
    expect(text).not.toContain('The run fails')
  })

  test('a part of a run: an overrun is listed, not failed, and said to be judged on the whole', () => {
    const text = formatToolCoverage(summaryWith({ lookup: { max: 100 } }, true), 's.json').join('\n')
    expect(text).toContain('    · weather › lookup  max 250 ms > budget 100 ms')
    expect(text).toContain(
      '  Over budget in this part alone, judged on the whole run: weather › lookup (max 250 ms > budget 100 ms).',
    )
    expect(text).not.toContain('The run fails')
  })
})
