// End-to-end: cassettes with the hostManager fixture in real nested Vitest runs. The first run records
// (files beside the test file, none for a failed test); the next replays with no process (the
// server's command cannot even run); a changed call fails only its test; -u re-records; in CI nothing
// is written and a missing cassette fails its test; VITEST_MCP_HOST_CASSETTES (or its old name MCP_HOST_CASSETTES) overrides the mode.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, test } from 'vitest'
import { onlyError, outcomes, run, section, TEST_TIMEOUT_MS } from './harness.js'
import { fixturesDir, type VitestRun } from './run-vitest.js'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** A temp dir with one test file importing the project's tests: its cassettes are written there. */
function testDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mcp-cassettes-'))
  dirs.push(dir)
  const cases = path.join(fixturesDir, 'plugin-cassette', 'weather.cases.ts')
  writeFileSync(path.join(dir, 'weather.case.ts'), `import ${JSON.stringify(cases)}\n`)
  return dir
}

const cassetteDir = (dir: string) => path.join(dir, '__cassettes__', 'weather.case.ts')

/** The cassette files and their text, by file name. */
function cassettes(dir: string): Record<string, string> {
  mkdirSync(cassetteDir(dir), { recursive: true })
  const names = readdirSync(cassetteDir(dir)).sort()
  return Object.fromEntries(
    names.map((name) => [name, readFileSync(path.join(cassetteDir(dir), name), 'utf8')]),
  )
}

/** The pid each test saw for its server ('none': replayed). */
function pids(result: VitestRun): Record<string, string> {
  const lines = (result.outFiles.pids ?? '').trim().split('\n').filter(Boolean)
  return Object.fromEntries(lines.map((line) => line.split(' ') as [string, string]))
}

/** A server command that cannot run: a replay that spawned anything would fail to start. */
const NO_PROCESS = { WEATHER_COMMAND: '/nonexistent/weather-server' }

function step(dir: string, signal: AbortSignal, env: Record<string, string> = {}, args: string[] = []) {
  return run('plugin-cassette', { signal, env: { CASSETTE_DIR: dir, CI: '', ...env }, args })
}

describe.concurrent('cassettes in a real nested Vitest', { timeout: TEST_TIMEOUT_MS * 3 }, () => {
  test('recorded on the first run (not for a failed test), replayed with no process, a changed call fails only its test, -u re-records', async ({
    expect,
    signal,
  }) => {
    const dir = testDir()
    const first = await step(dir, signal, { FAILING: '1' })
    expect(outcomes(first)).toEqual({
      lookup: 'passed',
      alerts: 'passed',
      caught: 'passed',
      'fails after a call': 'failed: AssertionError',
    })
    expect(Object.values(pids(first)).every((pid) => /^\d+$/.test(pid))).toBe(true)
    const recorded = cassettes(dir)
    expect(Object.keys(recorded)).toEqual([
      expect.stringMatching(/^alerts-[0-9a-f]{8}\.weather\.json$/),
      expect.stringMatching(/^caught-[0-9a-f]{8}\.weather\.json$/),
      expect.stringMatching(/^lookup-[0-9a-f]{8}\.weather\.json$/),
    ])
    const [alerts = '', , lookup = ''] = Object.values(recorded)
    expect(JSON.parse(lookup)).toMatchObject({ server: 'weather', test: 'lookup', revision: '2025-11-25' })
    // The host's elicitation answer is on the tape, to be compared on replay.
    expect(alerts).toContain('"method": "elicitation/create"')

    const replayed = await step(dir, signal, NO_PROCESS)
    expect(outcomes(replayed)).toEqual({ lookup: 'passed', alerts: 'passed', caught: 'passed' })
    expect(pids(replayed)).toEqual({ lookup: 'none', alerts: 'none' })
    expect(cassettes(dir)).toEqual(recorded)

    const changed = await step(dir, signal, { ...NO_PROCESS, LOCATION: 'Berlin' })
    // The test that caught its mismatch fails too, from the fixture's teardown.
    expect(outcomes(changed)).toEqual({
      lookup: 'failed: CassetteMismatchError',
      alerts: 'passed',
      caught: 'failed: CassetteMismatchError',
    })
    expect(onlyError(changed.test('caught')).message).toContain('"Berlin" (sent) ≠ "London" (recorded)')
    const mismatch = onlyError(changed.test('lookup')).message
    expect(mismatch).toContain('Server "weather" (replayed from ')
    expect(mismatch).toContain('differs: arguments.location: "Berlin" (sent) ≠ "London" (recorded)')
    expect(mismatch).toContain('vitest -u')
    expect(cassettes(dir)).toEqual(recorded)

    const updated = await step(dir, signal, {}, ['-u'])
    expect(outcomes(updated)).toEqual({ lookup: 'passed', alerts: 'passed', caught: 'passed' })
    expect(Object.values(pids(updated)).every((pid) => /^\d+$/.test(pid))).toBe(true)
    const rerecorded = cassettes(dir)
    expect(Object.keys(rerecorded)).toEqual(Object.keys(recorded))
    const dates = (texts: Record<string, string>) => Object.values(texts).map((t) => JSON.parse(t).recordedAt)
    expect(dates(rerecorded)).not.toEqual(dates(recorded))
    expect(section(updated)).toBe('')
  })

  test('obsolete cassettes listed at the end of the run (not those of skipped tests), removed with -u', async ({
    expect,
    signal,
  }) => {
    const dir = testDir()
    expect(outcomes(await step(dir, signal))).toEqual({
      lookup: 'passed',
      alerts: 'passed',
      caught: 'passed',
    })
    const [alerts, caught, lookup] = Object.keys(cassettes(dir))

    const filtered = await step(dir, signal, NO_PROCESS, ['-t', 'lookup'])
    expect(outcomes(filtered)).toEqual({ lookup: 'passed', alerts: 'skipped', caught: 'skipped' })
    expect(section(filtered)).toBe('')

    const gone = await step(dir, signal, { ...NO_PROCESS, ONLY_LOOKUP: '1' })
    expect(outcomes(gone)).toEqual({ lookup: 'passed' })
    const listed = section(gone)
    expect(listed).toContain(
      'Obsolete cassettes (information; no test of this run used them: delete them, or run with -u to remove them): 2',
    )
    expect(listed).toContain(
      `· ${path.join(cassetteDir(dir), alerts ?? '')} (test "alerts", server "weather")`,
    )
    expect(listed).toContain(
      `· ${path.join(cassetteDir(dir), caught ?? '')} (test "caught", server "weather")`,
    )
    expect(listed).not.toContain(lookup)
    expect(gone.exitCode).toBe(0)

    const removed = await step(dir, signal, { ONLY_LOOKUP: '1' }, ['-u'])
    expect(section(removed)).toContain('Obsolete cassettes removed (-u: no test of this run used them): 2')
    expect(Object.keys(cassettes(dir))).toEqual([lookup])
  })

  test('in CI nothing is written: cassettes replay, a missing one fails its test; VITEST_MCP_HOST_CASSETTES (and its old name) overrides', async ({
    expect,
    signal,
  }) => {
    const dir = testDir()
    const ci = await step(dir, signal, { ...NO_PROCESS, CI: 'true', ONLY_LOOKUP: '1' })
    expect(outcomes(ci)).toEqual({ lookup: 'failed: CassetteMissingError' })
    expect(onlyError(ci.test('lookup')).message).toMatch(
      /Server "weather" has no cassette at .*lookup-[0-9a-f]{8}\.weather\.json, and in CI \(CI is set\) nothing is recorded/,
    )
    expect(cassettes(dir)).toEqual({})

    expect(outcomes(await step(dir, signal, { ONLY_LOOKUP: '1' }))).toEqual({ lookup: 'passed' })
    const recorded = cassettes(dir)
    const again = await step(dir, signal, { ...NO_PROCESS, CI: 'true', FAILING: '1' })
    expect(outcomes(again)).toEqual({
      lookup: 'passed',
      alerts: 'failed: CassetteMissingError',
      caught: 'failed: CassetteMissingError',
      'fails after a call': 'failed: CassetteMissingError',
    })
    expect(cassettes(dir)).toEqual(recorded)

    const off = await step(dir, signal, { ...NO_PROCESS, ONLY_LOOKUP: '1', MCP_HOST_CASSETTES: 'off' })
    expect(outcomes(off)).toEqual({ lookup: 'failed: ServerStartError' })
    const replay = await step(dir, signal, { ...NO_PROCESS, VITEST_MCP_HOST_CASSETTES: 'replay' })
    expect(outcomes(replay)).toEqual({
      lookup: 'passed',
      alerts: 'failed: CassetteMissingError',
      caught: 'failed: CassetteMissingError',
    })
    expect(onlyError(replay.test('alerts')).message).toContain("and the cassette mode is 'replay'")
    expect(cassettes(dir)).toEqual(recorded)
  })
})
