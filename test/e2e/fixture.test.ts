// End-to-end: runs a real nested Vitest on the projects under test/e2e/fixtures and checks which of
// their tests passed or failed, with which error, and that nothing they started is left running.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, test } from 'vitest'
import { listProcesses } from '../../src/launchers/processes/process-table.js'
import { lineOf, onlyError, outcomes, run, TEST_TIMEOUT_MS, TIMEOUT_ERROR, vitestMajor } from './harness.js'
import { carriesMarker, isAlive, markedProcesses, repoRoot, runMarker } from './run-vitest.js'

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

  test('timeout-cut-off: a test that times out mid-call fails with the timeout alone, which names the call', async ({
    expect,
    signal,
  }) => {
    const result = await run('timeout-cut-off', { signal })
    const timedOut = 'fixture host: times out awaiting a call'
    const unawaited = 'fixture host: returns without awaiting its call'
    expect(outcomes(result)).toEqual({
      [timedOut]: `failed: ${TIMEOUT_ERROR}`,
      // Needs the plugin: without it nothing stops a host whose test never reaches its end.
      'own host: times out awaiting a call': 'skipped',
      [unawaited]: 'failed: LeakError',
      'times out on its first attempt, leaks a call on its retry': `failed: ${TIMEOUT_ERROR}, LeakError`,
    })
    const line = (tag: string) => lineOf('timeout-cut-off', 'cut-off.case.ts', tag)
    const { message } = onlyError(result.test(timedOut))
    expect(message).toMatch(/^Test timed out in 2000ms\./)
    expect(message).toMatch(
      new RegExp(
        'vitest-mcp-host: the timeout cut these off; the harness cleaned them up:\\n' +
          ` {2}- request "tools/call weather_lookup" \\(created at cut-off\\.case\\.ts:${line('fixture-call')}:\\d+\\) ` +
          'was still pending after \\d+ ms; aborted$',
      ),
    )
    expect(result.test(timedOut).meta.mcpHost).toMatchObject({
      notes: [expect.stringMatching(/^request "tools\/call weather_lookup" \(created at /)],
    })
    const leak = onlyError(result.test(unawaited)).message
    expect(leak).toContain(`created at cut-off.case.ts:${line('unawaited-call')}:`)
    expect(leak).toContain('hint: await the request')
    const pid = Number(/^fixture (\d+)$/m.exec(result.outFiles.pids ?? '')?.[1])
    expect(isAlive(pid), `server pid ${pid} still running`).toBe(false)
    expect(result.exitCode).toBe(1)
  })

  test('http: a spawned Streamable HTTP server serves a test; an un-awaited request over HTTP is a LeakError', async ({
    expect,
    signal,
  }) => {
    const result = await run('http', { signal })
    expect(result.unhandledErrors).toEqual([])
    const leaking = 'fires a request over http and returns without awaiting it'
    expect(outcomes(result)).toEqual({
      'london is rainy over http': 'passed',
      [leaking]: 'failed: LeakError',
    })
    const { message } = onlyError(result.test(leaking))
    expect(message).toContain('request "tools/call hang"')
    expect(message).toContain(`created at http.case.ts:${lineOf('http', 'http.case.ts', 'http-leak-line')}:`)
    expect(result.exitCode).toBe(1)
  })

  test("client-side: scripted handlers answer a real server; a handler still waiting is its test's LeakError", async ({
    expect,
    signal,
  }) => {
    const result = await run('client-side', { signal })
    expect(result.unhandledErrors).toEqual([])
    const leaking = 'returns while the server waits for its sampling handler'
    expect(outcomes(result)).toEqual({
      'the scripted handlers answer the server': 'passed',
      [leaking]: 'failed: LeakError',
    })
    const { message } = onlyError(result.test(leaking))
    expect(message).toContain(`outlived test "${leaking}"`)
    expect(message).toContain('request "tools/call trigger-sampling-request"')
    // The request and the handler answering it: both at the line of the request.
    const line = lineOf('client-side', 'client.case.ts', 'handler-leak-line')
    expect(message).toMatch(
      new RegExp(`- request "tools/call trigger-sampling-request" .*created at client\\.case\\.ts:${line}:`),
    )
    expect(message).toMatch(
      new RegExp(
        `- handler "sampling/createMessage from server "everything"" .*created at client\\.case\\.ts:${line}:`,
      ),
    )
    expect(message).toContain('end it when ctx.signal aborts')
    expect(result.exitCode).toBe(1)
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
})

describe.concurrent('config files and function configs in a real nested Vitest', {
  timeout: TEST_TIMEOUT_MS,
}, () => {
  test('config-files: the string form reads a .mcp.json on disk; a function builds a config per test', async ({
    expect,
    signal,
  }) => {
    const result = await run('config-files', { signal })
    expect(outcomes(result)).toEqual({
      'a .mcp.json on disk: london is rainy, in the file’s folder': 'passed',
      'a missing config file fails the test that asked': 'failed: ConfigError',
      'sampling answers yes here': 'passed',
      'and no here': 'passed',
      'a bad config fails only its test': 'failed: ConfigError',
      'a function that throws fails only its test': 'failed: ConfigError',
      'file-scoped function config: Tokyo': 'passed',
      'file-scoped function config: London': 'passed',
    })
    const dir = result.outFiles.dir?.trim()
    expect(onlyError(result.test('a missing config file fails the test that asked')).message).toBe(
      `${dir}/missing.json: cannot read the config file: no such file (ENOENT)`,
    )
    expect(onlyError(result.test('a bad config fails only its test')).message).toBe(
      'servers.weather.command: expected a non-empty string',
    )
    expect(onlyError(result.test('a function that throws fails only its test')).message).toBe(
      'config: the function given to hostManager() threw (Error: no config today); make it return a host config ({ servers: { ... } })',
    )
    // A temp dir per test, each gone once its test ended.
    const dirs = result.outFiles.dirs?.trim().split('\n') ?? []
    expect(new Set(dirs).size).toBe(2)
    for (const perTest of dirs) expect(existsSync(perTest), perTest).toBe(false)
    // The file-scoped function ran once, with the file's fixtures and no task.
    expect(result.outFiles['file-scoped']).toBe('task in context: false\n')
    // warm with a function config: the declaration throws, so its file fails and none of its tests run.
    expect(result.moduleErrors.map((e) => [path.basename(e.file), e.name, e.message])).toEqual([
      [
        'warm.case.ts',
        'ConfigError',
        'warm: needs a config known at declaration (an object or a file path): a function config is built at each setup, so no host can be started ahead of it. Drop warm, or pass the config itself',
      ],
    ])
    expect(result.exitCode).toBe(1)
  })
})

test('after every e2e run, no process of ours is left running', ({ expect }) => {
  const examples = `${path.join(repoRoot, 'dist', 'example-servers')}${path.sep}`
  const ours = markedProcesses(`${runMarker}*`)
  const servers = listProcesses().filter((p) => p.command.includes(examples) && p.state !== 'Z')
  // Other test runs may use the example servers concurrently: only ours (by marker) must be gone.
  expect(ours).toEqual([])
  expect(servers.filter((p) => carriesMarker(p.pid, `${runMarker}*`))).toEqual([])
})
