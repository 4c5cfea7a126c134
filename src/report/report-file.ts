// The channel from test workers to the plugin's reporter for what no test owns: shared-host teardowns.
import { appendFileSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { threadId } from 'node:worker_threads'
import type { HostSummary } from './host-summary.js'

/** A file- or worker-scoped host's teardown: its summary and every problem found, in full. */
export interface SharedTeardownReport {
  readonly summary: HostSummary
  readonly errors: readonly { name: string; message: string }[]
}

/**
 * Written synchronously, line by line: a worker's teardown may be the last thing it does, and
 * Vitest reports worker-scoped fixture errors late or not at all (FACTS.md).
 */
export function writeSharedTeardown(dir: string, report: SharedTeardownReport): void {
  appendFileSync(join(dir, `${process.pid}-${threadId}.jsonl`), `${JSON.stringify(report)}\n`)
}

export function readSharedTeardowns(dir: string): SharedTeardownReport[] {
  let files: string[]
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'))
  } catch {
    return []
  }
  return files.flatMap((file) =>
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as SharedTeardownReport),
  )
}
