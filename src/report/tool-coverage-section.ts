// The end-of-run tool coverage section: per server the percent called and the tools never called,
// the slowest tools, and why the run fails when a server is below `min`.
import type { ToolCoverageSummary } from './tool-coverage.js'

/** Slowest tools listed in the section; the summary file has all of them. */
export const SLOWEST_TOOLS = 5
/** Never-called tools named per server in the section before "and N more". */
const NAMED = 12

function names(tools: readonly string[]): string {
  const shown = tools.slice(0, NAMED).join(', ')
  return tools.length > NAMED ? `${shown} and ${tools.length - NAMED} more` : shown
}

/** A label short enough for a line: a long identity keeps its end, where the script's name is. */
function shown(label: string): string {
  return label.length > 60 ? `…${label.slice(-59)}` : label
}

export function formatToolCoverage(summary: ToolCoverageSummary, summaryFile: string): string[] {
  const lines = [' vitest-mcp-host tool coverage ']
  if (summary.servers.length === 0)
    lines.push(
      '  No server listed its tools to a host of vitest-mcp-host in this run (only its hosts are counted, not MCP clients the tests create themselves).',
    )
  const width = Math.max(0, ...summary.servers.map((s) => shown(s.label).length))
  for (const s of summary.servers) {
    const mark = summary.failing.includes(s.label) ? '✗' : s.notCalled.length === 0 ? '✓' : '·'
    const counts = `${s.called.length}/${s.advertised.length} tools called (${s.percent}%)`
    lines.push(`  ${mark} ${shown(s.label).padEnd(width)}  ${counts}`)
    if (s.notCalled.length > 0) lines.push(`      not called: ${names(s.notCalled)}`)
  }
  for (const u of summary.unlisted) {
    lines.push(
      `  · ${shown(u.label)}: not counted, its tools were never listed (called through client(): ${names(u.called)})`,
    )
  }
  const slowest = summary.timings.slice(0, SLOWEST_TOOLS)
  if (slowest.length > 0) {
    const tools = slowest.map((t) => `${shown(t.label)} › ${t.tool}`)
    const nameWidth = Math.max(20, ...tools.map((n) => n.length))
    const heading = ['calls', 'errors', 'p50 ms', 'p95 ms', 'max ms'].map((h) => h.padStart(8)).join('')
    lines.push(`  ${'Slowest tools (p95):'.padEnd(nameWidth + 2)}${heading}`)
    slowest.forEach((t, i) => {
      const counts = [t.count, t.errors].map((n) => String(n).padStart(8))
      const times = [t.p50Ms, t.p95Ms, t.maxMs].map((ms) => ms.toFixed(1).padStart(8))
      lines.push(`    ${(tools[i] ?? '').padEnd(nameWidth)}${counts.join('')}${times.join('')}`)
    })
    const more = summary.timings.length - slowest.length
    if (more > 0) lines.push(`    … and ${more} more tool(s) in the summary`)
  }
  if (summary.failing.length > 0) {
    const below = summary.servers.filter((s) => summary.failing.includes(s.label))
    lines.push(
      `  The run fails: tool coverage below ${summary.min}% for ${below
        .map((s) => `${shown(s.label)} (${s.percent}%; not called: ${names(s.notCalled)})`)
        .join('; ')}.`,
    )
  }
  lines.push(`  Summary: ${summaryFile}`)
  return lines
}
