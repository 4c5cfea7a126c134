// Tool usage as the host sees it on the wire (tools/list answers, tools/call and their answers), and
// the run's summary merged from several workers' files: percent, never-called tools, timings.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js'
import { afterAll, afterEach, describe, expect, test } from 'vitest'
import { createWeatherServer } from '../../example-servers/weather/service.js'
import { HostManager } from '../../src/host/host-manager.js'
import {
  MAX_SAMPLES,
  recordToolUsage,
  type ServerToolUsage,
  serverIdentity,
  takeToolUsage,
} from '../../src/host/records/tool-usage.js'
import { mergeToolUsage, summarizeToolCoverage } from '../../src/report/tool-coverage.js'
import { formatToolCoverage } from '../../src/report/tool-coverage-section.js'
import { misbehavingServer } from '../../src/servers/index.js'

const dirs: string[] = []
function tempDir(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'tool-usage-')))
  dirs.push(dir)
  return dir
}

afterEach(() => {
  recordToolUsage(false)
  takeToolUsage()
})
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** A memory weather server whose tools/calls are never answered; `received` once one arrives. */
function hangingMemory() {
  let arrived!: () => void
  const received = new Promise<void>((resolve) => {
    arrived = resolve
  })
  const server = () => {
    const made = createWeatherServer()
    made.server.setRequestHandler(CallToolRequestSchema, () => {
      arrived()
      return new Promise<never>(() => {})
    })
    return made
  }
  return { config: { transport: 'memory' as const, server }, received }
}

const weatherMemory = () => ({
  transport: 'memory' as const,
  server: function weather() {
    return createWeatherServer()
  },
})

describe('recorded on the wire', () => {
  test('nothing is recorded unless recording is on', async () => {
    await using host = await HostManager.start({ servers: { weather: weatherMemory() } })
    await host.callTool('weather_lookup', { location: 'London' })
    expect(takeToolUsage()).toEqual([])
  })

  test('a sole server is listed before its first call (else it would not count); calls through client() count too', async () => {
    recordToolUsage()
    await using host = await HostManager.start({ servers: { weather: weatherMemory() } })
    // The first call goes through the SDK client the host hands out, not through callTool's routing.
    await host.client('weather').callTool({ name: 'current_time', arguments: { timezone: 'UTC' } })
    await host.callTool('weather_lookup', { location: 'London' })
    const [usage, ...others] = takeToolUsage()
    expect(others).toEqual([])
    expect(usage?.listed).toEqual(['weather_lookup', 'current_time'])
    expect(usage?.calls.current_time).toMatchObject({ count: 1, errors: 0 })
    expect(usage?.calls.weather_lookup).toMatchObject({ count: 1, errors: 0 })
  })

  test('listed tools, calls (through client() too), errors, durations; a take starts from empty', async () => {
    recordToolUsage()
    await using host = await HostManager.start({ servers: { weather: weatherMemory() } })
    await host.callTool('weather_lookup', { location: 'London' })
    await host.client('weather').callTool({ name: 'weather_lookup', arguments: { location: 'Paris' } })
    const failed = await host.callTool('current_time', { timezone: 'Nowhere/Never' })
    expect(failed.isError).toBe(true)
    const [usage, ...others] = takeToolUsage()
    expect(others).toEqual([])
    expect(usage).toMatchObject({
      name: 'weather',
      identity: 'memory: weather',
      listed: ['weather_lookup', 'current_time'],
    })
    expect(usage?.calls.weather_lookup).toMatchObject({ count: 2, errors: 0, timed: 2 })
    expect(usage?.calls.current_time).toMatchObject({ count: 1, errors: 1, timed: 1 })
    const samples = usage?.calls.weather_lookup?.samplesMs ?? []
    expect(samples).toHaveLength(2)
    for (const ms of samples) expect(ms).toBeGreaterThan(0)
    expect(usage?.calls.weather_lookup?.maxMs).toBe(Math.max(...samples))

    await host.callTool('weather_lookup', { location: 'Tokyo' })
    expect(takeToolUsage().map((u) => [u.listed, Object.keys(u.calls)])).toEqual([[[], ['weather_lookup']]])
  })

  test('tools named like Object.prototype members are recorded like any other, and their answers arrive', async () => {
    recordToolUsage()
    await using host = await HostManager.start({ servers: { weather: weatherMemory() } })
    for (const name of ['__proto__', 'toString', 'constructor']) {
      const result = await host.client('weather').callTool({ name, arguments: {} }, { timeout: 2000 })
      expect(result.isError).toBe(true)
    }
    const [usage] = takeToolUsage()
    expect(Object.keys(usage?.calls ?? {}).sort()).toEqual(['__proto__', 'constructor', 'toString'])
    expect(usage?.calls.toString).toMatchObject({ count: 1, errors: 1, timed: 1 })
    expect(({} as { count?: unknown }).count).toBeUndefined()
  })

  test('a sole server whose tools/list fails: its calls go on as without coverage', async () => {
    recordToolUsage()
    const server = () => {
      const made = createWeatherServer()
      made.server.setRequestHandler(ListToolsRequestSchema, () => {
        throw new Error('listing is broken here')
      })
      return made
    }
    await using host = await HostManager.start({ servers: { weather: { transport: 'memory', server } } })
    const result = await host.callTool('weather_lookup', { location: 'London' })
    expect(JSON.stringify(result.content)).toContain('Rainy')
    const [usage] = takeToolUsage()
    expect(usage?.listed).toEqual([])
    expect(usage?.calls.weather_lookup).toMatchObject({ count: 1, errors: 0 })
  })

  test('a call the server never answers counts as called, and as an error once the connection ends', async () => {
    recordToolUsage()
    const { config, received } = hangingMemory()
    const host = await HostManager.start({ servers: { hang: config } })
    const pending = host
      .client('hang')
      .callTool({ name: 'weather_lookup', arguments: { location: 'London' } })
    pending.catch(() => {})
    await received
    await host.shutdown()
    await expect(pending).rejects.toThrow()
    const [usage] = takeToolUsage()
    expect(usage?.calls.weather_lookup).toMatchObject({ count: 1, errors: 1, timeouts: 0, timed: 0 })
  })

  test('a call that times out is timed until its timeout and marked, through the host and the SDK client alike', async () => {
    recordToolUsage()
    await using host = await HostManager.start({ servers: { hang: misbehavingServer('hang') } })
    await expect(host.callTool('weather_lookup', { location: 'London' }, { timeout: 600 })).rejects.toThrow(
      /timed out/i,
    )
    await expect(
      host.client('hang').callTool({ name: 'current_time', arguments: {} }, { timeout: 400 }),
    ).rejects.toThrow(/timed out/i)
    const [usage] = takeToolUsage()
    const lookup = usage?.calls.weather_lookup
    expect(lookup).toMatchObject({ count: 1, errors: 1, timeouts: 1, timed: 1 })
    // Sent after routing (a listing first), cancelled at the call's 600 ms: most of it, never 0.
    expect(lookup?.maxMs).toBeGreaterThan(300)
    expect(lookup?.maxMs).toBeLessThan(600 + 1000)
    expect(lookup?.samplesMs).toEqual([lookup?.maxMs])
    const time = usage?.calls.current_time
    expect(time).toMatchObject({ count: 1, errors: 1, timeouts: 1, timed: 1 })
    expect(time?.maxMs).toBeGreaterThanOrEqual(399)
  })

  test('a call aborted by its signal is an error, not a timeout, and has no duration', async () => {
    recordToolUsage()
    const { config, received } = hangingMemory()
    await using host = await HostManager.start({ servers: { hang: config } })
    const controller = new AbortController()
    const call = host
      .client('hang')
      .callTool({ name: 'weather_lookup', arguments: {} }, { signal: controller.signal })
    await received
    controller.abort(new Error('the test changed its mind'))
    await expect(call).rejects.toThrow(/changed its mind/)
    const [usage] = takeToolUsage()
    expect(usage?.calls.weather_lookup).toMatchObject({ count: 1, errors: 1, timeouts: 0, timed: 0 })
  })
})

describe('a server is its config name and the command as spawned', () => {
  const node = realpathSync(process.execPath)
  const here = fileURLToPath(import.meta.url)

  test('one file named two ways is one server; what names no file stays as written', () => {
    const relativeHere = relative(process.cwd(), here)
    const viaPath = serverIdentity({ transport: 'stdio', command: 'node', args: [relativeHere, '--x'] })
    const absolute = serverIdentity({ transport: 'stdio', command: process.execPath, args: [here, '--x'] })
    expect(viaPath).toBe(absolute)
    expect(absolute).toBe(`${node} ${here}`)
    expect(serverIdentity({ transport: 'stdio', command: 'no-such-command', args: ['w.js'] })).toBe(
      'no-such-command',
    )
    expect(serverIdentity({ transport: 'http', command: 'no-such-command', args: ['h.js'] })).toBe(
      'no-such-command',
    )
    expect(serverIdentity({ transport: 'worker', module: '/m.js' })).toBe('/m.js#default')
    expect(serverIdentity({ transport: 'worker', module: '/m.js', export: 'make' })).toBe('/m.js#make')
    expect(serverIdentity({ transport: 'memory', server: () => createWeatherServer() })).toBe(
      'memory: server',
    )
  })

  test("a test's own temp dir, data file, port, env or cwd does not split it", () => {
    const identities = [1, 2].map(() => {
      const dir = tempDir()
      const data = join(dir, 'notes.json')
      writeFileSync(data, '{}')
      return [
        serverIdentity({
          transport: 'stdio',
          command: 'node',
          args: [here, dir],
          env: { DIR: dir },
          cwd: dir,
        }),
        serverIdentity({
          transport: 'stdio',
          command: 'node',
          args: [here, '--data', data, `--port=${dir.length}`],
        }),
        serverIdentity({ transport: 'stdio', command: 'npx', args: ['-y', '@scope/server-filesystem', dir] }),
        serverIdentity({
          transport: 'http',
          command: 'node',
          args: ['--import', 'tsx', here, dir],
          cwd: dir,
        }),
        serverIdentity({
          transport: 'http',
          url: `http://127.0.0.1:${40000 + dirs.length}/mcp?token=${dir}`,
        }),
      ]
    })
    expect(identities[0]).toEqual(identities[1])
    expect(identities[0]?.[0]).toBe(`${node} ${here}`)
    expect(identities[0]?.[1]).toBe(`${node} ${here}`)
    expect(identities[0]?.[2]).toMatch(/npx(-cli\.js)?$/)
    expect(identities[0]?.[3]).toBe(`${node} ${here}`)
    expect(identities[0]?.[4]).toBe('http://127.0.0.1:*/mcp')
  })

  test('two scripts under one command are two servers; a script written to a temp dir for a test is not one', () => {
    const other = fileURLToPath(new URL('./host-manager.test.ts', import.meta.url))
    expect(serverIdentity({ transport: 'stdio', command: 'node', args: [other] })).toBe(`${node} ${other}`)
    expect(serverIdentity({ transport: 'stdio', command: 'node', args: [other] })).not.toBe(
      serverIdentity({ transport: 'stdio', command: 'node', args: [here] }),
    )
    // A config file first: not a script, and nothing after it is taken for one.
    const config = join(tempDir(), 'config.json')
    writeFileSync(config, '{}')
    expect(serverIdentity({ transport: 'stdio', command: 'node', args: [config, here] })).toBe(node)
    // A server script each test writes to its temp dir: left out, unless the project itself is
    // under the temp dir (the Vitest 5 CI leg runs a copy there), where scripts are the project's.
    const scripts = [1, 2].map(() => {
      const dir = join(tempDir(), 'bin')
      mkdirSync(dir)
      writeFileSync(join(dir, 'server.mjs'), '')
      return join(dir, 'server.mjs')
    })
    const copies = scripts.map((script) =>
      serverIdentity({ transport: 'stdio', command: 'node', args: [script] }),
    )
    const projectInTemp = realpathSync(process.cwd()).startsWith(`${realpathSync(tmpdir())}/`)
    expect(copies).toEqual(projectInTemp ? scripts.map((script) => `${node} ${script}`) : [node, node])
  })

  test('hosts started per test with their own temp dir record one server', async () => {
    recordToolUsage()
    const serverPath = fileURLToPath(new URL('../../dist/example-servers/weather.mjs', import.meta.url))
    for (const tool of ['weather_lookup', 'current_time']) {
      const dir = tempDir()
      await using host = await HostManager.start({
        servers: {
          weather: {
            transport: 'stdio',
            command: 'node',
            args: [serverPath, dir],
            env: { DIR: dir },
            cwd: dir,
          },
        },
      })
      await host.callTool(tool, tool === 'weather_lookup' ? { location: 'Oslo' } : { timezone: 'UTC' })
    }
    const usage = takeToolUsage()
    expect(usage.map((u) => [u.name, u.identity])).toEqual([
      ['weather', `${node} ${realpathSync(serverPath)}`],
    ])
    const [summary] = summarizeToolCoverage(mergeToolUsage([usage]), 100).servers
    expect(summary).toMatchObject({ label: 'weather', percent: 100 })
  })
})

function usage(name: string, listed: string[], calls: Record<string, number[]>, identity = 'node w.js') {
  return {
    name,
    identity,
    listed,
    calls: Object.fromEntries(
      Object.entries(calls).map(([tool, ms]) => [
        tool,
        {
          count: ms.length,
          errors: 0,
          timeouts: 0,
          maxMs: Math.max(0, ...ms),
          timed: ms.length,
          samplesMs: ms,
        },
      ]),
    ),
  } satisfies ServerToolUsage
}

describe('the run summary, merged from every test file', () => {
  test('one server under one name in several files counts once; percent, never-called tools, min', () => {
    const summary = summarizeToolCoverage(
      mergeToolUsage([
        [usage('weather', ['a', 'b', 'c'], { a: [10, 20] })],
        [usage('weather', ['d'], { a: [30], b: [5] })],
        [usage('quiet', [], { x: [1] })],
      ]),
      80,
    )
    expect(summary.servers).toEqual([
      {
        server: 'weather',
        identity: 'node w.js',
        label: 'weather',
        advertised: ['a', 'b', 'c', 'd'],
        called: ['a', 'b'],
        notCalled: ['c', 'd'],
        percent: 50,
      },
    ])
    expect(summary.failing).toEqual(['weather'])
    expect(summary.part).toBeUndefined()
    // Called through client() only, never listed: not counted, but named.
    expect(summary.unlisted).toEqual([
      { server: 'quiet', identity: 'node w.js', label: 'quiet', called: ['x'] },
    ])
    expect(summary.timings.find((t) => t.tool === 'a')).toEqual({
      server: 'weather',
      identity: 'node w.js',
      label: 'weather',
      tool: 'a',
      count: 3,
      errors: 0,
      timeouts: 0,
      p50Ms: 20,
      p95Ms: 30,
      maxMs: 30,
    })
    const lines = formatToolCoverage(summary, '.vitest-mcp-host/tool-coverage.json').join('\n')
    expect(lines).toContain('✗ weather  2/4 tools called (50%)\n      not called: c, d')
    expect(lines).toContain('The run fails: tool coverage below 80% for weather (50%; not called: c, d).')
    expect(lines).toContain('· quiet: not counted, its tools were never listed (called without a listing: x)')
    expect(lines).not.toContain('This is')
    expect(summarizeToolCoverage(mergeToolUsage([]), 80).servers).toEqual([])
  })

  test('merged samples weigh each record by the calls it stands for, not by its samples', () => {
    const record = (ms: number, timed: number, samples: number) => ({
      name: 'w',
      identity: 'node w.js',
      listed: ['a'],
      calls: {
        a: { count: timed, errors: 0, timeouts: 0, maxMs: ms, timed, samplesMs: Array(samples).fill(ms) },
      },
    })
    // 100,000 calls of 1 ms (sampled down to 10,000), then 5,000 of 1000 ms: under 5 % of the calls.
    const merged = mergeToolUsage([[record(1, 100_000, MAX_SAMPLES)], [record(1000, 5000, 5000)]])
    const [timing] = summarizeToolCoverage(merged, undefined).timings
    expect(timing).toMatchObject({ count: 105_000, p50Ms: 1, p95Ms: 1, maxMs: 1000 })
  })

  test('two servers of one name running different things are told apart; percentiles bounded by MAX_SAMPLES', () => {
    const many = Array.from({ length: MAX_SAMPLES + 500 }, (_, i) => i % 100)
    const summary = summarizeToolCoverage(
      mergeToolUsage([
        [usage('w', ['a'], { a: many.slice(0, 6000) }, 'node one.js')],
        [
          usage('w', ['a'], { a: many.slice(6000) }, 'node one.js'),
          usage('w', ['a', 'b'], {}, 'node two.js'),
        ],
      ]),
      undefined,
    )
    expect(summary.servers.map((s) => [s.server, s.label, s.percent])).toEqual([
      ['w', 'w (node one.js)', 100],
      ['w', 'w (node two.js)', 0],
    ])
    expect(summary.failing).toEqual([])
    const [timing] = summary.timings
    expect(timing).toMatchObject({ label: 'w (node one.js)', count: MAX_SAMPLES + 500, maxMs: 99 })
    // Uniform over 0–99: the median near 50, p95 near 95, whichever samples were kept.
    expect(timing?.p50Ms).toBeGreaterThanOrEqual(45)
    expect(timing?.p50Ms).toBeLessThanOrEqual(55)
    expect(timing?.p95Ms).toBeGreaterThanOrEqual(92)
  })

  test('a long label keeps the server name whole and the end of what it runs', () => {
    const long =
      '/home/ci/work/a-project-with-a-long-path/node_modules/.bin/../pkg/dist/servers/notes-server.mjs'
    const summary = summarizeToolCoverage(
      mergeToolUsage([
        [usage('notes', ['a'], { a: [1] }, `/usr/bin/node ${long}`), usage('notes', ['b'], {}, 'x')],
      ]),
      undefined,
    )
    const lines = formatToolCoverage(summary, 's.json')
    const line = lines.find((l) => l.includes('tools called') && l.includes('notes-server'))
    expect(line).toMatch(
      /^ {2}✓ notes \(…[^ ]*\/dist\/servers\/notes-server\.mjs\)\s+1\/1 tools called \(100%\)$/,
    )
    expect(line?.indexOf('1/1')).toBeLessThanOrEqual(2 + 2 + 60 + 2)
    expect(lines.some((l) => l.startsWith('    notes (…') && l.includes('notes-server.mjs) › a'))).toBe(true)
  })

  test('timed-out calls: counted in their own column, and said to be lower bounds', () => {
    const slow = usage('hang', ['slow'], { slow: [5, 1000] })
    const stats = slow.calls.slow as ServerToolUsage['calls'][string]
    stats.timeouts = 1
    stats.errors = 1
    const summary = summarizeToolCoverage(mergeToolUsage([[slow], [slow]]), undefined)
    expect(summary.timings[0]).toMatchObject({ tool: 'slow', count: 4, errors: 2, timeouts: 2, maxMs: 1000 })
    const text = formatToolCoverage(summary, 's.json').join('\n')
    expect(text).toContain('  Slowest tools (p95):      calls   errors timeouts   p50 ms   p95 ms   max ms')
    expect(text).toMatch(/\n {4}hang › slow +4 +2 +2 +5\.0 +1000\.0 +1000\.0\n/)
    expect(text).toContain('A timed-out call counts at its timeout: its tool took at least that long.')
  })

  test('a part of a run (a shard, a blob): nothing fails against min, and the section says where it is judged', () => {
    const records = [[usage('weather', ['a', 'b'], { a: [1] })]]
    const shard = summarizeToolCoverage(mergeToolUsage(records), 100, { shard: '1/2', blob: true })
    expect(shard).toMatchObject({
      part: { shard: '1/2', blob: true },
      failing: [],
      belowMinInPart: ['weather'],
    })
    const text = formatToolCoverage(shard, 's.json').join('\n')
    expect(text).toContain('· weather  1/2 tools called (50%)')
    expect(text).toContain(
      '  This is shard 1/2: its own calls only, so min 100% does not fail it; min is judged when the blobs ' +
        'are merged (vitest --merge-reports). Below it in this part alone: weather (50%).',
    )
    expect(text).not.toContain('The run fails')
    const noBlob = summarizeToolCoverage(mergeToolUsage(records), 100, { shard: '2/3', blob: false })
    expect(formatToolCoverage(noBlob, 's.json').join('\n')).toContain(
      '  This is shard 2/3: its own calls only, so min 100% does not fail it; min is judged on a whole run, ' +
        'or on the blobs of all shards merged (--reporter=blob, then vitest --merge-reports). Below it in this part alone: weather (50%).',
    )
    const blobOnly = summarizeToolCoverage(mergeToolUsage(records), undefined, { blob: true })
    expect(formatToolCoverage(blobOnly, 's.json').join('\n')).toContain(
      "  This is a run writing a blob report: its own calls only; the whole run's coverage shows when the blobs are merged (vitest --merge-reports).",
    )
  })
})
