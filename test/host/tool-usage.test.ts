// Tool usage as the host sees it on the wire (tools/list answers, tools/call and their answers), and
// the run's summary merged from several workers' files: percent, never-called tools, timings.
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js'
import { afterAll, afterEach, describe, expect, test } from 'vitest'
import { createWeatherServer } from '../../example-servers/weather/service.js'
import { HostManager } from '../../src/host/host-manager.js'
import {
  MAX_SAMPLES,
  recordToolUsage,
  type ServerToolUsage,
  serverIdentity,
  takeToolUsage,
} from '../../src/host/tool-usage.js'
import {
  clearToolUsage,
  readToolUsage,
  summarizeToolCoverage,
  writeToolUsage,
} from '../../src/report/tool-coverage.js'
import { formatToolCoverage } from '../../src/report/tool-coverage-section.js'
import { misbehavingServer } from '../../src/servers/index.js'

const dirs: string[] = []
function reportDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tool-usage-'))
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
    await host.callTool('weather_lookup', { location: 'London' })
    const [usage] = takeToolUsage()
    expect(usage?.listed).toEqual(['weather_lookup', 'current_time'])
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
      const result = await host
        .client('weather')
        .callTool({ name, arguments: {} }, undefined, { timeout: 2000 })
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
    const host = await HostManager.start({ servers: { hang: misbehavingServer('hang') } })
    await expect(host.callTool('weather_lookup', { location: 'London' }, { timeout: 200 })).rejects.toThrow(
      /timed out/i,
    )
    await host.shutdown()
    const [usage] = takeToolUsage()
    expect(usage?.calls.weather_lookup).toMatchObject({ count: 1, errors: 1, timed: 0 })
  })

  test('what each transport runs identifies it; one file named two ways is one server', () => {
    const here = fileURLToPath(import.meta.url)
    const relativeHere = relative(process.cwd(), here)
    const viaPath = serverIdentity({ transport: 'stdio', command: 'node', args: [relativeHere, '--x'] })
    const absolute = serverIdentity({ transport: 'stdio', command: process.execPath, args: [here, '--x'] })
    expect(viaPath).toBe(absolute)
    expect(absolute).toBe(`${realpathSync(process.execPath)} ${here} --x`)
    // What names no file stays as written.
    expect(serverIdentity({ transport: 'stdio', command: 'no-such-command', args: ['w.js'] })).toBe(
      'no-such-command w.js',
    )
    expect(serverIdentity({ transport: 'http', url: 'http://127.0.0.1:1/mcp' })).toBe(
      'http://127.0.0.1:1/mcp',
    )
    expect(serverIdentity({ transport: 'http', command: 'no-such-command', args: ['h.js'] })).toBe(
      'no-such-command h.js',
    )
    expect(serverIdentity({ transport: 'worker', module: '/m.js' })).toBe('/m.js#default')
    expect(serverIdentity({ transport: 'worker', module: '/m.js', export: 'make' })).toBe('/m.js#make')
    expect(serverIdentity({ transport: 'memory', server: () => createWeatherServer() })).toBe(
      'memory: server',
    )
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
        { count: ms.length, errors: 0, maxMs: Math.max(0, ...ms), timed: ms.length, samplesMs: ms },
      ]),
    ),
  } satisfies ServerToolUsage
}

describe('the run summary, merged from every worker', () => {
  test('one server under one name in several workers counts once; percent, never-called tools, min', () => {
    const dir = reportDir()
    writeToolUsage(dir, [usage('weather', ['a', 'b', 'c'], { a: [10, 20] })])
    writeFileSync(
      join(dir, 'tools-999-0.jsonl'),
      `${JSON.stringify([usage('weather', ['d'], { a: [30], b: [5] })])}\n{"torn`,
    )
    writeToolUsage(dir, [usage('quiet', [], { x: [1] })])
    const summary = summarizeToolCoverage(readToolUsage(dir), 80)
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
      p50Ms: 20,
      p95Ms: 30,
      maxMs: 30,
    })
    const lines = formatToolCoverage(summary, '.vitest-mcp-host/tool-coverage.json').join('\n')
    expect(lines).toContain('✗ weather  2/4 tools called (50%)\n      not called: c, d')
    expect(lines).toContain('The run fails: tool coverage below 80% for weather (50%; not called: c, d).')
    expect(lines).toContain('· quiet: not counted, its tools were never listed (called through client(): x)')
    clearToolUsage(dir)
    expect(readToolUsage(dir)).toEqual([])
  })

  test('merged samples weigh each record by the calls it stands for, not by its samples', () => {
    const dir = reportDir()
    const record = (ms: number, timed: number, samples: number) => ({
      name: 'w',
      identity: 'node w.js',
      listed: ['a'],
      calls: { a: { count: timed, errors: 0, maxMs: ms, timed, samplesMs: Array(samples).fill(ms) } },
    })
    // 100,000 calls of 1 ms (sampled down to 10,000), then 5,000 of 1000 ms: under 5 % of the calls.
    writeToolUsage(dir, [record(1, 100_000, MAX_SAMPLES)])
    writeToolUsage(dir, [record(1000, 5000, 5000)])
    const [timing] = summarizeToolCoverage(readToolUsage(dir), undefined).timings
    expect(timing).toMatchObject({ count: 105_000, p50Ms: 1, p95Ms: 1, maxMs: 1000 })
  })

  test('two servers of one name running different things are told apart; percentiles bounded by MAX_SAMPLES', () => {
    const dir = reportDir()
    const many = Array.from({ length: MAX_SAMPLES + 500 }, (_, i) => i % 100)
    writeToolUsage(dir, [usage('w', ['a'], { a: many.slice(0, 6000) }, 'node one.js')])
    writeToolUsage(dir, [
      usage('w', ['a'], { a: many.slice(6000) }, 'node one.js'),
      usage('w', ['a', 'b'], {}, 'node two.js'),
    ])
    const summary = summarizeToolCoverage(readToolUsage(dir), undefined)
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
})
