// The stdio launcher against real misbehaving servers: start failures, crashes, hangs, noisy stdout,
// and the stdin-close → SIGTERM → SIGKILL escalation. After every test nothing of the server runs.
import { Client, SdkError, SdkErrorCode } from '@modelcontextprotocol/client'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { createWeatherServer } from '../../example-servers/weather/service.js'
import type { HostConfig, ServerConfig, StdioServerConfig } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'
import { ServerExitError, ServerStartError } from '../../src/launchers/errors.js'
import type { LaunchOptions } from '../../src/launchers/launcher.js'
import { groupMembers } from '../../src/launchers/processes/process-table.js'
import { DEFAULT_SHUTDOWN, type StopReport } from '../../src/launchers/processes/terminate.js'
import { Timeline } from '../../src/launchers/timeline.js'
import { launchMemory } from '../../src/launchers/transports/memory.js'
import { launchStdio } from '../../src/launchers/transports/stdio.js'
import { type MisbehaviourKind, misbehavingServer, weatherServer } from '../../src/servers/index.js'
import { rejectionOf } from '../support/assertions.js'
import {
  isDead,
  killMarked,
  markEnv,
  markedPids,
  uniqueMark,
  waitDead,
  waitForMarked,
} from './process-helpers.js'

const marks = new Set<string>()

// Safety net: a failing test must not leave its server running for the rest of the run.
afterEach(() => {
  const survivors = killMarked(marks)
  marks.clear()
  expect(survivors, 'server processes still running after the test (now killed)').toEqual([])
})

function mark(label: string): string {
  const value = uniqueMark(label)
  marks.add(value)
  return value
}

/** A misbehaving server config whose process (and descendants) carry `mark` in their environment. */
function misbehaving(
  kind: MisbehaviourKind,
  m: string,
  options: Parameters<typeof misbehavingServer>[1] = {},
): StdioServerConfig {
  return misbehavingServer(kind, { ...options, env: markEnv(m) })
}

async function startOne(name: string, config: ServerConfig, host: Omit<HostConfig, 'servers'> = {}) {
  return HostManager.start({ ...host, servers: { [name]: config } })
}

function pidOf(host: HostManager, name: string): number {
  const pid = host.server(name).pid
  if (pid === undefined) throw new Error(`server "${name}" has no pid`)
  return pid
}

function stopReportOf(host: HostManager, name: string): StopReport {
  const report = host.entries.find((entry) => entry.name === name)?.stopReport
  if (!report) throw new Error(`server "${name}" has no stop report`)
  return report
}

/** Nothing of the server runs: its group is empty and no process carries its mark. */
function expectAllGone(pid: number | undefined, m: string): void {
  if (pid !== undefined) {
    expect(groupMembers(pid)).toEqual([])
    expect(isDead(pid)).toBe(true)
  }
  expect(markedPids(m)).toEqual([])
}

function textOf(result: unknown): string {
  const [first] = ((result as { content?: unknown }).content ?? []) as Array<{ type: string; text?: string }>
  return first?.type === 'text' ? (first.text ?? '') : ''
}

describe("'slow-start'", () => {
  test('answers initialize after delayMs: 300, well under the default startup timeout', async () => {
    const m = mark('slow-ok')
    const started = performance.now()
    const host = await startOne('slow', misbehaving('slow-start', m, { delayMs: 300 }))
    const elapsed = performance.now() - started
    const pid = pidOf(host, 'slow')
    try {
      expect(elapsed).toBeGreaterThanOrEqual(290)
      expect(elapsed).toBeLessThan(3000)
      expect(host.server('slow').state).toBe('ready')
      const result = await host.callTool('weather_lookup', { location: 'Tokyo' })
      expect(textOf(result)).toBe('Weather for Tokyo: Temp 25°C, Sunny, Humidity 50%')
    } finally {
      await host.shutdown()
    }
    expect(stopReportOf(host, 'slow').signals).toEqual([])
    expectAllGone(pid, m)
  })

  test('startupTimeout 200 with delayMs 2000: ServerStartError "timeout" within a bound; the process is stopped', async () => {
    const m = mark('slow-timeout')
    const started = performance.now()
    const starting = startOne('slow', misbehaving('slow-start', m, { delayMs: 2000, startupTimeout: 200 }))
    // Caught while it runs, to check its process group afterwards.
    const pid = await waitForMarked(m)
    const error = await rejectionOf(starting)
    const elapsed = performance.now() - started
    expect(error).toBeInstanceOf(ServerStartError)
    const startError = error as ServerStartError
    expect(startError.name).toBe('ServerStartError')
    expect(startError.reason).toBe('timeout')
    expect(startError.server).toBe('slow')
    expect(startError.message).toMatch(
      /^Server "slow" did not answer initialize within 200 ms \(startupTimeout\); it was stopped\.\n {2}command: /,
    )
    expect(startError.cause).toBeInstanceOf(SdkError)
    expect((startError.cause as SdkError).code).toBe(SdkErrorCode.RequestTimeout)
    expect(elapsed).toBeGreaterThanOrEqual(195)
    // 200 ms timeout + the stop (the server exits when its stdin closes), far below delayMs.
    expect(elapsed).toBeLessThan(1500)
    expectAllGone(pid, m)
  })

  test('the host-level startupTimeout applies when the server sets none', async () => {
    const m = mark('slow-host-timeout')
    const error = await rejectionOf(
      startOne('slow', misbehaving('slow-start', m, { delayMs: 2000 }), { startupTimeout: 150 }),
    )
    expect(error).toMatchObject({ name: 'ServerStartError', reason: 'timeout' })
    expect((error as Error).message).toContain('within 150 ms')
    expectAllGone(undefined, m)
  })
})

describe("'exit-early'", () => {
  test('ServerStartError "exit" with exit code 3 and the stderr line; nothing left running', async () => {
    const m = mark('exit-early')
    const error = await rejectionOf(startOne('early', misbehaving('exit-early', m)))
    expect(error).toBeInstanceOf(ServerStartError)
    const startError = error as ServerStartError
    expect(startError.reason).toBe('exit')
    expect(startError.server).toBe('early')
    expect(startError.exitCode).toBe(3)
    expect(startError.signal).toBeUndefined()
    expect(startError.stderrTail).toContain('exit-early: refusing to start (deliberate)')
    expect(startError.message).toMatch(/^Server "early" exited with code 3 before answering initialize\./)
    expect(startError.message).toContain(
      '\n  stderr (last 1 line):\n    exit-early: refusing to start (deliberate)',
    )
    expectAllGone(undefined, m)
  })
})

describe("'crash-on-call'", () => {
  test('the pending callTool rejects with ServerExitError at once, not at its requestTimeout', async () => {
    const m = mark('crash')
    const host = await startOne('crashy', misbehaving('crash-on-call', m, { requestTimeout: 30_000 }))
    const pid = pidOf(host, 'crashy')
    try {
      const started = performance.now()
      const error = await rejectionOf(host.callTool('weather_lookup', { location: 'Paris' }))
      const elapsed = performance.now() - started
      expect(error).toBeInstanceOf(ServerExitError)
      const exitError = error as ServerExitError
      expect(exitError.name).toBe('ServerExitError')
      expect(exitError.server).toBe('crashy')
      expect(exitError.exitCode).toBe(1)
      expect(exitError.signal).toBeUndefined()
      expect(exitError.stderrTail).toContain(
        'crash-on-call: crashing on weather_lookup("Paris") (deliberate)',
      )
      expect(exitError.message).toMatch(
        /^Server "crashy" exited with code 1 while in use \(during tools\/call weather_lookup\)\./,
      )
      expect(elapsed).toBeLessThan(2000)

      const handle = host.server('crashy')
      expect(handle.state).toBe('crashed')
      expect(handle.exitCode).toBe(1)
      expect(handle.signal).toBeUndefined()
      expect(handle.stderr()).toContain('crash-on-call: crashing')
      expect(() => host.client('crashy')).toThrow(ServerExitError)
      expect(host.pendingRequests).toEqual([])
      // Later requests to it name the exit too, routed by name or with { server }.
      for (const opts of [{}, { server: 'crashy' }]) {
        const again = await rejectionOf(host.callTool('weather_lookup', { location: 'Rome' }, opts))
        expect(again).toBeInstanceOf(ServerExitError)
        expect((again as Error).message).toMatch(/^Server "crashy" exited with code 1 while in use/)
      }
    } finally {
      await host.shutdown()
    }
    expect(host.server('crashy').state).toBe('exited')
    expect(stopReportOf(host, 'crashy')).toMatchObject({ exit: { code: 1, signal: null }, signals: [] })
    expectAllGone(pid, m)
  })
})

describe('shutdown escalation', () => {
  test("'ignore-stdin-close': SIGTERM after graceMs; shutdown takes ≥ graceMs and < graceMs + 1000", async () => {
    const m = mark('ignore-stdin')
    const host = await startOne(
      'stubborn',
      misbehaving('ignore-stdin-close', m, { shutdown: { graceMs: 300, termMs: 300 } }),
    )
    const pid = pidOf(host, 'stubborn')
    const started = performance.now()
    await host.shutdown()
    const elapsed = performance.now() - started
    // Timers may fire up to a millisecond early against performance.now().
    expect(elapsed).toBeGreaterThanOrEqual(298)
    expect(elapsed).toBeLessThan(1300)
    const report = stopReportOf(host, 'stubborn')
    expect(report.signals).toEqual(['SIGTERM'])
    // It exits on SIGTERM by itself (a handler calling process.exit(0)).
    expect(report.exit).toEqual({ code: 0, signal: null })
    expect(report.leftovers).toEqual([])
    expectAllGone(pid, m)
  })

  test("'ignore-sigterm': SIGTERM then SIGKILL with the default graces; gone in < 1500 ms", async () => {
    const m = mark('ignore-sigterm')
    const host = await startOne('immortal', misbehaving('ignore-sigterm', m))
    const pid = pidOf(host, 'immortal')
    const started = performance.now()
    await host.shutdown()
    const elapsed = performance.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(DEFAULT_SHUTDOWN.graceMs + DEFAULT_SHUTDOWN.termMs - 2)
    expect(elapsed).toBeLessThan(1500)
    const report = stopReportOf(host, 'immortal')
    expect(report.signals).toEqual(['SIGTERM', 'SIGKILL'])
    expect(report.exit).toEqual({ code: null, signal: 'SIGKILL' })
    expect(host.server('immortal').signal).toBe('SIGKILL')
    expect(host.server('immortal').stderr()).toContain('ignoring SIGTERM (deliberate)')
    expectAllGone(pid, m)
  })

  test('a cooperative server stops on stdin close alone: no signals, fast', async () => {
    const m = mark('cooperative')
    const host = await startOne('weather', weatherServer({ env: markEnv(m) }))
    const pid = pidOf(host, 'weather')
    await host.shutdown()
    const report = stopReportOf(host, 'weather')
    // No signals: it exited within graceMs of its stdin closing.
    expect(report).toMatchObject({ exit: { code: 0, signal: null }, signals: [], leftovers: [] })
    expectAllGone(pid, m)
  })
})

describe("'grandchild'", () => {
  test('the grandchild is killed with the group and listed in the stop report as a leftover', async () => {
    const m = mark('grandchild')
    const host = await startOne('parent', misbehaving('grandchild', m))
    const pid = pidOf(host, 'parent')
    let grandchild: number | undefined
    try {
      // stderr and stdout are separate pipes: the line may land just after initialize.
      await vi.waitFor(
        () => {
          const match = /grandchild pid=(\d+)/.exec(host.server('parent').stderr())
          if (!match) throw new Error('no "grandchild pid=" line on stderr yet')
          grandchild = Number(match[1])
        },
        { timeout: 2000, interval: 5 },
      )
      if (grandchild === undefined) throw new Error('unreachable')
      expect(isDead(grandchild)).toBe(false)
      expect(groupMembers(pid).map((p) => p.pid)).toEqual(expect.arrayContaining([pid, grandchild]))
    } finally {
      await host.shutdown()
    }
    const report = stopReportOf(host, 'parent')
    expect(report.leftovers.map((o) => o.pid)).toEqual([grandchild])
    expect(report.leftovers[0]?.command).toContain('setInterval')
    expect(await waitDead(grandchild)).toBe(true)
    expectAllGone(pid, m)
  })
})

describe("'setsid-child'", () => {
  /** The pids the server announces on stderr, by what it says of each. */
  async function escapees(host: HostManager, name: string): Promise<Record<string, number>> {
    const found: Record<string, number> = {}
    await vi.waitFor(
      () => {
        for (const [, pid, what] of host
          .server(name)
          .stderr()
          .matchAll(/setsid-child pid=(\d+) \((.+)\)/g))
          found[what as string] = Number(pid)
        if (Object.keys(found).length < 3)
          throw new Error('the three "setsid-child pid=" lines are not on stderr yet')
      },
      { timeout: 5000, interval: 5 },
    )
    return found
  }

  /** The test's own safety net for processes no mark reaches (the empty-environment one). */
  function killAll(pids: Iterable<number>): void {
    for (const pid of pids) {
      try {
        if (!isDead(pid)) process.kill(pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
  }

  test('processes in new sessions are killed with the server and reported as its leftovers', async () => {
    const m = mark('setsid')
    const host = await startOne('escaper', misbehaving('setsid-child', m))
    const pid = pidOf(host, 'escaper')
    let pids: Record<string, number> = {}
    try {
      pids = await escapees(host, 'escaper')
      for (const escapee of Object.values(pids)) {
        expect(isDead(escapee)).toBe(false)
        // Out of the server's group: the group kill alone does not reach them.
        expect(groupMembers(pid).map((p) => p.pid)).not.toContain(escapee)
      }
      await host.shutdown()
      const report = stopReportOf(host, 'escaper')
      expect(report.leftovers.map((o) => o.pid).sort()).toEqual(Object.values(pids).sort())
      for (const leftover of report.leftovers) expect(leftover.command).toContain('setInterval')
      for (const escapee of Object.values(pids)) expect(await waitDead(escapee)).toBe(true)
      expectAllGone(pid, m)
    } finally {
      killAll(Object.values(pids))
      await host.shutdown()
    }
  })

  test('after the server died on its own, what carries its token is still found and killed', async () => {
    const m = mark('setsid-crashed')
    const host = await startOne('escaper', misbehaving('setsid-child', m))
    const pid = pidOf(host, 'escaper')
    let pids: Record<string, number> = {}
    try {
      pids = await escapees(host, 'escaper')
      process.kill(pid, 'SIGKILL')
      await vi.waitFor(() => expect(host.server('escaper').state).toBe('crashed'), {
        timeout: 5000,
        interval: 5,
      })
      await host.shutdown()
      const report = stopReportOf(host, 'escaper')
      // With its parent gone, the one with an empty environment carries nothing that names the
      // server: it cannot be told from any other process (README, "Stopping a spawned server").
      const inherited = [pids['environment kept'], pids['parent exited']]
      expect(report.leftovers.map((o) => o.pid).sort()).toEqual(inherited.sort())
      for (const escapee of inherited) expect(await waitDead(escapee as number)).toBe(true)
    } finally {
      killAll(Object.values(pids))
      await host.shutdown()
    }
  })
})

describe("'close-stdout'", () => {
  test('a server that closes its stdout and keeps running: the pending call rejects with ServerExitError at once, and the process is stopped', {
    timeout: 20_000,
  }, async () => {
    const m = mark('close-stdout')
    // A timeout the test outlives: a call that waits it out fails the assertions, not Vitest's clock.
    const host = await startOne('mute', misbehaving('close-stdout', m, { requestTimeout: 10_000 }))
    const pid = pidOf(host, 'mute')
    try {
      await host.listTools() // the catalog is cached: the call goes out at once
      const started = performance.now()
      const error = await rejectionOf(host.callTool('weather_lookup', { location: 'Oslo' }))
      const elapsed = performance.now() - started
      expect(error).toBeInstanceOf(ServerExitError)
      const exitError = error as ServerExitError
      expect(exitError.server).toBe('mute')
      expect(exitError.message).toMatch(
        /^Server "mute" closed its stdout \(its process kept running; the host stops it\) while in use \(during tools\/call weather_lookup\)\./,
      )
      expect(exitError.stderrTail).toContain(
        'close-stdout: closing stdout on weather_lookup("Oslo") (deliberate)',
      )
      expect(elapsed, 'the call waited for its timeout instead of failing at once').toBeLessThan(2000)
      expect(host.server('mute').state).toBe('crashed')
      // The usual escalation stops it (it leaves when its stdin ends), without waiting for shutdown().
      expect(await waitDead(pid, 3000), `server pid ${pid} still running`).toBe(true)
      const again = await rejectionOf(host.callTool('weather_lookup', { location: 'Rome' }))
      expect(again).toBeInstanceOf(ServerExitError)
      expect((again as Error).message).toMatch(/^Server "mute" closed its stdout/)
    } finally {
      await host.shutdown()
    }
    expect(stopReportOf(host, 'mute')).toMatchObject({ exit: { code: 0, signal: null }, signals: [] })
    // In this order (the host's own stop may interleave with the escalation's last steps).
    const events = host.entries[0]?.timeline.events.map((e) => e.event) ?? []
    const order = (['stdout-closed', 'state crashed', 'stdin-close', 'exit', 'stopped'] as const).map((e) =>
      events.indexOf(e),
    )
    expect(order.every((index, i) => index !== -1 && (i === 0 || index > (order[i - 1] as number)))).toBe(
      true,
    )
    expectAllGone(pid, m)
  })
})

describe("'noisy-stdout'", () => {
  test('requests still work, the junk line is kept in stderr() marked [stdout, and it is a wire violation naming the server', async () => {
    const m = mark('noisy')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const host = await startOne('noisy', misbehaving('noisy-stdout', m))
    const pid = pidOf(host, 'noisy')
    try {
      const result = await host.callTool('weather_lookup', { location: 'London' })
      expect(textOf(result)).toBe('Weather for London: Temp 15°C, Rainy, Humidity 90%')
      // The junk was written before the tools/call response on the same pipe: it has arrived.
      expect(host.server('noisy').stderr()).toContain('[stdout, not JSON] debug: hello from noisy-stdout')
      // A wire violation (issue 22), not the warning it was before: the test is failed with it.
      expect(warn).not.toHaveBeenCalled()
      expect(host.wireLedger.list().map((r) => r.violation)).toEqual([
        expect.objectContaining({
          rule: 'stdio.non-json-line',
          server: 'noisy',
          excerpt: '"debug: hello from noisy-stdout"',
        }),
      ])
      expect(await host.callTool('weather_lookup', { location: 'Tokyo' })).toBeDefined()
      expect(host.server('noisy').state).toBe('ready')
    } finally {
      warn.mockRestore()
      await host.shutdown()
    }
    expectAllGone(pid, m)
  })
})

describe("'hang'", () => {
  test('callTool with timeout: 300 rejects with the SDK timeout error, naming the budget and the call', async () => {
    const m = mark('hang-timeout')
    const host = await startOne('hang', misbehaving('hang', m))
    const pid = pidOf(host, 'hang')
    try {
      const started = performance.now()
      const error = await rejectionOf(
        host.callTool('weather_lookup', { location: 'London' }, { timeout: 300 }),
      )
      const elapsed = performance.now() - started
      expect(error).toBeInstanceOf(SdkError)
      expect((error as SdkError).code).toBe(SdkErrorCode.RequestTimeout)
      expect((error as SdkError).message).toBe('Request timed out after 300 ms (tools/call weather_lookup)')
      expect(elapsed).toBeGreaterThanOrEqual(295)
      expect(elapsed).toBeLessThan(1300)
      expect(host.server('hang').state).toBe('ready')
      expect(host.pendingRequests).toEqual([])
    } finally {
      await host.shutdown()
    }
    expectAllGone(pid, m)
  })

  test('callTool with an AbortSignal rejects promptly when aborted', async () => {
    const m = mark('hang-abort')
    const host = await startOne('hang', misbehaving('hang', m, { requestTimeout: 30_000 }))
    const pid = pidOf(host, 'hang')
    try {
      await host.listTools() // the catalog is cached: the call goes out at once
      const controller = new AbortController()
      const pending = host.callTool('weather_lookup', { location: 'London' }, { signal: controller.signal })
      const outcome = rejectionOf(pending)
      expect(host.pendingRequests.map((r) => r.label)).toEqual(['tools/call weather_lookup'])
      // A round trip to the server since the call was made: the call (its catalog cached, no I/O
      // before its write) is on the wire, in flight, when the abort comes. (Not ping: 2026-07-28 has none.)
      await host.readResource('weather://cities')
      const started = performance.now()
      controller.abort(new Error('user abort'))
      const error = await outcome
      expect(performance.now() - started).toBeLessThan(500)
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).message).toContain('user abort')
      expect(host.pendingRequests).toEqual([])
      expect(host.server('hang').state).toBe('ready')
    } finally {
      await host.shutdown()
    }
    expectAllGone(pid, m)
  })

  test('a request still pending at shutdown is rejected, and the server still stops', async () => {
    const m = mark('hang-shutdown')
    const host = await startOne('hang', misbehaving('hang', m, { requestTimeout: 30_000 }))
    const pid = pidOf(host, 'hang')
    await host.listTools()
    const outcome = rejectionOf(host.callTool('weather_lookup', { location: 'London' }))
    await host.readResource('weather://cities') // a round trip since the call: the call is on the wire
    const started = performance.now()
    await host.shutdown()
    const error = await outcome
    expect(performance.now() - started).toBeLessThan(2000)
    expect(error).toMatchObject({ name: 'HostClosedError', request: 'tools/call weather_lookup' })
    // The request was abandoned first; the server then left on stdin close, no signal needed.
    expect(stopReportOf(host, 'hang').signals).toEqual([])
    expectAllGone(pid, m)
  })
})

describe('spawn failures', () => {
  test('a command that does not exist: ServerStartError "spawn", nothing running', async () => {
    const m = mark('enoent')
    const error = await rejectionOf(
      startOne('ghost', { transport: 'stdio', command: '/nonexistent/bin', args: ['x'], env: markEnv(m) }),
    )
    expect(error).toBeInstanceOf(ServerStartError)
    const startError = error as ServerStartError
    expect(startError.reason).toBe('spawn')
    expect(startError.server).toBe('ghost')
    expect(startError.exitCode).toBeUndefined()
    expect(startError.stderrTail).toBe('')
    expect(startError.message).toBe(
      'Server "ghost" could not be spawned (command "/nonexistent/bin" was not found (ENOENT)).\n' +
        '  command: /nonexistent/bin x\n' +
        '  stderr: (empty)',
    )
    expectAllGone(undefined, m)
  })

  test('a cwd that does not exist: ServerStartError "spawn" before anything is spawned', async () => {
    const m = mark('bad-cwd')
    const error = await rejectionOf(
      startOne('lost', weatherServer({ cwd: '/nonexistent/dir/for/vitest-mcp-host', env: markEnv(m) })),
    )
    expect(error).toBeInstanceOf(ServerStartError)
    expect((error as ServerStartError).reason).toBe('spawn')
    expect((error as Error).message).toContain('cwd "/nonexistent/dir/for/vitest-mcp-host" does not exist')
    expectAllGone(undefined, m)
  })
})

describe('the launcher functions directly', () => {
  function options(timeline: Timeline, overrides: Partial<LaunchOptions> = {}): LaunchOptions {
    return { startupTimeout: 5000, shutdown: DEFAULT_SHUTDOWN, timeline, onNoise: () => {}, ...overrides }
  }

  test('launchStdio: a connected client, an idempotent stop with one report, a timeline of the lifecycle', async () => {
    const m = mark('direct')
    const timeline = new Timeline()
    const launched = await launchStdio('weather', weatherServer({ env: markEnv(m) }), options(timeline))
    const proc = launched.process
    if (!proc) throw new Error('a stdio launch has a process')
    expect(launched.client).toBeInstanceOf(Client)
    expect(launched.client.getServerVersion()?.name).toBeTruthy()
    expect(groupMembers(proc.pid).map((p) => p.pid)).toEqual([proc.pid])
    const result = await launched.client.callTool({
      name: 'weather_lookup',
      arguments: { location: 'London' },
    })
    expect(textOf(result)).toBe('Weather for London: Temp 15°C, Rainy, Humidity 90%')
    const [first, second] = await Promise.all([launched.stop(), launched.stop()])
    expect(second).toBe(first)
    expect(await launched.stop()).toBe(first)
    expect(first).toMatchObject({ exit: { code: 0, signal: null }, signals: [], leftovers: [] })
    expect(proc.running).toBe(false)
    const events = timeline.events.map((e) => e.event)
    expect(events).toEqual(['spawn', 'initialized', 'stdin-close', 'exit', 'stopped'])
    expectAllGone(proc.pid, m)
  })

  test('launchStdio: a start failure names the exit in the timeline and leaves nothing behind', async () => {
    const m = mark('direct-exit')
    const timeline = new Timeline()
    const error = await rejectionOf(launchStdio('early', misbehaving('exit-early', m), options(timeline)))
    expect(error).toMatchObject({ name: 'ServerStartError', reason: 'exit', exitCode: 3 })
    expect(timeline.events.map((e) => e.event)).toContain('exit')
    expect(timeline.events.find((e) => e.event === 'exit')?.detail).toBe('code 3')
    expectAllGone(undefined, m)
  })

  test('launchMemory: an in-process server, no process; stop is idempotent', async () => {
    const timeline = new Timeline()
    const launched = await launchMemory(
      'mem',
      { transport: 'memory', server: () => createWeatherServer() },
      options(timeline),
    )
    expect(launched.process).toBeUndefined()
    const result = await launched.client.callTool({
      name: 'weather_lookup',
      arguments: { location: 'Tokyo' },
    })
    expect(textOf(result)).toBe('Weather for Tokyo: Temp 25°C, Sunny, Humidity 50%')
    expect(await launched.stop()).toBeUndefined()
    expect(await launched.stop()).toBeUndefined()
    expect(timeline.events.map((e) => e.event)).toEqual(['initialized', 'stopped'])
  })

  test('launchMemory: a factory that throws is a ServerStartError "protocol" carrying the cause', async () => {
    const cause = new Error('factory failed')
    const error = await rejectionOf(
      launchMemory(
        'mem',
        {
          transport: 'memory',
          server: () => {
            throw cause
          },
        },
        options(new Timeline()),
      ),
    )
    expect(error).toMatchObject({ name: 'ServerStartError', reason: 'protocol', server: 'mem' })
    expect((error as Error).cause).toBe(cause)
    expect((error as Error).message).toMatch(/^Server "mem" failed during initialize: factory failed\./)
  })
})
