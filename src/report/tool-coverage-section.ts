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

export function formatToolCoverage(summary: ToolCoverageSummary, summaryFile: string): string[] {
  const lines = [' vitest-mcp-host tool coverage ']
  if (summary.servers.length === 0) lines.push('  No server listed its tools in this run.')
  const width = Math.max(0, ...summary.servers.map((s) => s.server.length))
  for (const s of summary.servers) {
    const mark = summary.failing.includes(s.server) ? '✗' : s.notCalled.length === 0 ? '✓' : '·'
    const counts = `${s.called.length}/${s.advertised.length} tools called (${s.percent}%)`
    lines.push(`  ${mark} ${s.server.padEnd(width)}  ${counts}`)
    if (s.notCalled.length > 0) lines.push(`      not called: ${names(s.notCalled)}`)
  }
  const slowest = summary.timings.slice(0, SLOWEST_TOOLS)
  if (slowest.length > 0) {
    const names = slowest.map((t) => `${t.server} › ${t.tool}`)
    const nameWidth = Math.max(20, ...names.map((n) => n.length))
    const heading = ['calls', 'errors', 'p50 ms', 'p95 ms', 'max ms'].map((h) => h.padStart(8)).join('')
    lines.push(`  ${'Slowest tools (p95):'.padEnd(nameWidth + 2)}${heading}`)
    slowest.forEach((t, i) => {
      const counts = [t.count, t.errors].map((n) => String(n).padStart(8))
      const times = [t.p50Ms, t.p95Ms, t.maxMs].map((ms) => ms.toFixed(1).padStart(8))
      lines.push(`    ${(names[i] ?? '').padEnd(nameWidth)}${counts.join('')}${times.join('')}`)
    })
  }
  if (summary.failing.length > 0) {
    const below = summary.servers.filter((s) => summary.failing.includes(s.server))
    lines.push(
      `  The run fails: tool coverage below ${summary.min}% for ${below
        .map((s) => `${s.server} (${s.percent}%; not called: ${names(s.notCalled)})`)
        .join('; ')}.`,
    )
  }
  lines.push(`  Summary: ${summaryFile}`)
  return lines
}
