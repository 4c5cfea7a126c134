// One attempt of one test, as the unit that leaks are charged to.
import type { ChildProcess } from 'node:child_process'
import type { RunnerTestCase } from 'vitest'
import { attemptMark } from '../../fixtures/timeout.js'
import type { Attribution, CallSite, CrossContextDisposalError } from '../../scope/index.js'

/** A child process started while a test ran, recorded by the spawn hook. */
export interface SpawnRecord {
  readonly pid: number
  readonly command: string
  /** Its handle: once it has exited, its pid may belong to an unrelated process. */
  readonly child: ChildProcess
  readonly site: CallSite
  /** Ends the reaper's watch, once the test's process check is done with it. */
  readonly unwatch: () => void
}

let sequence = 0
/** Tells this worker's tokens from those of an earlier worker that had the same pid. */
const workerNonce = Math.random().toString(36).slice(2, 10)

export class TestAttempt implements Attribution {
  readonly shared = false
  readonly task: RunnerTestCase
  readonly label: string
  /** Put in the environment of every process the test spawns, so its descendants can be found. */
  readonly token = `${process.pid}-${workerNonce}-${++sequence}`
  readonly findings: CrossContextDisposalError[] = []
  /** performance.now() at its start: a shared host's traffic of no test, from then on, is this test's. */
  readonly startedAt = performance.now()
  readonly spawned: SpawnRecord[] = []
  /** `forkCount()` just before the first spawn (Linux): what the test started has a pid above its first child's. */
  forksBefore: number | undefined
  /** Where this attempt's errors start in `task.result.errors` (earlier attempts' come first). */
  readonly errorMark: number

  constructor(task: RunnerTestCase) {
    this.task = task
    this.errorMark = attemptMark(task)
    const attempt = task.result?.retryCount ? ` (retry ${task.result.retryCount})` : ''
    this.label = `test "${task.name}"${attempt}`
  }

  noteFinding(error: CrossContextDisposalError): void {
    this.findings.push(error)
  }
}
