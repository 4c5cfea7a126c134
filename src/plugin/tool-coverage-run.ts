// The end of a run's tool coverage: every test file's usage (from its task meta, so the files of
// every shard when blobs are merged) merged, the section printed, the summary written, and `min` and
// the latency budgets judged, except in a run that is one part of a larger one (a shard, or a run
// writing a blob): its coverage and timings are partial, and only the whole (the merged run) counts.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import type { TestModule, Vitest } from 'vitest/node'
import { checkBudgets, overBudget, type ToolBudget } from '../report/tool-budgets.js'
import { mergeToolUsage, type RunPart, summarizeToolCoverage } from '../report/tool-coverage.js'
import { formatToolCoverage } from '../report/tool-coverage-section.js'
import { toolUsageIn } from './tool-usage-meta.js'

/** Whether a configured reporter is Vitest's blob reporter (by name, options tuple or instance). */
function isBlob(reporter: unknown): boolean {
  const named = Array.isArray(reporter) ? reporter[0] : reporter
  if (named === 'blob') return true
  return (named as { constructor?: { name?: string } } | null)?.constructor?.name === 'BlobReporter'
}

/** What makes this run a part of a larger one: `--shard`, or a blob written for `--merge-reports`. */
export function runPart(vitest: Vitest | undefined): RunPart | undefined {
  if (!vitest) return undefined
  const { shard, reporters } = vitest.config
  const blob = reporters.some(isBlob)
  if (!shard && !blob) return undefined
  return shard ? { shard: `${shard.index}/${shard.count}`, blob } : { blob }
}

/** What the reporter judges the run's tool coverage by (the projects' options merged). */
export interface ToolCoverageJudging {
  min: number | undefined
  outputFile: string
  budgets?: Record<string, ToolBudget> | undefined
}

/**
 * Prints the coverage section and writes the summary file; false when the run fails for it: a
 * server below `min` or a tool over its budget in a whole run, or a file that could not be written
 * (the section first either way).
 */
export function reportToolCoverage(
  vitest: Vitest | undefined,
  testModules: ReadonlyArray<TestModule>,
  { min, outputFile, budgets }: ToolCoverageJudging,
): boolean {
  const root = vitest?.config.root ?? process.cwd()
  const log = vitest?.logger ?? console
  const usage = mergeToolUsage(testModules.map((module) => toolUsageIn(module.meta())))
  const coverage = summarizeToolCoverage(usage, min, runPart(vitest))
  const summary = budgets ? { ...coverage, budgets: checkBudgets(budgets, coverage.timings) } : coverage
  const file = resolve(root, outputFile)
  const shown = relative(root, file)
  log.log(`\n${formatToolCoverage(summary, shown.startsWith('..') ? file : shown).join('\n')}\n`)
  try {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`)
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    log.error(
      `vitest-mcp-host: the tool coverage summary could not be written to ${file} (${why}): ` +
        'set mcpHost({ toolCoverage: { outputFile } }) to a file path you can write',
    )
    return false
  }
  return (
    summary.failing.length === 0 && (summary.part !== undefined || overBudget(summary.budgets).length === 0)
  )
}
