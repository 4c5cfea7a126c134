// The channel from test workers to the plugin's reporter for what no test owns: shared-host teardowns.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { threadId } from 'node:worker_threads'
import type { ReapedLine } from '../launchers/processes/reaper-protocol.js'
import { processWide } from '../scope/process-wide.js'
import type { HostSummary } from './host-summary.js'

/** The worker a line comes from: its process, and its thread in that process. */
export interface WorkerId {
  readonly pid: number
  readonly threadId: number
}

/**
 * One line when a file- or worker-scoped host starts, one when its teardown ends. Vitest runs
 * worker-scoped teardown after the run's end is reported (and drops its errors, FACTS.md), so
 * the reporter waits for every started host's end line. A worker's reaper adds a line (its own
 * file) when it had to kill what the worker left.
 */
export type SharedHostLine =
  | {
      readonly event: 'start'
      readonly id: string
      readonly host: string
      /** Absent in lines of older versions. */
      readonly worker?: WorkerId
    }
  | {
      readonly event: 'end'
      readonly id: string
      readonly summary: HostSummary
      /** The test file of a file-scoped host (absolute); absent for a worker-scoped one and in older lines. */
      readonly file?: string
      /** What fails the run. */
      readonly errors: readonly { name: string; message: string }[]
      /** What the settings say to list without failing (`'warn'`); absent in older lines. */
      readonly warnings?: readonly { name: string; message: string }[]
    }
  | ReapedLine

// Process-wide: two copies of this module in one worker must not hand out the same id.
const counter = processWide('shared host ids', () => ({ last: 0 }))

export function thisWorker(): WorkerId {
  return { pid: process.pid, threadId }
}

export function sharedHostId(): string {
  return `${process.pid}-${threadId}-${++counter.last}`
}

/** Written synchronously: a worker's teardown may be the last thing it does. */
export function writeSharedHostLine(dir: string, line: SharedHostLine): void {
  mkdirSync(dir, { recursive: true })
  appendFileSync(join(dir, `${process.pid}-${threadId}.jsonl`), `${JSON.stringify(line)}\n`)
}

function lineFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.jsonl'))
  } catch {
    return []
  }
}

/**
 * Every complete line written so far. A line still being appended (a long end line lands in
 * pieces) or cut off by a killed worker has no newline yet, and is left for a later read.
 */
export function readSharedHostLines(dir: string): SharedHostLine[] {
  return lineFiles(dir).flatMap((file) => {
    let text: string
    try {
      text = readFileSync(join(dir, file), 'utf8')
    } catch {
      return []
    }
    return text
      .slice(0, text.lastIndexOf('\n') + 1)
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as SharedHostLine]
        } catch {
          return []
        }
      })
  })
}

export function clearSharedHostLines(dir: string): void {
  for (const file of lineFiles(dir)) rmSync(join(dir, file), { force: true })
}
