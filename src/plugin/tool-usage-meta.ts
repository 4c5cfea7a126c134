// Where a test file carries its tool usage: its task meta. Vitest sends it from the worker to the
// reporter and keeps it in blob reports, so `--merge-reports` of shards sees every file's usage.
import type { ServerToolUsage } from '../host/records/tool-usage.js'

declare module 'vitest' {
  interface TaskMeta {
    /** What this file's hosts' servers advertised and were called for (`toolCoverage`). */
    mcpHostToolUsage?: ServerToolUsage[]
  }
}

/** The usage a test file (a module's `meta()`) carries; none without `toolCoverage`. */
export function toolUsageIn(meta: { mcpHostToolUsage?: ServerToolUsage[] }): readonly ServerToolUsage[] {
  return meta.mcpHostToolUsage ?? []
}
