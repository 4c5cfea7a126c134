// What every e2e test file needs: a bounded pool of nested runs, the checks every run must pass,
// `test` with a `runFixture` bound to the test it runs for, and compact views of outcomes.
import { appendFileSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { test as base, inject } from 'vitest'
import { SLOTS_KEY, SUITE_RUN_SLOTS, withSlots } from './run-slots.js'
import { fixturesDir, markedProcesses, runVitest, type TestOutcome, type VitestRun } from './run-vitest.js'

export const NESTED_TIMEOUT_MS = 60_000
export const TEST_TIMEOUT_MS = 90_000

export const vitestMajor = Number(
  (createRequire(import.meta.url)('vitest/package.json') as { version: string }).version.split('.')[0],
)

/** The name of the error a test that times out fails with: Vitest 5 gave it a class of its own. */
export const TIMEOUT_ERROR = vitestMajor >= 5 ? 'TestTimeoutError' : 'Error'

function limiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0
  const waiting: Array<() => void> = []
  return async (task) => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve))
    active++
    try {
      return await task()
    } finally {
      active--
      waiting.shift()?.()
    }
  }
}
/** This worker's own limit, for a file run without the suite's globalSetup (no slot server). */
const limit = limiter(SUITE_RUN_SLOTS)

/**
 * Runs `task`, which starts `weight` nested runs, once the suite has room for them: slots shared by
 * every worker (run-slots.ts), so files running side by side do not start more runs than the
 * machine can start in time.
 */
export function inRunSlots<T>(
  weight: number,
  signal: AbortSignal | undefined,
  task: () => Promise<T>,
): Promise<T> {
  const server = inject(SLOTS_KEY)
  return server ? withSlots(server, weight, signal, task) : limit(task)
}

export interface RunCheckOptions {
  env?: Record<string, string>
  signal?: AbortSignal
  /** Run it twice in one watch-mode Vitest; the outcomes are the second run's. */
  twice?: boolean
  /** More arguments for `vitest run` (`--shard`, `--merge-reports`, ...); not with `twice`. */
  args?: string[]
  /**
   * Leave unhandled errors of the run to the caller: without the plugin, Vitest drops a
   * worker-scoped teardown's error or passes it on as unhandled, at random (FACTS.md, issue 14).
   */
  allowUnhandled?: boolean
}

/**
 * `E2E_RUN_TIMES=<file>`: one JSON line per nested run (project, ms waited for a slot, ms it ran),
 * to see where an e2e file's time goes (BENCHMARKS.md, "Test suite time").
 */
function noteRunTime(project: string, waitedMs: number, runMs: number): void {
  const file = process.env.E2E_RUN_TIMES
  if (!file) return
  const line = { project, waitedMs: Math.round(waitedMs), runMs: Math.round(runMs), at: Date.now() }
  appendFileSync(file, `${JSON.stringify(line)}\n`)
}

/** Runs `project` and checks what every run must satisfy: it left no process behind and had no unhandled error. */
export async function run(project: string, options: RunCheckOptions = {}): Promise<VitestRun> {
  const { allowUnhandled = false, ...runOptions } = options
  const asked = performance.now()
  let waited = 0
  const result = await inRunSlots(1, options.signal, () => {
    waited = performance.now() - asked
    return runVitest(project, { timeoutMs: NESTED_TIMEOUT_MS, ...runOptions })
  })
  noteRunTime(project, waited, result.durationMs)
  const context = `e2e project "${project}"\nstderr:\n${result.stderr}`
  if (result.leftoverRunnerProcesses.length > 0) {
    throw new Error(
      `${context}\nnested vitest left processes: ${JSON.stringify(result.leftoverRunnerProcesses)}`,
    )
  }
  const left = markedProcesses(result.marker)
  if (left.length > 0) throw new Error(`${context}\nprocesses left running: ${JSON.stringify(left)}`)
  if (!allowUnhandled && result.unhandledErrors.length > 0) {
    throw new Error(`${context}\nunhandled errors: ${JSON.stringify(result.unhandledErrors, null, 2)}`)
  }
  return result
}

/** What a nested run takes besides its project and environment. */
export type FixtureRunOptions = Omit<RunCheckOptions, 'env' | 'signal'>

export interface E2eFixtures {
  /**
   * Runs the fixture project `project` with `env` as `run` does (a run slot, the checks every run
   * must pass), for the test it is given to: the nested run is killed when that test is aborted
   * (its timeout), also in a `describe.concurrent` block.
   */
  runFixture: (
    project: string,
    env?: Record<string, string>,
    options?: FixtureRunOptions,
  ) => Promise<VitestRun>
}

/**
 * Vitest's `test` with `runFixture`: the head every nested-run test shared.
 *
 * @example
 * test('leaks fail their test', async ({ expect, runFixture }) => {
 *   expect(outcomes(await runFixture('plugin-processes'))).toEqual({ ... })
 * })
 */
export const test = base.extend<E2eFixtures>({
  runFixture: async ({ signal }, use) => {
    await use((project, env = {}, options = {}) => run(project, { ...options, env, signal }))
  },
})

/** `{ testName: 'passed' | 'failed: ErrorName, ...' }`: the shape to compare a whole run against. */
export function outcomes(result: VitestRun): Record<string, string> {
  const show = (t: TestOutcome) =>
    t.errors.length === 0 ? t.state : `${t.state}: ${t.errors.map((e) => e.name).join(', ')}`
  return Object.fromEntries(result.tests.map((t) => [t.fullName, show(t)]))
}

/** The 1-based line of the fixture file line tagged `// e2e:<tag>`. */
export function lineOf(project: string, file: string, tag: string): number {
  const lines = readFileSync(path.join(fixturesDir, project, file), 'utf8').split('\n')
  const index = lines.findIndex((line) => line.includes(`// e2e:${tag}`))
  if (index === -1) throw new Error(`no line tagged e2e:${tag} in ${project}/${file}`)
  return index + 1
}

export function onlyError(outcome: TestOutcome): { name: string; message: string; stack?: string } {
  if (outcome.errors.length !== 1 || !outcome.errors[0]) {
    throw new Error(
      `expected exactly one error for "${outcome.fullName}", got ${JSON.stringify(outcome.errors)}`,
    )
  }
  return outcome.errors[0]
}

/** The pids a project recorded in its `pids` out-file, by label (`sleep 123` → { sleep: 123 }). */
export function recordedPids(result: VitestRun): Record<string, number> {
  const lines = (result.outFiles.pids ?? '').trim().split('\n')
  return Object.fromEntries(lines.map((line) => line.split(' ')).map(([label, pid]) => [label, Number(pid)]))
}

/** A section the plugin's reporter printed, from its `heading` to the end of stdout ('' if absent). */
export function section(result: VitestRun, heading = ' vitest-mcp-host '): string {
  const start = result.stdout.indexOf(heading)
  return start === -1 ? '' : result.stdout.slice(start)
}
