// End-to-end: runs a real nested Vitest on the projects under test/e2e/fixtures and checks which of
// their tests passed or failed, with which error, and that nothing they started is left running.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, test } from 'vitest'
import { listProcesses } from '../../src/launchers/process-table.js'
import {
  carriesMarker,
  fixturesDir,
  isAlive,
  markedProcesses,
  repoRoot,
  runMarker,
  runVitest,
  type TestOutcome,
  type VitestRun,
} from './run-vitest.js'

const NESTED_TIMEOUT_MS = 60_000
const TEST_TIMEOUT_MS = 90_000
/** Nested runs at once: each is a Vite server plus a fork worker, on a 2-core machine. */
const MAX_PARALLEL_RUNS = 3

const vitestMajor = Number(
  (createRequire(import.meta.url)('vitest/package.json') as { version: string }).version.split('.')[0],
)

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

interface RunCheckOptions {
  env?: Record<string, string>
  signal?: AbortSignal
  /** Leave unhandled errors of the run to the caller (the known worker-scope bug produces them). */
  allowUnhandled?: boolean
}

/** Runs `project` and checks what every run must satisfy: it left no process behind and had no unhandled error. */
async function run(project: string, options: RunCheckOptions = {}): Promise<VitestRun> {
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
function outcomes(result: VitestRun): Record<string, string> {
  const show = (t: TestOutcome) =>
    t.errors.length === 0 ? t.state : `${t.state}: ${t.errors.map((e) => e.name).join(', ')}`
  return Object.fromEntries(result.tests.map((t) => [t.fullName, show(t)]))
}

/** The 1-based line of the fixture file line tagged `// e2e:<tag>`. */
function lineOf(project: string, file: string, tag: string): number {
  const lines = readFileSync(path.join(fixturesDir, project, file), 'utf8').split('\n')
  const index = lines.findIndex((line) => line.includes(`// e2e:${tag}`))
  if (index === -1) throw new Error(`no line tagged e2e:${tag} in ${project}/${file}`)
  return index + 1
}

function onlyError(outcome: TestOutcome): { name: string; message: string; stack?: string } {
  if (outcome.errors.length !== 1 || !outcome.errors[0]) {
    throw new Error(
      `expected exactly one error for "${outcome.fullName}", got ${JSON.stringify(outcome.errors)}`,
    )
  }
  return outcome.errors[0]
}

describe.concurrent('the hostManager fixture in a real nested Vitest', { timeout: TEST_TIMEOUT_MS }, () => {
  test('clean: a test calling weather_lookup passes', async ({ expect, signal }) => {
    const result = await run('clean', { signal })
    expect(outcomes(result)).toEqual({ 'london is rainy': 'passed' })
    expect(result.moduleErrors).toEqual([])
    expect(result.exitCode).toBe(0)
  })

  test('leaked-request: the test that did not await fails with LeakError at its own line', async ({
    expect,
    signal,
  }) => {
    const result = await run('leaked-request', { signal })
    // run() already insists on it; this is the point of abandoning the request at teardown.
    expect(result.unhandledErrors).toEqual([])
    const leaking = 'A fires a request and returns without awaiting it'
    expect(outcomes(result)).toEqual({ [leaking]: 'failed: LeakError', 'B awaits everything': 'passed' })
    const error = onlyError(result.test(leaking))
    const line = lineOf('leaked-request', 'leak.case.ts', 'leak-line')
    expect(error.message).toContain(`outlived test "${leaking}"`)
    expect(error.message).toContain('request "tools/call weather_lookup"')
    expect(error.message).toContain(`created at leak.case.ts:${line}:`)
    expect(error.message).toContain('hint: await the request')
    // The stack Vitest shows points at the user's line, not into the library.
    expect(error.stack).toMatch(new RegExp(`leak\\.case\\.ts:${line}:\\d+\\s*$`))
    expect(result.moduleErrors).toEqual([])
    expect(result.exitCode).toBe(1)
  })

  test('cross-context: closing the SDK client fails the test, even when the error is swallowed', async ({
    expect,
    signal,
  }) => {
    const result = await run('cross-context', { signal })
    const direct = 'closes the SDK client itself'
    const swallowed = 'closes the SDK client itself and swallows the error'
    expect(outcomes(result)).toEqual({
      [direct]: 'failed: CrossContextDisposalError',
      [swallowed]: 'failed: CrossContextDisposalError',
    })
    const hostLine = lineOf('cross-context', 'close.case.ts', 'host-line')
    for (const [name, tag] of [
      [direct, 'close-line'],
      [swallowed, 'swallow-line'],
    ] as const) {
      const outcome = result.test(name)
      const { message, stack } = onlyError(outcome)
      const closeLine = lineOf('cross-context', 'close.case.ts', tag)
      expect(message).toContain(`client "weather" was disposed from test "${name}"`)
      expect(message).toContain(`owned by fixture "hostManager" of test "${name}"`)
      expect(message).toContain(`created  at close.case.ts:${hostLine}:`)
      expect(message).toContain(`disposed at close.case.ts:${closeLine}:`)
      expect(message).toContain('The cleanup was still carried out in the owner context')
      expect(stack).toContain(`close.case.ts:${closeLine}:`)
      // The server really stopped (by its owner), and is gone now.
      const pid = outcome.meta.serverPid
      expect(pid).toEqual(expect.any(Number))
      expect(isAlive(pid as number), `weather server pid ${pid} still running`).toBe(false)
    }
    expect(
      listProcesses().filter(
        (p) => p.command.includes('dist/example-servers/weather') && carriesMarker(p.pid, result.marker),
      ),
    ).toEqual([])
    expect(result.exitCode).toBe(1)
  })

  test('grandchild: an orphaned grandchild fails the test with LeakError and is killed', async ({
    expect,
    signal,
  }) => {
    const result = await run('grandchild', { signal })
    const name = 'the server leaves a grandchild behind'
    expect(outcomes(result)).toEqual({ [name]: 'failed: LeakError' })
    const outcome = result.test(name)
    const grandchild = Number(/grandchild pid=(\d+)/.exec(String(outcome.meta.serverStderr))?.[1])
    expect(grandchild).toBeGreaterThan(0)
    const { message } = onlyError(outcome)
    expect(message).toContain(`outlived test "${name}"`)
    expect(message).toContain(`- process "pid ${grandchild}: `)
    expect(message).toContain('left running by server "forker" after it exited; killed')
    expect(message).toContain('hint: the server started a process it did not stop')
    expect(isAlive(grandchild), `grandchild pid ${grandchild} still running`).toBe(false)
    expect(outcome.meta.serverPid).toEqual(expect.any(Number))
    expect(isAlive(outcome.meta.serverPid as number)).toBe(false)
  })

  test('file-scope: three tests share one server process', async ({ expect, signal }) => {
    const result = await run('file-scope', { signal })
    expect(outcomes(result)).toEqual({
      'weather in London': 'passed',
      'weather in Tokyo': 'passed',
      'weather in Paris': 'passed',
    })
    const pids = new Set(result.tests.map((t) => t.meta.serverPid))
    expect(pids.size).toBe(1)
    const [pid] = pids
    expect(pid).toEqual(expect.any(Number))
    expect(isAlive(pid as number)).toBe(false)
    expect(result.moduleErrors).toEqual([])
    expect(result.exitCode).toBe(0)
  })

  test('other-fixtures-teardown: a leak fails the test and every other teardown still runs', async ({
    expect,
    signal,
  }) => {
    const result = await run('other-fixtures-teardown', { signal })
    const leaking = 'leaks a request while other fixtures are in use'
    const control = 'control: a fixture throwing after use()'
    expect(outcomes(result)[leaking]).toBe('failed: LeakError')
    const line = lineOf('other-fixtures-teardown', 'teardown.case.ts', 'leak-line')
    expect(onlyError(result.test(leaking)).message).toContain(`created at teardown.case.ts:${line}:`)
    // Reverse setup order: inner (depends on the host), the host, then outer — which a throwing
    // host teardown would have skipped on Vitest 4.1.
    expect(result.outFiles['teardown.log']).toBe('inner\nouter\n')
    // The control shows the hazard is real on this Vitest: a fixture that throws in teardown fails
    // the test (error listed twice on 4.1) and the outer fixture's teardown never runs.
    const controlOutcome = result.test(control)
    expect(controlOutcome.state).toBe('failed')
    expect(controlOutcome.errors.every((e) => e.message === 'thrower: failing from teardown')).toBe(true)
    expect(result.outFiles['control.log']).toBe(vitestMajor >= 5 ? 'outer\n' : undefined)
  })

  test('start-failure: a server exiting before initialize fails the test with ServerStartError', async ({
    expect,
    signal,
  }) => {
    const result = await run('start-failure', { signal })
    const failing = 'uses a server that never starts'
    expect(outcomes(result)).toEqual({
      [failing]: 'failed: ServerStartError',
      'does not ask for the host': 'passed',
    })
    const { message } = onlyError(result.test(failing))
    expect(message).toContain('Server "early" exited with code 3 before answering initialize')
    expect(message).toContain('exit-early: refusing to start (deliberate)')
    expect(result.exitCode).toBe(1)
  })

  // NOT YET BUILT (issue 3, "Shared hosts"), API.md: "A leak detected for a file- or worker-scoped
  // host is attributed to the test during which the leaked thing was created." Today the
  // file-scoped host reports the leak as a FILE error (every test passes); the worker-scoped one
  // either loses it (exit 0) or, racily, it surfaces as an unhandled error blamed on no test. The
  // contract test is `.fails` until issue 3 lands: once it passes, Vitest fails it, and `.fails` goes.
  for (const scope of ['file', 'worker'] as const) {
    let shared: Promise<VitestRun> | undefined
    const runShared = () => {
      shared ??= run('shared-scope-leak', { env: { E2E_HOST_SCOPE: scope }, allowUnhandled: true })
      return shared
    }

    test(`${scope}-scoped host with a leaking test: the run completes and leaves nothing running`, async ({
      expect,
    }) => {
      const result = await runShared()
      expect(result.tests.map((t) => t.fullName)).toEqual([
        'first test is clean',
        'second test leaks a request',
        'third test is clean',
      ])
      expect(result.test('first test is clean').state).toBe('passed')
      expect(result.test('third test is clean').state).toBe('passed')
    })

    test.fails(`${scope}-scoped host: a leak fails the test that made it (issue 3, not yet built)`, async ({
      expect,
    }) => {
      const result = await runShared()
      expect(outcomes(result)).toEqual({
        'first test is clean': 'passed',
        'second test leaks a request': 'failed: LeakError',
        'third test is clean': 'passed',
      })
      const line = lineOf('shared-scope-leak', 'leak.case.ts', 'leak-line')
      expect(onlyError(result.test('second test leaks a request')).message).toContain(
        `created at leak.case.ts:${line}:`,
      )
      expect(result.moduleErrors).toEqual([])
      expect(result.unhandledErrors).toEqual([])
      expect(result.exitCode).toBe(1)
    })
  }
})

test('after every e2e run, no process of ours is left running', ({ expect }) => {
  const examples = `${path.join(repoRoot, 'dist', 'example-servers')}${path.sep}`
  const ours = markedProcesses(`${runMarker}*`)
  const servers = listProcesses().filter((p) => p.command.includes(examples) && p.state !== 'Z')
  // Other test runs may use the example servers concurrently: only ours (by marker) must be gone.
  expect(ours).toEqual([])
  expect(servers.filter((p) => carriesMarker(p.pid, `${runMarker}*`))).toEqual([])
})
