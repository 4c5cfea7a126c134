// The worker's half of tool coverage: hosts record on the wire, and at the end of each test file
// (after its own afterAll hooks, which may call tools too) what was recorded goes into the file's
// task meta, which reaches the reporter and survives blob reports (see ../tool-usage-meta.ts).
import { afterAll, type RunnerTestFile } from 'vitest'
import { recordToolUsage, takeToolUsage } from '../../host/records/tool-usage.js'
import type {} from '../tool-usage-meta.js'

/** The test file among a suite hook's arguments: `(context, suite)` on Vitest 4.1+, `(suite)` before. */
function fileAmong(args: ArrayLike<unknown>): RunnerTestFile | undefined {
  for (const arg of Array.from(args)) {
    const file = (arg as { file?: unknown } | null | undefined)?.file as Partial<RunnerTestFile> | undefined
    if (file?.type === 'suite' && typeof file.filepath === 'string') return file as RunnerTestFile
  }
  return undefined
}

/** Turns recording on for this worker and hands each file's usage to its task meta. */
export function recordToolUsagePerFile(): void {
  recordToolUsage()
  // A `function` without parameters, read through `arguments`: Vitest reads a hook's first
  // parameter as a fixture pattern, and the hook's arguments differ between Vitest versions.
  afterAll(function handOver() {
    const file = fileAmong(arguments)
    // No file found (a Vitest passing something else): kept, for the next file's hand-over.
    if (!file) return
    const usage = takeToolUsage()
    if (usage.length > 0) (file.meta.mcpHostToolUsage ??= []).push(...usage)
  })
}
