// End-to-end: a nested Vitest killed mid-run (SIGKILL, SIGTERM, SIGINT to its main process, SIGINT to
// its process group, SIGKILL to one fork worker) leaves nothing running: its workers, servers,
// their grandchildren and the children its tests started are gone within 3 s; the servers of one
// test are on 2025-11-25, those of the other on 2026-07-28 (a modern-only stdio server, a spawned
// HTTP one pinned there), so every case kills and reaps both. The times to zero
// are written to <tmpdir>/vitest-mcp-host-reaper-times.json and printed at the end.
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, type ExpectStatic, test } from 'vitest'
import type { ProcessInfo } from '../../src/launchers/processes/process-table.js'
import { inRunSlots, TEST_TIMEOUT_MS } from './harness.js'
import { describeProcesses, type Gone, KillRun, type ReadyLine } from './kill-run.js'

const PROJECT = 'reaper-kill'
/** What "at once" means for the whole run of processes after a kill. */
const GONE_WITHIN_MS = 3_000
/** The project's teardownTimeout (reaper-kill/vitest.config.ts); a dead worker is named well before it. */
const TEARDOWN_TIMEOUT_MS = 10_000
/** How long to let a run whose worker died go on, to see what it does when it does not end at once. */
const OBSERVE_MS = 30_000
const TIMES_FILE = path.join(tmpdir(), 'vitest-mcp-host-reaper-times.json')

/**
 * Nested runs alive at once (a held run is idle, but starting one takes a core for 1–3 s). Two: with
 * three, on the Vitest 5 leg beside the rest of the suite, one run once took over 30 s to start.
 */
const MAX_RUNS = 2
let active = 0
const waiting: Array<() => void> = []
/** Runs `task` once `weight` run slots are free here, and as many in the suite (inRunSlots). */
async function slots<T>(weight: number, signal: AbortSignal, task: () => Promise<T>): Promise<T> {
  while (active + weight > MAX_RUNS) await new Promise<void>((resolve) => waiting.push(resolve))
  active += weight
  try {
    return await inRunSlots(weight, signal, task)
  } finally {
    active -= weight
    for (const wake of waiting.splice(0)) wake()
  }
}

const times: Record<string, { ms: number | null; survivors: number; note?: string }> = {}
function note(name: string, gone: Gone, extra?: string): void {
  times[name] = {
    ms: gone.ms === undefined ? null : Math.round(gone.ms),
    survivors: gone.survivors.length,
    ...(extra ? { note: extra } : {}),
  }
}

afterAll(() => {
  writeFileSync(TIMES_FILE, `${JSON.stringify(times, null, 2)}\n`)
  const rows = Object.entries(times)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([name, t]) =>
        `  ${name.padEnd(58)} ${t.ms === null ? `NOT ZERO (${t.survivors} left)` : `${t.ms} ms`}${t.note ? `  ${t.note}` : ''}`,
    )
  console.log(`time to zero processes after the kill (${TIMES_FILE}):\n${rows.join('\n')}`)
})

/**
 * The servers every ready line names (reaper-kill/hosts.ts): stdio, spawned HTTP, SIGTERM-proof,
 * forking; the first two on 2025-11-25 in the first test and on 2026-07-28 in the second.
 */
const SERVERS = ['weather', 'web', 'stubborn', 'forker']

function readyOf(run: KillRun, prefix: string): ReadyLine {
  const line = run.ready.find((l) => l.test.startsWith(prefix))
  if (!line) throw new Error(`no ready line of test "${prefix}…": ${JSON.stringify(run.ready)}`)
  expectAllServers(line)
  return line
}

/** The revision the test-scoped host's servers landed on in each test of the project. */
const ERAS = { first: '2025-11-25', second: '2026-07-28' } as const

/** A ready line that lost a server (or its revision) would let every kill case pass without reaping it. */
function expectAllServers(line: ReadyLine): void {
  const names = Object.keys(line.servers).sort()
  if (names.join() !== [...SERVERS].sort().join())
    throw new Error(`ready line ${JSON.stringify(line)} should name the servers ${SERVERS.join(', ')}`)
  const era = line.test.startsWith('second') ? ERAS.second : ERAS.first
  if (line.eras.weather !== era || line.eras.web !== era)
    throw new Error(`ready line ${JSON.stringify(line)}: servers "weather" and "web" should be on ${era}`)
}

function survivorsMessage(what: string, gone: Gone, run: KillRun, since = 'the kill'): string {
  return `${what}: ${gone.survivors.length} process(es) still alive ${GONE_WITHIN_MS} ms after ${since}:\n${describeProcesses(gone.survivors)}\n${run.output(15)}`
}

/** Every process the ready lines name (workers, servers, tests' own children) is in `snapshot`, with a grandchild per 'grandchild' server. */
function expectReadyIn(expect: ExpectStatic, snapshot: readonly ProcessInfo[], run: KillRun): void {
  const pids = new Set(snapshot.map((p) => p.pid))
  for (const line of run.ready) {
    expectAllServers(line)
    for (const pid of [line.pid, ...Object.values(line.servers), ...line.children]) {
      expect(
        pids.has(pid),
        `pid ${pid} of ready line ${JSON.stringify(line)} is not in the snapshot:\n${describeProcesses(snapshot)}`,
      ).toBe(true)
    }
    const forker = line.servers.forker
    expect(
      snapshot.some((p) => p.ppid === forker),
      `no grandchild of server "forker" (pid ${forker}) in the snapshot:\n${describeProcesses(snapshot)}`,
    ).toBe(true)
  }
}

type Pool = 'forks' | 'threads'
type Target = 'main' | 'group'
const kills: Array<[Target, NodeJS.Signals]> = [
  ['main', 'SIGKILL'],
  ['main', 'SIGTERM'],
  ['main', 'SIGINT'],
  ['group', 'SIGINT'],
]

/** Starts a held run, kills `target` with `signal`, and checks that the whole run is gone in time. */
async function killWholeRun(
  name: string,
  env: Record<string, string>,
  target: Target,
  signal: NodeJS.Signals,
  expect: ExpectStatic,
  abort: AbortSignal,
): Promise<void> {
  await slots(1, abort, async () => {
    const run = await KillRun.start(PROJECT, { env: { ...env, E2E_HANG: '1' }, readyLines: 2, signal: abort })
    try {
      const before = run.snapshot()
      expectReadyIn(expect, before, run)
      const at = run.kill(target, signal)
      const gone = await run.gone(before, at, { marked: true })
      note(name, gone)
      expect(gone.survivors.length, survivorsMessage(name, gone, run)).toBe(0)
    } finally {
      await run.cleanup()
    }
  })
}

describe.concurrent('a killed Vitest leaves nothing running', { timeout: TEST_TIMEOUT_MS }, () => {
  for (const pool of ['forks', 'threads'] as Pool[]) {
    for (const [target, signal] of kills) {
      const name = `${pool}: ${signal} to the ${target === 'main' ? 'main process' : 'process group'}`
      test(`${name}: no process of the run is alive within 3 s`, async ({ expect, signal: abort }) => {
        await killWholeRun(name, { E2E_POOL: pool }, target, signal, expect, abort)
      })
    }
  }

  // Without the plugin, the hostManager fixture alone: orphaned fork workers end themselves too.
  for (const pool of ['forks', 'threads'] as Pool[]) {
    const name = `${pool}, no plugin: SIGKILL to the main process`
    test(`without the plugin, ${pool}: SIGKILL to the main process: no process of the run is alive within 3 s`, async ({
      expect,
      signal,
    }) => {
      await killWholeRun(name, { E2E_POOL: pool, E2E_PLUGIN: '0' }, 'main', 'SIGKILL', expect, signal)
    })
  }

  test('forks: SIGKILL to one worker: the run goes on, names the dead worker and what was reaped at once, and its processes are gone within 3 s', async ({
    expect,
    signal,
  }) => {
    const name = 'forks: SIGKILL to one worker'
    await slots(1, signal, async () => {
      const run = await KillRun.start(PROJECT, {
        env: { E2E_POOL: 'forks', E2E_HANG: 'release' },
        readyLines: 2,
        signal,
      })
      try {
        const victim = readyOf(run, 'second')
        const other = readyOf(run, 'first')
        expect(victim.pid, 'the two files ran in one worker process').not.toBe(other.pid)
        const everything = run.snapshot()
        const worker = run.treeOf(victim.pid)
        const inTree = new Set(worker.map((p) => p.pid))
        for (const pid of [...Object.values(victim.servers), ...victim.children]) {
          expect(
            inTree.has(pid),
            `pid ${pid} of the ready line is no descendant of worker ${victim.pid}`,
          ).toBe(true)
        }
        const at = run.kill(victim.pid, 'SIGKILL')
        // The other worker's test finishes now; the run then ends without the dead one.
        run.release()
        const [gone, exit] = await Promise.all([run.gone(worker, at), run.exitWithin(OBSERVE_MS)])
        const endedAfter = exit ? Math.round(exit.at - at) : undefined
        const ended = `run ended ${endedAfter === undefined ? `not within ${OBSERVE_MS}` : endedAfter} ms after the kill, exit ${exit?.code ?? exit?.signal}`
        note(name, gone, ended)
        expect
          .soft(gone.survivors.length, survivorsMessage(`the killed worker's processes`, gone, run))
          .toBe(0)
        if (!exit)
          throw new Error(
            `the run did not end within ${OBSERVE_MS} ms after one of its workers was killed.\n${run.output()}`,
          )
        await run.closedWithin(2_000)
        expect
          .soft(
            endedAfter,
            `the run should end well before its teardownTimeout (${TEARDOWN_TIMEOUT_MS} ms) after the kill.\n${run.output()}`,
          )
          .toBeLessThan(TEARDOWN_TIMEOUT_MS / 2)
        expect.soft(exit.code, 'exit code').not.toBe(0)
        const section = run.section()
        const reaped = /worker exited unexpectedly; reaped: (.*)/.exec(section)?.[1]
        expect
          .soft(
            reaped,
            `no "worker exited unexpectedly; reaped: …" in the reporter section:\n${section || run.output()}`,
          )
          .toBeDefined()
        // Every server the worker had running, killed, or (stdin closed with the worker) already exited.
        for (const [server, pid] of Object.entries(victim.servers)) {
          expect
            .soft(reaped ?? '', `the reaped list names server "${server}"`)
            .toMatch(new RegExp(`server "${server}" \\(pid ${pid}(\\)|, had exited\\))`))
        }
        for (const pid of victim.children) {
          expect
            .soft(reaped ?? '', `the reaped list names the test's own child`)
            .toMatch(new RegExp(`(^|, )pid ${pid} \\(`))
        }
        const report = run.report()
        const tests = Object.fromEntries((report?.tests ?? []).map((t) => [t.name, t.state]))
        const unhandled = (report?.unhandledErrors ?? []).map((e) => `${e.name}: ${e.message}`)
        note(
          name,
          gone,
          `${ended}; killed test ${tests[victim.test]}; unhandled: ${unhandled.join(' | ') || 'none'}`,
        )
        expect
          .soft(tests[other.test], `the other worker's test; report: ${JSON.stringify(tests)}`)
          .toBe('passed')
        const left = await run.gone(everything, exit.at, { marked: true })
        expect.soft(left.survivors.length, survivorsMessage('the run', left, run, 'it ended')).toBe(0)
      } finally {
        await run.cleanup()
      }
    })
  })

  test('without the plugin, forks: SIGKILL to one worker: its servers and their grandchildren are gone within 3 s', async ({
    expect,
    signal,
  }) => {
    const name = 'forks, no plugin: SIGKILL to one worker'
    await slots(1, signal, async () => {
      const run = await KillRun.start(PROJECT, {
        env: { E2E_POOL: 'forks', E2E_PLUGIN: '0', E2E_HANG: 'release' },
        readyLines: 2,
        signal,
      })
      try {
        const victim = readyOf(run, 'first')
        const serverPids = new Set(Object.values(victim.servers))
        const tree = run.treeOf(victim.pid)
        const byPid = new Map(tree.map((p) => [p.pid, p]))
        // The servers and what they started: a test's own children are not the harness's without the plugin.
        const servers = tree.filter((p) => {
          for (let q: typeof p | undefined = p; q; q = byPid.get(q.ppid))
            if (serverPids.has(q.pid)) return true
          return false
        })
        expect(servers.length, 'the servers and grandchildren of the worker').toBeGreaterThan(serverPids.size)
        const at = run.kill(victim.pid, 'SIGKILL')
        run.release()
        const gone = await run.gone(servers, at)
        note(name, gone)
        expect(gone.survivors.length, survivorsMessage(name, gone, run)).toBe(0)
      } finally {
        await run.cleanup()
      }
    })
  })

  test('two runs at once: SIGKILL to one main process leaves the other running; the other then passes and leaves nothing', async ({
    expect,
    signal,
  }) => {
    const name = 'two runs: SIGKILL to one main process'
    await slots(2, signal, async () => {
      const started = await Promise.allSettled([
        KillRun.start(PROJECT, { env: { E2E_POOL: 'forks', E2E_HANG: '1' }, readyLines: 2, signal }),
        KillRun.start(PROJECT, { env: { E2E_POOL: 'forks', E2E_HANG: 'release' }, readyLines: 2, signal }),
      ])
      const runs = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
      try {
        const [killed, kept] = started.map((s) => {
          if (s.status === 'rejected') throw s.reason
          return s.value
        }) as [KillRun, KillRun]
        const killedAll = killed.snapshot()
        const keptAll = kept.snapshot()
        expectReadyIn(expect, killedAll, killed)
        expectReadyIn(expect, keptAll, kept)
        const at = killed.kill('main', 'SIGKILL')
        const gone = await killed.gone(killedAll, at, { marked: true })
        // Timed out meanwhile: the cleanup has stopped both runs, so what follows would misreport.
        signal.throwIfAborted()
        note(name, gone)
        const keptAlive = kept.alive(keptAll)
        expect.soft(gone.survivors.length, survivorsMessage('the killed run', gone, killed)).toBe(0)
        expect
          .soft(
            describeProcesses(keptAll.filter((p) => !keptAlive.some((q) => q.pid === p.pid))),
            'processes of the other run that died with the killed one',
          )
          .toBe('')
        kept.release()
        const exit = await kept.exitWithin(OBSERVE_MS)
        if (!exit)
          throw new Error(
            `the other run did not end within ${OBSERVE_MS} ms once released.\n${kept.output()}`,
          )
        const left = kept.alive(keptAll, { marked: true })
        expect
          .soft(left.length, `processes of the other run alive once it exited:\n${describeProcesses(left)}`)
          .toBe(0)
        const tests = Object.fromEntries((kept.report()?.tests ?? []).map((t) => [t.name, t.state]))
        expect
          .soft(Object.values(tests), `the other run's tests: ${JSON.stringify(tests)}\n${kept.output()}`)
          .toEqual(['passed', 'passed'])
        expect.soft(exit.code, `the other run's exit code\n${kept.output()}`).toBe(0)
      } finally {
        await Promise.all(runs.map((run) => run.cleanup()))
      }
    })
  })

  for (const pool of ['forks', 'threads'] as Pool[]) {
    test(`${pool}: a run left to finish leaves nothing once Vitest has exited, no reaper either`, async ({
      expect,
      signal,
    }) => {
      await slots(1, signal, async () => {
        const run = await KillRun.start(PROJECT, {
          env: { E2E_POOL: pool, E2E_HANG: 'release' },
          readyLines: 2,
          signal,
        })
        try {
          const before = run.snapshot()
          expectReadyIn(expect, before, run)
          const at = performance.now()
          run.release()
          const exit = await run.exitWithin(OBSERVE_MS)
          if (!exit)
            throw new Error(`the run did not end within ${OBSERVE_MS} ms once released.\n${run.output()}`)
          const left = run.alive(before, { marked: true })
          note(
            `${pool}: normal run`,
            { ms: left.length ? undefined : exit.at - at, survivors: left },
            'ms = release to exit',
          )
          expect
            .soft(
              left.length,
              `processes of the run alive once Vitest exited:\n${describeProcesses(left)}\nof its snapshot:\n${describeProcesses(before)}`,
            )
            .toBe(0)
          expect.soft(exit.code, `exit code\n${run.output()}`).toBe(0)
        } finally {
          await run.cleanup()
        }
      })
    })
  }
})
