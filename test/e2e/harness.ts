// What every e2e test file needs: a bounded pool of nested runs, the checks every run must pass,
// and compact views of outcomes.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fixturesDir, markedProcesses, runVitest, type TestOutcome, type VitestRun } from './run-vitest.js'

export const NESTED_TIMEOUT_MS = 60_000
export const TEST_TIMEOUT_MS = 90_000
/** Nested runs at once: each is a Vite server plus a fork worker, on a 2-core machine. */
const MAX_PARALLEL_RUNS = 3

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
const limit = limiter(MAX_PARALLEL_RUNS)

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

/** Runs `project` and checks what every run must satisfy: it left no process behind and had no unhandled error. */
export async function run(project: string, options: RunCheckOptions = {}): Promise<VitestRun> {
  const { allowUnhandled = false, ...runOptions } = options
  const result = await limit(() => runVitest(project, { timeoutMs: NESTED_TIMEOUT_MS, ...runOptions }))
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
