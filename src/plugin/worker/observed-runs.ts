// `observe: 'all'`: which test a message of a client the test file made travels in, and the settings
// the observer runs with. Kept apart from both halves (observe-hook.ts, observed-client.ts) that use it.
import { currentAttribution, processWide } from '../../scope/index.js'
import type { TestAttempt } from './test-attempt.js'

export interface ObserveSettings {
  readonly wire: 'error' | 'warn' | 'off'
  readonly toolCoverage: boolean
}

/** Tests running now, latest last: what a message outside any test's async context is charged to. */
// Process-wide: the setup file and the observer are bundled apart, each with a copy of this module.
const running = processWide('observed test runs', () => [] as TestAttempt[])

export function testStarted(run: TestAttempt): void {
  running.push(run)
}

export function testEnded(run: TestAttempt): void {
  const at = running.indexOf(run)
  if (at >= 0) running.splice(at, 1)
}

/** The test a message travels in: the one whose async context it is in, else the latest running. */
export function currentRun(): TestAttempt | undefined {
  const attributed = currentAttribution() as Partial<TestAttempt> | undefined
  if (attributed?.task && attributed.token) return attributed as TestAttempt
  return running.at(-1)
}
