// The end-of-run tool coverage section: per server the percent called and the tools never called,
// the slowest tools, the latency budgets, and why the run fails when a server is below `min` or a
// tool over its budget (or, in a run that is one part of a larger one, why it does not).
import {
  BUDGET_STATS,
  type BudgetCheck,
  type BudgetSummary,
  describeOverruns,
  overBudget,
} from './tool-budgets.js'
import type { RunPart, ServerId, ToolCoverageSummary } from './tool-coverage.js'

/** Slowest tools listed in the section; the summary file has all of them. */
export const SLOWEST_TOOLS = 5
/** Never-called tools named per server in the section before "and N more". */
const NAMED = 12
/** Longest label shown on a line. */
const LABEL_WIDTH = 60

function names(tools: readonly string[]): string {
  const shown = tools.slice(0, NAMED).join(', ')
  return tools.length > NAMED ? `${shown} and ${tools.length - NAMED} more` : shown
}

/**
 * A label short enough for a line: the server's name always whole, then as much of the end of
 * what it runs as fits (where the script's name is).
 */
function shown({ server, identity, label }: ServerId): string {
  if (label.length <= LABEL_WIDTH || label === server) return label
  const room = Math.max(12, LABEL_WIDTH - server.length - 4)
  return `${server} (…${identity.slice(-room)})`
}

/** Why `min` is not judged in this run, and where it is. */
function partNote(part: RunPart, summary: ToolCoverageSummary): string {
  const what = part.shard ? `shard ${part.shard}` : 'a run writing a blob report'
  const judged = part.blob
    ? 'when the blobs are merged (vitest --merge-reports)'
    : 'on a whole run, or on the blobs of all shards merged (--reporter=blob, then vitest --merge-reports)'
  const lead = `  This is ${what}: its own calls only`
  if (summary.min === undefined) return `${lead}; the whole run's coverage shows ${judged}.`
  const below = summary.servers.filter((s) => summary.belowMinInPart?.includes(s.label))
  const here =
    below.length === 0
      ? ''
      : ` Below it in this part alone: ${below.map((s) => `${shown(s)} (${s.percent}%)`).join(', ')}.`
  return `${lead}, so min ${summary.min}% does not fail it; min is judged ${judged}.${here}`
}

/** `p95 1.2 ms ≤ budget 500 ms, max …`: each statistic the budget sets, measured against it. */
function measuredAgainst({ limits, measured }: BudgetCheck): string {
  return BUDGET_STATS.flatMap((stat) => {
    const budget = limits[stat]
    if (budget === undefined) return []
    const ms = measured[`${stat}Ms`]
    return [`${stat} ${ms} ms ${ms > budget ? '>' : '≤'} budget ${budget} ms`]
  }).join(', ')
}

/** The budgets: each tool over its budget (✗), each kept (✓), each budget that named no tool called (·). */
function budgetLines(budgets: BudgetSummary, part: boolean): string[] {
  const lines = ['  Latency budgets:']
  const width = Math.max(0, ...budgets.checked.map((c) => `${shown(c)} › ${c.tool}`.length))
  for (const check of budgets.checked) {
    const name = `${shown(check)} › ${check.tool}`.padEnd(width)
    const mark = check.over.length === 0 ? '✓' : part ? '·' : '✗'
    lines.push(`    ${mark} ${name}  ${measuredAgainst(check)}`)
  }
  for (const key of budgets.notCalled)
    lines.push(`    · ${key}: no tool of this name was called in this run; its budget was not checked`)
  return lines
}

export function formatToolCoverage(summary: ToolCoverageSummary, summaryFile: string): string[] {
  const lines = [' vitest-mcp-host tool coverage ']
  if (summary.servers.length === 0)
    lines.push(
      "  No server listed its tools in this run (counted: the hosts of vitest-mcp-host, and with mcpHost({ observe: 'all' }) the MCP clients the tests create).",
    )
  const width = Math.max(0, ...summary.servers.map((s) => shown(s).length))
  for (const s of summary.servers) {
    const mark = summary.failing.includes(s.label) ? '✗' : s.notCalled.length === 0 ? '✓' : '·'
    const counts = `${s.called.length}/${s.advertised.length} tools called (${s.percent}%)`
    lines.push(`  ${mark} ${shown(s).padEnd(width)}  ${counts}`)
    if (s.notCalled.length > 0) lines.push(`      not called: ${names(s.notCalled)}`)
  }
  for (const u of summary.unlisted) {
    lines.push(
      `  · ${shown(u)}: not counted, its tools were never listed (called without a listing: ${names(u.called)})`,
    )
  }
  const slowest = summary.timings.slice(0, SLOWEST_TOOLS)
  if (slowest.length > 0) {
    const tools = slowest.map((t) => `${shown(t)} › ${t.tool}`)
    const nameWidth = Math.max(20, ...tools.map((n) => n.length))
    const heading = ['calls', 'errors', 'timeouts', 'p50 ms', 'p95 ms', 'max ms'].map((h) => h.padStart(9))
    lines.push(`  ${'Slowest tools (p95):'.padEnd(nameWidth + 2)}${heading.join('')}`)
    slowest.forEach((t, i) => {
      const counts = [t.count, t.errors, t.timeouts].map((n) => String(n).padStart(9))
      const times = [t.p50Ms, t.p95Ms, t.maxMs].map((ms) => ms.toFixed(1).padStart(9))
      lines.push(`    ${(tools[i] ?? '').padEnd(nameWidth)}${counts.join('')}${times.join('')}`)
    })
    const more = summary.timings.length - slowest.length
    if (more > 0) lines.push(`    … and ${more} more tool(s) in the summary`)
    if (slowest.some((t) => t.timeouts > 0))
      lines.push('    A timed-out call counts at its timeout: its tool took at least that long.')
  }
  if (summary.budgets) lines.push(...budgetLines(summary.budgets, summary.part !== undefined))
  if (summary.part) lines.push(partNote(summary.part, summary))
  if (summary.failing.length > 0) {
    const below = summary.servers.filter((s) => summary.failing.includes(s.label))
    lines.push(
      `  The run fails: tool coverage below ${summary.min}% for ${below
        .map((s) => `${shown(s)} (${s.percent}%; not called: ${names(s.notCalled)})`)
        .join('; ')}.`,
    )
  }
  const over = overBudget(summary.budgets)
  if (over.length > 0) {
    const list = over.map((c) => `${shown(c)} › ${c.tool} (${describeOverruns(c.over)})`).join('; ')
    lines.push(
      summary.part
        ? `  Over budget in this part alone, judged on the whole run: ${list}.`
        : `  The run fails: ${over.length} tool(s) over their latency budget: ${list}.`,
    )
  }
  lines.push(`  Summary: ${summaryFile}`)
  return lines
}
