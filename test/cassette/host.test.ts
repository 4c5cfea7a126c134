// Cassettes wired into the host: a server marked `cassette` is recorded on its wire tap and written
// by `save()`, then replayed with no process (its command cannot even run), its mismatches kept for
// the test; a missing cassette that may not be recorded is a start error. Both revisions (2026-07-28:
// the elicitation is an input_required round, answered by the same handler on replay). Tool coverage
// on or off when recording or replaying changes nothing: a recording lists the tools first.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { CassetteMismatchError, CassetteMissingError } from '../../src/cassette/errors.js'
import { cassettePath } from '../../src/cassette/format.js'
import type { CassetteSettings } from '../../src/cassette/options.js'
import type { HostConfig } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'
import { recordToolUsage, takeToolUsage } from '../../src/host/records/tool-usage.js'
import { weatherServer } from '../../src/servers/index.js'
import { childPids } from './cassette-client.js'

const dir = mkdtempSync(path.join(tmpdir(), 'host-cassettes-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const testFile = path.join(dir, 'weather.test.ts')
const AUTO: CassetteSettings = { mode: 'auto', update: 'new' }

const text = (result: { content: unknown[] }) => (result.content[0] as { text: string }).text

async function withHost<T>(
  name: string,
  config: HostConfig,
  body: (host: HostManager) => Promise<T>,
  settings = AUTO,
): Promise<{ host: HostManager; value: T }> {
  const host = await HostManager.start(config, { cassettes: { test: { file: testFile, name }, settings } })
  try {
    return { host, value: await body(host) }
  } finally {
    await host.shutdown()
  }
}

/** The weather server with alerts on 2025-11-25; an elicitation handler answering `confirm`. */
function config(confirm: boolean, command = process.execPath): HostConfig {
  return {
    protocol: '2025-11-25',
    servers: { weather: { ...weatherServer({ alerts: true }), command, cassette: true } },
    client: { elicitation: () => ({ action: 'accept', content: { confirm } }) },
  }
}

const scenario = async (host: HostManager) => ({
  london: text(await host.callTool('weather_lookup', { location: 'London' })),
  alerts: text(await host.callTool('subscribe_alerts', { location: 'Paris' })),
})

test('recorded on the tap, written by save(); replayed with no process: the command cannot even run', async () => {
  const name = 'weather > records then replays'
  const file = cassettePath(testFile, name, 'weather')
  const recorded = await withHost(name, config(true), scenario)
  expect(recorded.host.server('weather').pid).toBeTypeOf('number')
  expect(recorded.value.alerts).toContain('Subscribed to weather alerts for Paris')
  expect(existsSync(file)).toBe(false)
  expect(recorded.host.cassettes?.save()).toEqual([file])
  const cassette = JSON.parse(readFileSync(file, 'utf8'))
  expect(cassette).toMatchObject({ server: 'weather', test: name, revision: '2025-11-25' })
  expect(
    cassette.messages.some(
      (m: { message: { method?: string } }) => m.message.method === 'elicitation/create',
    ),
  ).toBe(true)

  const before = childPids()
  const replayed = await withHost(name, config(true, '/nonexistent/weather-server'), async (host) => {
    const value = await scenario(host)
    expect(childPids().filter((pid) => !before.includes(pid))).toEqual([])
    return value
  })
  expect(replayed.value).toEqual(recorded.value)
  expect(replayed.host.server('weather')).toMatchObject({
    pid: undefined,
    era: '2025-11-25',
    state: 'exited',
  })
  expect(replayed.host.cassettes?.mismatches()).toEqual([])
  expect(replayed.host.cassettes?.files()).toEqual([file])
  // Replaying writes nothing.
  expect(replayed.host.cassettes?.save()).toEqual([])
})

test('a request or an answer unlike the recording: CassetteMismatchError, kept for the test even when caught', async () => {
  const name = 'weather > mismatches'
  await withHost(name, config(true), scenario).then(({ host }) => host.cassettes?.save())
  const { host } = await withHost(name, config(false, '/nonexistent/weather-server'), async (h) => {
    const other = h.callTool('weather_lookup', { location: 'Berlin' })
    await expect(other).rejects.toThrow(CassetteMismatchError)
    await expect(other).rejects.toThrow('differs: arguments.location: "Berlin" (sent) ≠ "London" (recorded)')
    // The host's elicitation handler now declines: its answer differs from the recorded one.
    await expect(h.callTool('subscribe_alerts', { location: 'Paris' })).rejects.toThrow(
      /asked the host elicitation\/create, and the host answered differently than when it was recorded: result\.content\.confirm: false \(sent\) ≠ true \(recorded\)/,
    )
  })
  const mismatches = host.cassettes?.mismatches() ?? []
  expect(mismatches.map((m) => m.name)).toEqual(['CassetteMismatchError', 'CassetteMismatchError'])
  expect(mismatches[0]?.nearest).toEqual({
    method: 'tools/call',
    params: { arguments: { location: 'London' }, name: 'weather_lookup' },
  })
})

test("a missing cassette in CI or in 'replay' is a start error, and nothing runs", async () => {
  const before = childPids()
  for (const settings of [
    { mode: 'auto', update: 'none' },
    { mode: 'replay', update: 'new' },
  ] as const) {
    const start = HostManager.start(config(true), {
      cassettes: { test: { file: testFile, name: `never recorded ${settings.mode}` }, settings },
    })
    await expect(start).rejects.toThrow(CassetteMissingError)
    await expect(start).rejects.toThrow(/Server "weather" has no cassette at .*never-recorded/)
  }
  expect(childPids().filter((pid) => !before.includes(pid))).toEqual([])
})

test("'off', and a host without a test: the real server, nothing recorded", async () => {
  const name = 'weather > off'
  const off = await withHost(name, config(true), scenario, { mode: 'off', update: 'new' })
  expect(off.host.server('weather').pid).toBeTypeOf('number')
  expect(off.host.cassettes?.save()).toEqual([])
  await using plain = await HostManager.start(config(true))
  expect(plain.cassettes).toBeUndefined()
  expect(plain.server('weather').pid).toBeTypeOf('number')
  expect(existsSync(cassettePath(testFile, name, 'weather'))).toBe(false)
})

test('on 2026-07-28: recorded with its input_required round, replayed with no process, the handler answering the round', async () => {
  const name = 'weather > records then replays on 2026-07-28'
  const file = cassettePath(testFile, name, 'weather')
  const modern = (confirm: boolean, command?: string): HostConfig => {
    const base = config(confirm, command)
    return { ...base, protocol: '2026-07-28' }
  }
  const recorded = await withHost(name, modern(true), scenario)
  expect(recorded.host.server('weather').era).toBe('2026-07-28')
  expect(recorded.value.alerts).toContain('Subscribed to weather alerts for Paris')
  expect(recorded.host.cassettes?.save()).toEqual([file])
  const cassette = JSON.parse(readFileSync(file, 'utf8'))
  expect(cassette).toMatchObject({ server: 'weather', test: name, revision: '2026-07-28' })
  const wire = JSON.stringify(cassette.messages)
  // No initialize and no server→client request on this revision: the elicitation is a round.
  const methods = cassette.messages.map((m: { message: { method?: string } }) => m.message.method)
  expect(methods).not.toContain('initialize')
  expect(methods).not.toContain('elicitation/create')
  expect(wire).toContain('input_required')

  const before = childPids()
  let asked = 0
  const replayConfig = modern(true, '/nonexistent/weather-server')
  const replayed = await withHost(
    name,
    {
      ...replayConfig,
      client: { elicitation: () => (asked++, { action: 'accept', content: { confirm: true } }) },
    },
    async (host) => {
      const value = await scenario(host)
      expect(childPids().filter((pid) => !before.includes(pid))).toEqual([])
      return value
    },
  )
  expect(replayed.value).toEqual(recorded.value)
  expect(asked).toBe(1)
  expect(replayed.host.server('weather')).toMatchObject({ pid: undefined, era: '2026-07-28' })
  expect(replayed.host.cassettes?.mismatches()).toEqual([])

  // The handler answers the round otherwise: the retry carries another answer, unlike the recording.
  const declined = await withHost(name, modern(false, '/nonexistent/weather-server'), async (host) =>
    host.callTool('subscribe_alerts', { location: 'Paris' }).catch((error: unknown) => error),
  )
  expect(declined.value).toBeInstanceOf(CassetteMismatchError)
  expect(declined.host.cassettes?.mismatches().length).toBeGreaterThan(0)
})

/** Runs `body` with tool coverage recording `on`, and returns what it recorded. */
async function withToolUsage<T>(on: boolean, body: () => Promise<T>) {
  recordToolUsage(on)
  try {
    const value = await body()
    return { value, usage: takeToolUsage() }
  } finally {
    recordToolUsage(false)
    takeToolUsage()
  }
}

const methodsOf = (file: string): string[] =>
  JSON.parse(readFileSync(file, 'utf8')).messages.flatMap(
    (m: { dir: string; message: { method?: string } }) =>
      m.dir === 'out' && m.message.method ? [m.message.method] : [],
  )

test('recorded with tool coverage and the wire check off, replayed with either on: the recording listed the tools first', async () => {
  const name = 'weather > coverage off, then on'
  const file = cassettePath(testFile, name, 'weather')
  const lookup = async (host: HostManager) =>
    text(await host.callTool('weather_lookup', { location: 'London' }))
  const quiet: HostConfig = { ...config(true), wire: 'off' }
  const recorded = await withToolUsage(false, () => withHost(name, quiet, lookup))
  expect(recorded.usage).toEqual([])
  recorded.value.host.cassettes?.save()
  // The host listed the tools before the first call although nothing needed it then.
  expect(methodsOf(file)).toEqual(['initialize', 'notifications/initialized', 'tools/list', 'tools/call'])

  const replay = config(true, '/nonexistent/weather-server')
  for (const [coverage, wire] of [
    [true, 'off'],
    [false, 'error'],
    [false, 'off'],
  ] as const) {
    const replayed = await withToolUsage(coverage, () => withHost(name, { ...replay, wire }, lookup))
    expect(replayed.value.value).toBe(recorded.value.value)
    expect(replayed.value.host.cassettes?.mismatches()).toEqual([])
    // Counted as listed and called, as a live server is.
    expect(replayed.usage.map((u) => [u.listed, Object.keys(u.calls)])).toEqual(
      coverage ? [[['weather_lookup', 'current_time', 'subscribe_alerts'], ['weather_lookup']]] : [],
    )
  }
})

test('a cassette with no listing (recorded before the host listed first) replays with tool coverage on', async () => {
  const name = 'weather > recorded without a listing'
  const file = cassettePath(testFile, name, 'weather')
  const lookup = async (host: HostManager) =>
    text(await host.callTool('weather_lookup', { location: 'Paris' }))
  const recorded = await withHost(name, { ...config(true), wire: 'off' }, lookup)
  recorded.host.cassettes?.save()
  // As such a cassette was: the listing and its answer taken out.
  const cassette = JSON.parse(readFileSync(file, 'utf8'))
  const listing = cassette.messages.find(
    (m: { message: { method?: string } }) => m.message.method === 'tools/list',
  )
  cassette.messages = cassette.messages.filter(
    (m: { message: { id?: number } }) => m.message.id !== listing.message.id,
  )
  writeFileSync(file, JSON.stringify(cassette))
  expect(methodsOf(file)).toEqual(['initialize', 'notifications/initialized', 'tools/call'])

  const replayed = await withToolUsage(true, () =>
    withHost(name, { ...config(true, '/nonexistent/weather-server'), wire: 'off' }, lookup),
  )
  expect(replayed.value.value).toBe(recorded.value)
  expect(replayed.value.host.cassettes?.mismatches()).toEqual([])
  // Not listed (nothing to answer with): counted as called without a listing.
  expect(replayed.usage.map((u) => [u.listed, Object.keys(u.calls)])).toEqual([[[], ['weather_lookup']]])
})
