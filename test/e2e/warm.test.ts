// End-to-end: warm hosts (`warm: n`) in a real nested Vitest with the plugin (leaks and processes
// 'error'): fresh hosts per test, leaks and start failures charged as for cold hosts, declarations
// checked, and nothing left running or reaped when the workers end.
import { describe, test } from 'vitest'
import {
  lineOf,
  onlyError,
  outcomes,
  recordedPids,
  run,
  section,
  TEST_TIMEOUT_MS,
  TIMEOUT_ERROR,
} from './harness.js'
import { isAlive } from './run-vitest.js'

// Concurrent: each test is one nested run, independent of the others (the suite's run slots bound them).
describe.concurrent('warm hosts in a real nested Vitest', { timeout: TEST_TIMEOUT_MS }, () => {
  test.for(['forks', 'threads'])(
    '%s: each test gets its own never-used host; leaks, start failures and declarations as for cold hosts; nothing is left',
    async (pool, { expect, signal }) => {
      // run() also fails if a process the run started is still running, or on any unhandled error.
      const result = await run('plugin-warm', { env: { E2E_POOL: pool }, signal })
      expect(outcomes(result)).toEqual({
        'fresh host 1': 'passed',
        'fresh host 2': 'passed',
        'fresh host 3': 'passed',
        // The process check ran for this test (it spawned): the hosts started ahead meanwhile are not its.
        'spawns and awaits a child of its own': 'passed',
        'fires a request and returns without awaiting it': 'failed: LeakError',
        'after the leak, a host of its own again': 'passed',
        'claims a slow host; the next one is still starting when the worker ends': 'passed',
        'claims a host that never starts': 'failed: ServerStartError',
        'claims a host that never starts, again': 'failed: ServerStartError',
        'does not ask for the host': 'passed',
        'warm with a function config': 'passed',
      })
      // Each test had a server of its own: six tests, six pids, all stopped.
      const pids = recordedPids(result)
      const warm = ['fresh1', 'fresh2', 'fresh3', 'spawner', 'leaker', 'after'].map((label) => pids[label])
      expect(new Set(warm).size).toBe(6)
      for (const pid of [...warm, pids.slow]) {
        expect(pid).toEqual(expect.any(Number))
        expect(isAlive(pid as number), `server pid ${pid} still running`).toBe(false)
      }
      const leak = onlyError(result.test('fires a request and returns without awaiting it'))
      const leakLine = lineOf('plugin-warm', 'warm.case.ts', 'leak-line')
      expect(leak.message).toContain('outlived test "fires a request and returns without awaiting it"')
      expect(leak.message).toContain(`request "tools/call weather_lookup"`)
      expect(leak.message).toContain(`created at warm.case.ts:${leakLine}:`)
      expect(leak.stack).toMatch(new RegExp(`warm\\.case\\.ts:${leakLine}:\\d+\\s*$`))
      // The same error a cold start gives: the server's exit code and stderr.
      for (const name of ['claims a host that never starts', 'claims a host that never starts, again']) {
        const { message } = onlyError(result.test(name))
        expect(message).toContain('Server "early" exited with code 3 before answering initialize')
        expect(message).toContain('exit-early: refusing to start (deliberate)')
      }
      expect(result.moduleErrors).toEqual([
        expect.objectContaining({
          name: 'ConfigError',
          message: expect.stringMatching(
            /^warm: keeps hosts started ahead for test-scoped fixtures; a file-scoped host/,
          ),
        }),
      ])
      // Every worker stopped its waiting hosts itself (the slow one mid-start): its reaper had nothing to kill.
      expect(section(result)).not.toContain('worker exited')
      expect(section(result)).not.toContain('reaped')
      expect(result.exitCode).toBe(1)
    },
  )

  test.for(['forks', 'threads'])(
    '%s: tests that time out while claiming a host still starting leave it to the pool: nothing reaped or left, the next claim gets it',
    async (pool, { expect, signal }) => {
      const result = await run('warm-timeout', { env: { E2E_POOL: pool }, signal })
      const timedOut = `failed: ${TIMEOUT_ERROR}`
      const cutOff = Object.fromEntries([1, 2, 3].map((n) => [`times out claiming ${n}`, timedOut]))
      expect(outcomes(result)).toEqual({ ...cutOff, 'claims with time enough': 'passed' })
      expect(result.tests, 'three cut off in each file, and the fourth').toHaveLength(7)
      for (const t of result.tests.filter((t) => t.name.startsWith('times out')))
        expect(onlyError(t).message).toMatch(/^Test timed out in 300ms/)
      const { claimed } = recordedPids(result)
      expect(claimed).toEqual(expect.any(Number))
      expect(isAlive(claimed as number), `server pid ${claimed} still running`).toBe(false)
      // The cut-off claims' hosts were the pool's to stop, not left running for the reaper at the
      // worker's end (cut-off.case.ts ends while they are still starting).
      expect(section(result)).not.toContain('worker exited')
      expect(section(result)).not.toContain('reaped')
      expect(result.exitCode).toBe(1)
    },
  )

  test('isolate: false, two files, a pool in a shared module, run twice in watch mode: fresh hosts, nothing left or reaped', async ({
    expect,
    signal,
  }) => {
    const result = await run('plugin-warm-shared', { twice: true, signal })
    const names = ['first', 'second'].flatMap((file) =>
      [1, 2].flatMap((n) => [`${file}: own pool ${n}`, `${file}: shared pool ${n}`]),
    )
    const passed = Object.fromEntries(names.map((name) => [name, 'passed']))
    expect(outcomes(result)).toEqual(passed)
    const first = /^first run: (.*)$/m.exec(result.stdout)?.[1]
    expect(JSON.parse(first ?? '{}')).toEqual(passed)
    // Both runs recorded their servers: 16 tests, 16 servers, none running now.
    const pids = (result.outFiles.pids ?? '')
      .trim()
      .split('\n')
      .map((line) => Number(line.split(' ')[1]))
    expect(pids).toHaveLength(16)
    expect(new Set(pids).size).toBe(16)
    for (const pid of pids) expect(isAlive(pid), `server pid ${pid} still running`).toBe(false)
    expect(section(result)).not.toContain('worker exited')
    expect(section(result)).not.toContain('reaped')
    expect(result.exitCode).toBe(0)
  })
})
