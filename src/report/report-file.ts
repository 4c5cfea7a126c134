// The channel from test workers to the plugin's reporter for what no test owns: shared-host teardowns.
import { appendFileSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { threadId } from 'node:worker_threads'
import type { HostSummary } from './host-summary.js'

/**
 * One line when a file- or worker-scoped host starts, one when its teardown ends. Vitest runs
 * worker-scoped teardown after the run's end is reported (and drops its errors, FACTS.md), so
 * the reporter waits for every started host's end line.
 */
export type SharedHostLine =
  | { readonly event: 'start'; readonly id: string; readonly host: string }
  | {
      readonly event: 'end'
      readonly id: string
      readonly summary: HostSummary
      readonly errors: readonly { name: string; message: string }[]
    }

let sequence = 0

export function sharedHostId(): string {
  return `${process.pid}-${threadId}-${++sequence}`
}

/** Written synchronously: a worker's teardown may be the last thing it does. */
export function writeSharedHostLine(dir: string, line: SharedHostLine): void {
  appendFileSync(join(dir, `${process.pid}-${threadId}.jsonl`), `${JSON.stringify(line)}\n`)
}

export function readSharedHostLines(dir: string): SharedHostLine[] {
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
      .map((line) => JSON.parse(line) as SharedHostLine),
  )
}
