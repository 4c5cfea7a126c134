// End-to-end with the plugin: nested Vitest runs on projects configured with mcpHost(), asserting
// which tests each per-test check fails, with which error, what the reporter prints, and that
// nothing any of them started is left running.
import { describe } from 'vitest'
import type { HostSummary } from '../../src/report/host-summary.js'
import {
  lineOf,
  onlyError,
  outcomes,
  recordedPids,
  section,
  TEST_TIMEOUT_MS,
  TIMEOUT_ERROR,
  test,
} from './harness.js'
import { isAlive, type VitestRun } from './run-vitest.js'

describe.concurrent('the mcpHost() plugin in a real nested Vitest', { timeout: TEST_TIMEOUT_MS }, () => {
  test('processes: what a test leaves running fails it, is named with its call site, and is killed', async ({
    expect,
    runFixture,
  }) => {
    const result = await runFixture('plugin-processes')
    expect(outcomes(result)).toEqual({
      'leaves sleep running': 'failed: LeakError',
      'leaves a process started through the SDK running': 'failed: LeakError',
      'starts a shell that leaves a grandchild': 'failed: LeakError',
      'stops what it started': 'passed',
      'signals a child that takes a moment to exit, and does not wait for it': 'passed',
      'leaves a node -e script of several lines running': 'failed: LeakError',
      'leaves a script in a deep directory running': 'failed: LeakError',
      // Vitest turns a test.fails test's failure into a pass: its leak is a warning instead.
      'leaves sleep running in a test.fails test': 'passed',
      'runs a command to completion': 'passed',
      'starts a host and never shuts it down': 'failed: LeakError',
    })
    const pids = recordedPids(result)
    const sleep = onlyError(result.test('leaves sleep running')).message
    const sleepLine = lineOf('plugin-processes', 'processes.case.ts', 'sleep-line')
    expect(sleep).toContain(`- process "pid ${pids.sleep}: sleep 30" (still running after the test; killed)`)
    expect(sleep).toContain(`created at processes.case.ts:${sleepLine}:`)
    const sdk = onlyError(result.test('leaves a process started through the SDK running')).message
    expect(sdk).toContain(`- process "pid ${pids.sdk}: sleep 34" (still running after the test; killed)`)
    expect(sdk).toContain(
      `created at processes.case.ts:${lineOf('plugin-processes', 'processes.case.ts', 'sdk-line')}:`,
    )
    const grandchild = onlyError(result.test('starts a shell that leaves a grandchild')).message
    // The shell forks the grandchild and prints its pid before the fork has exec'd sleep; on a busy
    // machine the check can still find it under the shell's command line. Either name is the truth.
    expect(grandchild).toMatch(
      new RegExp(`- process "pid ${pids.grandchild}: (sleep 31|sh -c sleep 31 & echo \\$!)"`),
    )
    expect(grandchild).toMatch(/a descendant of pid \d+ \(sh -c sleep 31 & echo \$!\)/)
    const host = onlyError(result.test('starts a host and never shuts it down')).message
    const hostLine = lineOf('plugin-processes', 'processes.case.ts', 'host-line')
    expect(host).toContain(
      `- host "host" (never shut down; shut down now), created at processes.case.ts:${hostLine}:`,
    )
    for (const [label, pid] of Object.entries(pids)) {
      expect(isAlive(pid), `${label} pid ${pid} still running`).toBe(false)
    }
    expect(section(result)).toContain('✗ processes.case.ts > leaves sleep running')
    // A multi-line command line reads as one line, shortened with an ellipsis, in the error and the section.
    const oneLine = new RegExp(
      `- process "pid ${pids.script}: \\S*node -e // A script of several lines, long enough [^"\\n]*…" \\(still running after the test; killed\\)`,
    )
    expect(onlyError(result.test('leaves a node -e script of several lines running')).message).toMatch(
      oneLine,
    )
    expect(section(result)).toMatch(oneLine)
    // A command line too long for a line keeps its program and script: the paths are shortened first.
    expect(onlyError(result.test('leaves a script in a deep directory running')).message).toContain(
      `- process "pid ${pids.deep}: node …/a-directory-with-a-long-name/sleeper.mjs" (still running after the test; killed)`,
    )
    expect(section(result)).toMatch(
      /Warnings:\n {4}✗ processes\.case\.ts > leaves sleep running in a test\.fails test\n {8}LeakError: .*\n {10}- process "pid \d+: sleep 33"/,
    )
    expect(result.exitCode).toBe(1)
  })

  for (const scope of ['file', 'worker'] as const) {
    test(`${scope}-scoped host: a leak fails only the test that made it; its server is no test's leak`, async ({
      expect,
      runFixture,
    }) => {
      const result = await runFixture('shared-scope-leak', { E2E_HOST_SCOPE: scope })
      expect(outcomes(result)).toEqual({
        'first test is clean': 'passed',
        'second test leaks a request': 'failed: LeakError',
        'third test is clean': 'passed',
      })
      const line = lineOf('shared-scope-leak', 'leak.case.ts', 'leak-line')
      const { message } = onlyError(result.test('second test leaks a request'))
      expect(message).toContain('outlived test "second test leaks a request"')
      expect(message).toContain(`created at leak.case.ts:${line}:`)
      expect(result.moduleErrors).toEqual([])
      expect(result.exitCode).toBe(1)
    })
  }

  test('watch mode: a rerun judges shared hosts as the first run did', async ({ expect, runFixture }) => {
    const result = await runFixture('shared-scope-leak', { E2E_HOST_SCOPE: 'file' }, { twice: true })
    const expected = {
      'first test is clean': 'passed',
      'second test leaks a request': 'failed: LeakError',
      'third test is clean': 'passed',
    }
    expect(result.stdout).toContain(
      `first run: ${JSON.stringify({ 'first test is clean': 'passed', 'second test leaks a request': 'failed', 'third test is clean': 'passed' })}`,
    )
    expect(outcomes(result)).toEqual(expected)
  })

  test("projects: in a project's config the plugin checks that project; in the root config, those extending it", async ({
    expect,
    runFixture,
  }) => {
    const [inProject, inRoot] = await Promise.all(
      ['project', 'root'].map((at) => runFixture('plugin-projects', { E2E_PLUGIN_AT: at })),
    )
    expect(outcomes(inProject as VitestRun)).toEqual({
      'first project leaves sleep running': 'failed: LeakError',
      'second project leaves sleep running': 'passed',
    })
    expect(outcomes(inRoot as VitestRun)).toEqual({
      'first project leaves sleep running': 'failed: LeakError',
      'second project leaves sleep running': 'failed: LeakError',
    })
  })

  test('test.concurrent: two tests with their own hosts are judged independently', async ({
    expect,
    runFixture,
  }) => {
    const result = await runFixture('plugin-concurrent')
    const leaky = 'leaky: leaves a request and a process behind'
    expect(outcomes(result)).toEqual({
      [leaky]: 'failed: LeakError, LeakError',
      'tidy: awaits its call and its process': 'passed',
    })
    const [request, process] = result.test(leaky).errors.map((e) => e.message)
    expect(request).toContain(`outlived test "${leaky}"`)
    expect(request).toContain(
      `created at concurrent.case.ts:${lineOf('plugin-concurrent', 'concurrent.case.ts', 'leak-line')}:`,
    )
    expect(process).toContain('sleep 33')
    expect(process).toContain(
      `created at concurrent.case.ts:${lineOf('plugin-concurrent', 'concurrent.case.ts', 'spawn-line')}:`,
    )
  })

  test('retries and test.each: each attempt and each case is judged on its own', async ({
    expect,
    runFixture,
  }) => {
    const result = await runFixture('plugin-retry-each')
    expect(outcomes(result)).toEqual({
      // Its first attempt failed (its process leaked, and was killed); the retry was clean.
      'leaks on its first attempt only': 'passed: LeakError',
      'case leaky': 'failed: LeakError',
      'case tidy': 'passed',
    })
    const { message } = onlyError(result.test('leaks on its first attempt only'))
    expect(message).toContain('sleep 35')
    expect(isAlive(recordedPids(result)['first-attempt'] as number)).toBe(false)
    expect(onlyError(result.test('case leaky')).message).toContain('outlived test "case leaky"')
  })

  test('a test that times out mid-call fails with the timeout alone, which names what it cut off; nothing is left running', async ({
    expect,
    runFixture,
  }) => {
    const result = await runFixture('timeout-cut-off', { E2E_WITH_PLUGIN: '1' })
    const fixture = 'fixture host: times out awaiting a call'
    const own = 'own host: times out awaiting a call'
    const unawaited = 'fixture host: returns without awaiting its call'
    // The timeout is the cause: no LeakError recommending to await what the test awaited.
    expect(outcomes(result)).toEqual({
      [fixture]: `failed: ${TIMEOUT_ERROR}`,
      [own]: `failed: ${TIMEOUT_ERROR}`,
      [unawaited]: 'failed: LeakError',
      'times out on its first attempt, leaks a call on its retry': `failed: ${TIMEOUT_ERROR}, LeakError`,
    })
    const at = (tag: string) =>
      `created at cut-off.case.ts:${lineOf('timeout-cut-off', 'cut-off.case.ts', tag)}:`
    const fixtureMessage = onlyError(result.test(fixture)).message
    expect(fixtureMessage).toMatch(/^Test timed out in 2000ms\./)
    expect(fixtureMessage).toMatch(
      new RegExp(
        `\\n {2}- request "tools/call weather_lookup" \\(${at('fixture-call')}\\d+\\) was still pending after \\d+ ms; aborted$`,
      ),
    )
    const ownMessage = onlyError(result.test(own)).message
    expect(ownMessage).toMatch(/^Test timed out in 2000ms\./)
    expect(ownMessage).toContain(`- host "host" (${at('host-line')}`)
    expect(ownMessage).toMatch(/- host "host" \(.*\) was still open; shut down\n/)
    expect(ownMessage).toContain(`- request "tools/call weather_lookup" (${at('own-call')}`)
    for (const message of [fixtureMessage, ownMessage]) {
      expect(message).toContain('vitest-mcp-host: the timeout cut these off; the harness cleaned them up:')
      expect(message).not.toContain('hint:')
    }
    // A test that did not time out and did not await its call still fails for it.
    const leak = onlyError(result.test(unawaited)).message
    expect(leak).toContain(`request "tools/call weather_lookup" (still pending after`)
    expect(leak).toContain(at('unawaited-call'))
    expect(leak).toContain('hint: await the request')
    const [, retried] = result.test('times out on its first attempt, leaks a call on its retry').errors
    expect(retried?.message).toContain(at('retry-call'))
    expect(section(result)).toMatch(
      /Cut off by a timeout \(information\):\n {4}· cut-off\.case\.ts > fixture host: times out awaiting a call\n {8}request "tools\/call weather_lookup" \(created at cut-off\.case\.ts:\d+:\d+\) was still pending after \d+ ms; aborted/,
    )
    for (const [label, pid] of Object.entries(recordedPids(result))) {
      expect(isAlive(pid), `${label} server pid ${pid} still running`).toBe(false)
    }
  })

  test('teardownTimeout: a host too slow to stop fails with TeardownTimeoutError and is killed', async ({
    expect,
    runFixture,
  }) => {
    const result = await runFixture('plugin-teardown-timeout')
    const name = 'its host takes too long to stop'
    expect(outcomes(result)).toEqual({ [name]: 'failed: TeardownTimeoutError' })
    const outcome = result.test(name)
    const pid = outcome.meta.serverPid as number
    expect(onlyError(outcome).message).toBe(
      `Host teardown did not finish within 800 ms. Still open: server "stubborn" (stopping, pid ${pid}). ` +
        'Its server processes were killed.',
    )
    expect(isAlive(pid)).toBe(false)
    expect(section(result)).toContain('TeardownTimeoutError')
    // The host's lifecycle reaches the reporter: in task.meta, and as the failing test's artifact.
    const [summary] = (outcome.meta.mcpHost as { hosts: HostSummary[] }).hosts
    const events = summary?.servers[0]?.events.map((e) => e.event)
    expect(events).toEqual(expect.arrayContaining(['spawn', 'initialized', 'stdin-close', 'SIGKILL', 'exit']))
    expect(summary?.requests.map((e) => e.event)).toEqual(['request tools/call weather_lookup'])
    const [artifact] = outcome.artifacts
    expect(artifact?.type).toBe('vitest-mcp-host:timeline')
    const body = (artifact?.attachments as Array<{ body: string }>)[0]?.body ?? ''
    expect(body).toContain('server "stubborn" (stdio pid')
    expect(body).toMatch(/ms {2}SIGKILL {2}teardown timed out/)
  })

  test('a server that needed SIGTERM to stop is information; one that crashed in use is marked', async ({
    expect,
    runFixture,
  }) => {
    const result = await runFixture('plugin-stop-signals')
    expect(outcomes(result)).toEqual({
      'uses a server that needs SIGTERM to stop': 'passed',
      'uses a server that crashes mid-call': 'passed',
    })
    const report = section(result)
    expect(report).toMatch(
      /Servers that ended abnormally:\n {4}✗ stop\.case\.ts > uses a server that crashes mid-call\n {8}server "crasher" crashed while in use \(exit 1\)\n/,
    )
    expect(report).toMatch(
      /Servers that needed a signal to stop \(information\):\n {4}· stop\.case\.ts > uses a server that needs SIGTERM to stop\n {8}server "stubborn" did not exit when its stdin closed; SIGTERM stopped it\n/,
    )
    expect(report).not.toMatch(/✗ stop\.case\.ts > uses a server that needs SIGTERM to stop/)
    expect(result.exitCode).toBe(0)
  })

  test('information: false leaves the information lists out; abnormal ends are still listed', async ({
    expect,
    runFixture,
  }) => {
    const result = await runFixture('plugin-stop-signals', { E2E_INFORMATION: 'off' })
    expect(outcomes(result)).toEqual({
      'uses a server that needs SIGTERM to stop': 'passed',
      'uses a server that crashes mid-call': 'passed',
    })
    const report = section(result)
    expect(report).toContain('server "crasher" crashed while in use (exit 1)')
    expect(report).not.toContain('(information)')
    expect(report).not.toContain('SIGTERM stopped it')
    expect(result.exitCode).toBe(0)
  })

  test("the checks after a test are not cut short by Vitest's hookTimeout", async ({
    expect,
    runFixture,
  }) => {
    // hookTimeout 300 ms, teardownTimeout 800 ms: stopping the leaked host alone takes 800 ms.
    const result = await runFixture('plugin-hook-timeout')
    const name = 'leaves a slow-stopping host running'
    expect(outcomes(result)).toEqual({ [name]: 'failed: LeakError, TeardownTimeoutError' })
    const [leak, timeout] = result.test(name).errors
    expect(leak?.message).toContain('- host "host" (never shut down; shut down now)')
    expect(timeout?.message).toMatch(
      /^Host teardown did not finish within 800 ms\. Still open: server "stubborn"/,
    )
    const { server } = recordedPids(result)
    expect(isAlive(server as number)).toBe(false)
  })

  test('a file-scoped host that fails to start fails its test, and no teardown is waited for', async ({
    expect,
    runFixture,
  }) => {
    const result = await runFixture('plugin-shared-start-failure')
    expect(outcomes(result)).toEqual({ 'asks for a host that cannot start': 'failed: ServerStartError' })
    // Without a start there is no end to wait for: no invented teardown timeout in the section.
    expect(result.stdout).not.toContain('TeardownTimeoutError')
    expect(result.stdout).not.toContain('did not report the end of its teardown')
    expect(result.exitCode).toBe(1)
  })

  // Two files in two isolated workers: the first worker stops (and its host is torn down) while the
  // second file runs, before the run ends. Vitest would pass an error thrown there on as an unhandled
  // "Teardown Error"; `run` rejects any unhandled error. Two runs at once load the machine, and both
  // must end the same way.
  test('a worker-scoped teardown problem reaches the reporter once, fails the run, and is never unhandled', async ({
    expect,
    runFixture,
  }) => {
    const results = await Promise.all([1, 2].map(() => runFixture('plugin-worker-teardown')))
    for (const result of results) {
      expect(outcomes(result)).toEqual({
        'uses the shared host': 'passed',
        'uses the shared host too': 'passed',
      })
      expect(result.moduleErrors).toEqual([])
      const report = section(result)
      expect(report.match(/✗ worker-scoped fixture "hostManager"\n {8}LeakError: /g)).toHaveLength(2)
      expect(report.match(/LeakError: 1 resource outlived the worker-scoped hostManager/g)).toHaveLength(2)
      expect(report).toMatch(/- process "pid \d+: .*setInterval/)
      expect(report).toContain('server "forker" left 1 process(es) behind')
      expect(report).toContain('The run fails: 2 file- or worker-scoped host teardown(s) had problems')
      expect(result.exitCode).toBe(1)
    }
  })

  test("processes: 'warn' lists a worker-scoped host's leftover processes and passes the run", async ({
    expect,
    runFixture,
  }) => {
    const result = await runFixture('plugin-worker-teardown', { E2E_PROCESSES: 'warn' })
    expect(outcomes(result)).toEqual({
      'uses the shared host': 'passed',
      'uses the shared host too': 'passed',
    })
    const report = section(result)
    expect(report).toMatch(
      /Warnings:\n {4}✗ worker-scoped fixture "hostManager"\n {8}LeakError: 1 resource outlived/,
    )
    expect(report).not.toContain('The run fails')
    expect(result.exitCode).toBe(0)
  })

  test('trace: a timer left scheduled fails its test with its creation line; the section groups leaks by site', async ({
    expect,
    runFixture,
  }) => {
    const result = await runFixture('plugin-trace')
    expect(outcomes(result)).toEqual({
      'leaves a timer scheduled': 'failed: LeakError',
      'clears its timer': 'passed',
      'leaves a node:timers/promises timer scheduled': 'failed: LeakError',
      'polls 1': 'failed: LeakError',
      'polls 2': 'failed: LeakError',
      'polls 3': 'failed: LeakError',
    })
    const line = (tag: string) => lineOf('plugin-trace', 'trace.case.ts', tag)
    const { message } = onlyError(result.test('leaves a timer scheduled'))
    expect(message).toContain(
      '- timer "a timer (setTimeout/setInterval) created during the test is still scheduled" (setTimeout of 30000 ms; not cleared)',
    )
    expect(message).toContain(`created at trace.case.ts:${line('timer-line')}:`)
    // Trace clears nothing: the message says so, not that the harness cleaned up.
    expect(message).toMatch(
      /\nThe harness did not clean it up \(trace only reports the handles it finds\): it is still active and may fire in later tests of this worker\.$/,
    )
    expect(onlyError(result.test('leaves a node:timers/promises timer scheduled')).message).toContain(
      `created at trace.case.ts:${line('promises-line')}:`,
    )
    // The Poller's two intervals: one entry each, naming the three tests, instead of three per-test entries.
    const report = section(result)
    for (const [tag, every] of [
      ['poller-fast', 60_000],
      ['poller-slow', 90_000],
    ] as const) {
      expect(report).toMatch(
        new RegExp(
          `✗ timer "a timer \\(setTimeout/setInterval\\) created during the test is still scheduled" \\(setInterval every ${every} ms; not cleared\\), created at trace\\.case\\.ts:${line(tag)}:\\d+\n {8}LeakError in 3 tests:\n {10}trace\\.case\\.ts > polls 1\n {10}trace\\.case\\.ts > polls 2\n {10}trace\\.case\\.ts > polls 3\n`,
        ),
      )
    }
    expect(report).not.toContain('✗ trace.case.ts > polls')
    expect(report).toContain('✗ trace.case.ts > leaves a timer scheduled')
  })

  test("VITEST_MCP_HOST_DEBUG=1 prints each server's lifecycle as it happens", async ({
    expect,
    runFixture,
  }) => {
    const result = await runFixture('clean', { VITEST_MCP_HOST_DEBUG: '1' })
    expect(outcomes(result)).toEqual({ 'london is rainy': 'passed' })
    const live = result.stdout + result.stderr
    for (const event of ['spawn', 'initialized', 'stdin-close', 'exit', 'stopped']) {
      expect(live).toMatch(new RegExp(`\\[vitest-mcp-host\\] server "weather" \\+[\\d.]+ ms ${event}`))
    }
    expect(live).toMatch(/\[vitest-mcp-host\] host \+[\d.]+ ms request tools\/call weather_lookup \d+ ms, ok/)
  })

  test("'warn': leaks are printed, cleaned up, and the test passes", async ({ expect, runFixture }) => {
    const result = await runFixture('plugin-warn')
    expect(outcomes(result)).toEqual({ 'leaks a request and a process': 'passed' })
    const report = section(result)
    expect(report).toContain('Warnings:')
    expect(report).toContain('request "tools/call weather_lookup"')
    expect(report).toContain('process "pid')
    expect(result.exitCode).toBe(0)
  })
})
