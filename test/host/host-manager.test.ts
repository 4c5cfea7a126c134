// HostManager over real servers: routing across servers, lists, prompts and resources, the
// in-memory transport, adding and removing servers, ownership of its clients, and teardown.
import type { CallToolResult } from '@modelcontextprotocol/client'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { createWeatherServer, knownCities } from '../../example-servers/weather/service.js'
import type { ServerConfig } from '../../src/host/config/config-types.js'
import {
  AmbiguousToolError,
  ConfigError,
  ServerNotReadyError,
  ToolNotFoundError,
} from '../../src/host/errors.js'
import { HostManager } from '../../src/host/host-manager.js'
import { ServerStartError } from '../../src/launchers/errors.js'
import { groupMembers } from '../../src/launchers/processes/process-table.js'
import { CrossContextDisposalError, Scope } from '../../src/scope/index.js'
import { misbehavingServer, weatherServer } from '../../src/servers/index.js'
import {
  isDead,
  killMarked,
  markEnv,
  markedPids,
  uniqueMark,
  waitForMarked,
} from '../launchers/process-helpers.js'
import { rejectionOf, siteMatcher } from '../support/assertions.js'
import { countingWeatherServer } from '../support/servers.js'

const UNOWNED = 'an async context no scope owns'

const site = siteMatcher(import.meta.url)

const marks = new Set<string>()
function mark(label: string): string {
  const value = uniqueMark(label)
  marks.add(value)
  return value
}

// Safety net: a failing test must not leave its servers running for the rest of the run.
afterEach(() => {
  const survivors = killMarked(marks)
  marks.clear()
  expect(survivors, 'server processes still running after the test (now killed)').toEqual([])
})

function weather(m: string, options: Parameters<typeof weatherServer>[0] = {}): ServerConfig {
  return weatherServer({ ...options, env: { ...options.env, ...markEnv(m) } })
}

function textOf(result: CallToolResult): string {
  const [first] = result.content
  return first?.type === 'text' ? first.text : ''
}

function pidOf(host: HostManager, name: string): number {
  const pid = host.server(name).pid
  if (pid === undefined) throw new Error(`server "${name}" has no pid`)
  return pid
}

/** A plain copy of a server handle (its getters read private fields: no matcher should see the class). */
function describeServer(host: HostManager, name: string) {
  const { transport, pid, state, exitCode, signal } = host.server(name)
  return { name: host.server(name).name, transport, pid, state, exitCode, signal }
}

function expectGone(pid: number): void {
  expect(groupMembers(pid)).toEqual([])
  expect(isDead(pid)).toBe(true)
}

describe('routing across two weather servers', () => {
  const m = uniqueMark('routing')
  let host: HostManager

  beforeAll(async () => {
    host = await HostManager.start({ servers: { north: weather(m), south: weather(m) } })
  })
  // A hook is another context than the one that started the host: shutdown() works from any.
  afterAll(async () => {
    const pids = [pidOf(host, 'north'), pidOf(host, 'south')]
    await host.shutdown()
    for (const pid of pids) expectGone(pid)
    expect(markedPids(m)).toEqual([])
    expect(host.scope.findings).toEqual([])
  })

  test('a tool both serve is ambiguous: AmbiguousToolError names both servers', async () => {
    const error = await rejectionOf(host.callTool('weather_lookup', { location: 'London' }))
    expect(error).toBeInstanceOf(AmbiguousToolError)
    const ambiguous = error as AmbiguousToolError
    expect(ambiguous.name).toBe('AmbiguousToolError')
    expect(ambiguous.kind).toBe('tool')
    expect(ambiguous.requested).toBe('weather_lookup')
    // In config order, whichever server became ready first.
    expect(ambiguous.servers).toEqual(['north', 'south'])
    expect(ambiguous.message).toBe(
      `Tool "weather_lookup" is offered by several servers: north, south. Pick one with { server: 'north' }.`,
    )
  })

  test('{ server } picks one; both answer', async () => {
    for (const server of ['north', 'south']) {
      const result = await host.callTool(
        'weather_lookup',
        { location: 'London', units: 'imperial' },
        { server },
      )
      expect(textOf(result)).toBe('Weather for London: Temp 59°F, Rainy, Humidity 90%')
    }
  })

  test('an unknown tool: ToolNotFoundError listing the names that exist, with their servers', async () => {
    const error = await rejectionOf(host.callTool('forecast'))
    expect(error).toBeInstanceOf(ToolNotFoundError)
    const notFound = error as ToolNotFoundError
    expect(notFound.requested).toBe('forecast')
    // Server by server in config order, whichever became ready first; each server's tools in its own order.
    expect(notFound.available).toEqual([
      'weather_lookup (north)',
      'current_time (north)',
      'weather_lookup (south)',
      'current_time (south)',
    ])
    expect(notFound.message).toBe(
      'No server offers tool "forecast". Available tools: weather_lookup (north), current_time (north), ' +
        'weather_lookup (south), current_time (south).',
    )
  })

  test('{ server } with a tool that server does not offer: ToolNotFoundError naming the server', async () => {
    const error = await rejectionOf(host.callTool('forecast', {}, { server: 'south' }))
    expect(error).toBeInstanceOf(ToolNotFoundError)
    expect((error as Error).message).toBe(
      'Server "south" does not offer tool "forecast". Available tools: weather_lookup, current_time.',
    )
  })

  test('prompts route the same way: ambiguous without { server }, served with it', async () => {
    const error = await rejectionOf(host.getPrompt('weather_assistant'))
    expect(error).toBeInstanceOf(AmbiguousToolError)
    expect((error as AmbiguousToolError).kind).toBe('prompt')
    expect((error as Error).message).toMatch(
      /^Prompt "weather_assistant" is offered by several servers: north, south\. Pick one with/,
    )
    const prompt = await host.getPrompt(
      'weather_assistant',
      { user_name: 'Ada', preferred_units: 'imperial' },
      { server: 'south' },
    )
    expect(prompt.messages).toEqual([
      {
        role: 'user',
        content: {
          type: 'text',
          text:
            'You are a helpful weather assistant talking to Ada. Use the weather_lookup tool with imperial ' +
            'units, and current_time for local times.',
        },
      },
    ])
  })

  test('listTools, listPrompts and listResources tag each item with its server', async () => {
    const sorted = (items: string[][]) => items.map((item) => item.join(' ')).sort()
    const tools = await host.listTools()
    // Server by server in config order; each server's tools together, in the server's own order.
    expect(tools.map((t) => `${t.server} ${t.name}`)).toEqual([
      'north weather_lookup',
      'north current_time',
      'south weather_lookup',
      'south current_time',
    ])
    expect(tools.find((t) => t.name === 'weather_lookup')?.inputSchema).toMatchObject({
      type: 'object',
      required: ['location'],
    })
    const prompts = await host.listPrompts()
    expect(sorted(prompts.map((p) => [p.server, p.name]))).toEqual([
      'north weather_assistant',
      'south weather_assistant',
    ])
    const resources = await host.listResources()
    expect(sorted(resources.map((r) => [r.server, r.uri, r.mimeType ?? '']))).toEqual([
      'north weather://cities application/json',
      'south weather://cities application/json',
    ])
  })

  test("readResource('weather://cities', { server }) returns the JSON list of cities", async () => {
    const result = await host.readResource('weather://cities', { server: 'north' })
    expect(result.contents).toHaveLength(1)
    const [content] = result.contents
    expect(content).toMatchObject({ uri: 'weather://cities', mimeType: 'application/json' })
    expect(JSON.parse(String((content as { text?: string }).text))).toEqual([...knownCities])
    expect(knownCities).toEqual(['San Francisco', 'New York', 'London', 'Tokyo'])
  })

  test('server(name) describes each server; an unknown name is a ConfigError', () => {
    const north = describeServer(host, 'north')
    expect(north).toEqual({
      name: 'north',
      transport: 'stdio',
      pid: expect.any(Number),
      state: 'ready',
      exitCode: undefined,
      signal: undefined,
    })
    expect(north.pid).not.toBe(host.server('south').pid)
    expect(() => host.server('west')).toThrow(ConfigError)
    expect(() => host.server('west')).toThrow('servers.west: no such server (servers: north, south)')
  })
})

describe('exclude', () => {
  test('an excluded tool is hidden from lists and routing; exclusion can disambiguate', async () => {
    const m = mark('exclude')
    await using host = await HostManager.start({
      servers: {
        full: weather(m),
        partial: weather(m, { exclude: ['weather_lookup', 'weather://cities'] }),
      },
    })
    const tools = await host.listTools()
    expect(tools.map((t) => `${t.server}:${t.name}`).sort()).toEqual([
      'full:current_time',
      'full:weather_lookup',
      'partial:current_time',
    ])
    // Only "full" offers weather_lookup now: routed without { server }.
    const result = await host.callTool('weather_lookup', { location: 'Tokyo' })
    expect(textOf(result)).toBe('Weather for Tokyo: Temp 25°C, Sunny, Humidity 50%')
    const error = await rejectionOf(
      host.callTool('weather_lookup', { location: 'Tokyo' }, { server: 'partial' }),
    )
    expect(error).toBeInstanceOf(ToolNotFoundError)
    expect((await host.listResources()).map((r) => r.server)).toEqual(['full'])
    const cities = await host.readResource('weather://cities')
    expect(cities.contents).toHaveLength(1)
  })
})

describe('routing to one server', () => {
  test('a sole server gets the call at once; an unknown name is still ToolNotFoundError', async () => {
    const m = mark('sole')
    await using host = await HostManager.start({ servers: { weather: weather(m) } })
    expect(textOf(await host.callTool('weather_lookup', { location: 'Tokyo' }))).toContain('Sunny')
    const error = await rejectionOf(host.callTool('no_such_tool'))
    expect(error).toBeInstanceOf(ToolNotFoundError)
    expect((error as Error).message).toBe(
      'No server offers tool "no_such_tool". Available tools: weather_lookup (weather), current_time (weather).',
    )
    const named = await rejectionOf(host.getPrompt('no_such_prompt', {}, { server: 'weather' }))
    expect((named as Error).message).toBe(
      'Server "weather" does not offer prompt "no_such_prompt". Available prompts: weather_assistant.',
    )
    // A tool's own error result is returned as it is.
    const failed = await host.callTool('current_time', { timezone: 'Mars/Olympus' })
    expect(failed.isError).toBe(true)
    expect(host.pendingRequests).toEqual([])
  })

  test('a crashed server among others: its tool is a ServerExitError, not "not found"', async () => {
    const m = mark('crash-among')
    await using host = await HostManager.start({
      servers: {
        crashy: misbehavingServer('crash-on-call', { env: markEnv(m), exclude: ['current_time'] }),
        weather: weather(m, { exclude: ['weather_lookup'] }),
      },
    })
    for (let i = 0; i < 2; i++) {
      const error = await rejectionOf(host.callTool('weather_lookup', { location: 'Oslo' }))
      expect(error).toMatchObject({ name: 'ServerExitError', server: 'crashy', exitCode: 1 })
    }
    expect(host.server('crashy').state).toBe('crashed')
    const time = await host.callTool('current_time', { timezone: 'UTC' })
    expect(textOf(time)).toMatch(/^Current time in UTC: /)
  })
})

describe('memory transport', () => {
  test('an in-process server: tools, prompts and resources, no pid', async () => {
    const mem = countingWeatherServer()
    const host = await HostManager.start({
      servers: {
        mem: mem.config,
      },
    })
    try {
      expect(mem.created()).toBe(1)
      expect(describeServer(host, 'mem')).toEqual({
        name: 'mem',
        transport: 'memory',
        pid: undefined,
        state: 'ready',
        exitCode: undefined,
        signal: undefined,
      })
      expect(host.server('mem').stderr()).toBe('')
      const result = await host.callTool('weather_lookup', { location: 'New York' })
      expect(textOf(result)).toBe('Weather for New York: Temp 22°C, Partly Cloudy, Humidity 60%')
      const badZone = await host.callTool('current_time', { timezone: 'Mars/Olympus' })
      expect(badZone.isError).toBe(true)
      expect(textOf(badZone)).toBe('Unknown time zone: Mars/Olympus')
      expect((await host.listTools()).map((t) => t.server)).toEqual(['mem', 'mem'])
      const prompt = await host.getPrompt('weather_assistant')
      expect(prompt.messages[0]?.content).toMatchObject({ type: 'text' })
      const cities = await host.readResource('weather://cities')
      expect(JSON.parse(String((cities.contents[0] as { text?: string }).text))).toEqual([...knownCities])
    } finally {
      await host.shutdown()
    }
    expect(host.server('mem').state).toBe('exited')
  })

  test('{ server } routing reaches the in-memory server next to a stdio one', async () => {
    const m = mark('mixed')
    await using host = await HostManager.start({
      servers: {
        proc: weather(m),
        mem: {
          transport: 'memory',
          server: () =>
            createWeatherServer({
              lookup: ({ location }) => ({ content: [{ type: 'text', text: `mem:${location}` }] }),
            }),
        },
      },
    })
    expect(textOf(await host.callTool('weather_lookup', { location: 'Oslo' }, { server: 'mem' }))).toBe(
      'mem:Oslo',
    )
    expect(textOf(await host.callTool('weather_lookup', { location: 'Oslo' }, { server: 'proc' }))).toBe(
      'Weather for Oslo: Temp 20°C, Clear, Humidity 65%',
    )
  })
})

describe('addServer and removeServer', () => {
  test('an added server joins routing; a removed one is stopped, its process gone, and forgotten', async () => {
    const m = mark('add-remove')
    await using host = await HostManager.start({ servers: { first: weather(m) } })
    expect(textOf(await host.callTool('weather_lookup', { location: 'London' }))).toContain('Rainy')

    await host.addServer('second', weather(m))
    const secondPid = pidOf(host, 'second')
    expect(host.server('second').state).toBe('ready')
    expect(await rejectionOf(host.callTool('weather_lookup', { location: 'London' }))).toBeInstanceOf(
      AmbiguousToolError,
    )

    await host.removeServer('second')
    expectGone(secondPid)
    // Routing forgets it; server() keeps its last known state.
    expect(describeServer(host, 'second')).toMatchObject({ state: 'exited', pid: secondPid, exitCode: 0 })
    expect(() => host.server('third')).toThrow('servers.third: no such server (servers: first)')
    expect(host.entries.find((e) => e.name === 'second')?.stopReport).toMatchObject({
      signals: [],
      leftovers: [],
    })
    // Unambiguous again.
    expect(textOf(await host.callTool('weather_lookup', { location: 'London' }))).toContain('Rainy')
    expect((await host.listTools()).map((t) => t.server)).toEqual(['first', 'first'])

    // The name is free again.
    await host.addServer('second', weather(m))
    expect(host.server('second').pid).not.toBe(secondPid)
    expect(host.scope.findings).toEqual([])
  })

  test('addServer validates first; a duplicate name or an unknown removal is a ConfigError', async () => {
    const m = mark('add-invalid')
    await using host = await HostManager.start({ servers: { first: weather(m) } })
    const pidsBefore = markedPids(m)
    // Wrapped in async functions: addServer may throw before it returns its promise.
    const invalid = await rejectionOf(async () => host.addServer('bad', { transport: 'stdio', command: '' }))
    expect(invalid).toBeInstanceOf(ConfigError)
    expect((invalid as ConfigError).path).toBe('servers.bad.command')
    const duplicate = await rejectionOf(async () => host.addServer('first', weather(m)))
    expect(duplicate).toBeInstanceOf(ConfigError)
    expect((duplicate as Error).message).toBe('servers.first: a server with this name is already running')
    expect(markedPids(m)).toEqual(pidsBefore)
    const unknown = await rejectionOf(host.removeServer('nope'))
    expect(unknown).toBeInstanceOf(ConfigError)
    expect((unknown as Error).message).toBe('servers.nope: no such server (servers: first)')
  })

  test('a server still starting (addServer not awaited) is not sent to: ServerNotReadyError saying what to do', async () => {
    const m = mark('add-not-ready')
    await using host = await HostManager.start({ servers: { first: weather(m) } })
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const adding = host.addServer('late', {
      transport: 'memory',
      server: async () => {
        await gate
        return createWeatherServer()
      },
    })
    try {
      const error = await rejectionOf(host.setLoggingLevel('info', { server: 'late' }))
      expect(error).toBeInstanceOf(ServerNotReadyError)
      expect(error).toMatchObject({ server: 'late', state: 'starting' })
      expect((error as Error).message).toBe(
        'Server "late" is starting, not ready, so logging/setLevel info (late) was not sent: await addServer() before using it.',
      )
    } finally {
      // A failed assertion must not leave the server starting forever (shutdown would wait for it).
      release()
      await adding
    }
  })

  test('addServer of a server that fails to start rejects with ServerStartError; the host keeps running', async () => {
    const m = mark('add-fails')
    await using host = await HostManager.start({ servers: { first: weather(m) } })
    const error = await rejectionOf(
      host.addServer('early', misbehavingServer('exit-early', { env: markEnv(m) })),
    )
    expect(error).toMatchObject({ name: 'ServerStartError', reason: 'exit', exitCode: 3 })
    // Its handle remembers how it ended: state, exit code and stderr.
    expect(describeServer(host, 'early')).toMatchObject({ state: 'exited', exitCode: 3 })
    expect(host.server('early').stderr()).toContain('exit-early: refusing to start (deliberate)')
    expect((await host.listTools()).map((t) => t.server)).toEqual(['first', 'first'])
    expect(host.server('first').state).toBe('ready')
    expect(textOf(await host.callTool('weather_lookup', { location: 'Tokyo' }))).toContain('Sunny')
  })
})

describe('ownership of the SDK clients', () => {
  test('client(name).close() from the test body: CrossContextDisposalError; the server still stopped', async () => {
    const m = mark('client-close')
    const host = await HostManager.start({ servers: { weather: weather(m) } }) // site:host-start
    try {
      const client = host.client('weather')
      expect(host.client('weather')).toBe(client)
      const pid = pidOf(host, 'weather')
      // The client works as the SDK client it is.
      const direct = (await client.callTool({
        name: 'weather_lookup',
        arguments: { location: 'Tokyo' },
      })) as CallToolResult
      expect(textOf(direct)).toContain('Sunny')

      const error = await rejectionOf(client.close()) // site:client-close
      expect(error).toBeInstanceOf(CrossContextDisposalError)
      const violation = error as CrossContextDisposalError
      expect(violation.message.split('\n')[0]).toBe(
        `client "weather" was disposed from ${UNOWNED}, but it is owned by host.`,
      )
      expect(violation.resource).toEqual({ kind: 'client', label: 'weather' })
      expect(violation.createdIn.context).toBe('host')
      expect(violation.createdIn.at).toMatch(site('host-start'))
      expect(violation.disposedIn.context).toBe(UNOWNED)
      expect(violation.disposedIn.at).toMatch(site('client-close'))

      // The cleanup completed: the server was stopped and forgotten.
      expectGone(pid)
      expect(markedPids(m)).toEqual([])
      expect(host.server('weather').state).toBe('exited')
      expect(() => host.client('weather')).toThrow(ConfigError)
      expect(await rejectionOf(host.callTool('weather_lookup', { location: 'Tokyo' }))).toBeInstanceOf(
        ToolNotFoundError,
      )
      expect(host.scope.findings).toEqual([violation])
    } finally {
      await host.shutdown()
    }
    expect(host.scope.findings).toHaveLength(1)
  })

  test('client(name).close() from inside the host scope is no violation', async () => {
    const m = mark('client-close-owner')
    const host = await HostManager.start({ servers: { weather: weather(m) } })
    const pid = pidOf(host, 'weather')
    await host.scope.run(() => host.client('weather').close())
    expectGone(pid)
    expect(host.scope.findings).toEqual([])
    await host.shutdown()
  })

  test('a host started inside a caller scope is owned by it', async () => {
    const m = mark('caller-scope')
    const owner = Scope.open('my fixture')
    const host = await owner.run(() =>
      HostManager.start({ servers: { weather: weather(m) } }, { scope: owner }),
    )
    expect(host.scope).toBe(owner)
    const pid = pidOf(host, 'weather')
    await owner.run(() => owner.close())
    expectGone(pid)
    expect(host.scope.state).toBe('closed')
  })
})

describe('shutdown', () => {
  test('idempotent, concurrent-safe, and callable from any context (a timer): no error', async () => {
    const m = mark('shutdown')
    const host = await HostManager.start({ servers: { a: weather(m), b: weather(m) } })
    const pids = [pidOf(host, 'a'), pidOf(host, 'b')]
    expect(host.scope.state).toBe('open')
    await new Promise<void>((resolve, reject) => {
      setTimeout(() => host.shutdown().then(resolve, reject), 0)
    })
    for (const pid of pids) expectGone(pid)
    expect(host.scope.state).toBe('closed')
    await Promise.all([host.shutdown(), host.shutdown()])
    await host.shutdown()
    await host[Symbol.asyncDispose]()
    expect(host.scope.findings).toEqual([])
    expect(host.server('a').state).toBe('exited')
  })

  test('requests after shutdown fail; nothing is started again', async () => {
    const m = mark('after-shutdown')
    const host = await HostManager.start({ servers: { weather: weather(m) } })
    await host.shutdown()
    await expect(host.callTool('weather_lookup', { location: 'London' })).rejects.toThrow()
    expect(markedPids(m)).toEqual([])
  })

  test('await using stops every server at the end of the block', async () => {
    const m = mark('await-using')
    let pid: number | undefined
    {
      await using host = await HostManager.start({ servers: { weather: weather(m) } })
      pid = pidOf(host, 'weather')
      expect(textOf(await host.callTool('weather_lookup', { location: 'London' }))).toContain('Rainy')
    }
    expectGone(pid)
    expect(markedPids(m)).toEqual([])
  })
})

describe('start failures', () => {
  test('a config error (command: "") is a ConfigError naming the field, and NOTHING is spawned', async () => {
    const m = mark('config-error')
    let memoryCreated = 0
    const servers = {
      other: weather(m),
      mem: {
        transport: 'memory' as const,
        server: () => {
          memoryCreated++
          return createWeatherServer()
        },
      },
    }
    // Control: the same servers without the bad one are spawned at once.
    const control = HostManager.start({ servers })
    const controlPid = await waitForMarked(m)
    await (await control).shutdown()
    expectGone(controlPid)
    expect(memoryCreated).toBe(1)

    const starting = HostManager.start({
      servers: { ...servers, weather: { transport: 'stdio', command: '' } },
    })
    expect(markedPids(m)).toEqual([])
    const error = await rejectionOf(starting)
    expect(error).toBeInstanceOf(ConfigError)
    const configError = error as ConfigError
    expect(configError.name).toBe('ConfigError')
    expect(configError.path).toBe('servers.weather.command')
    expect(configError.message).toBe('servers.weather.command: expected a non-empty string')
    expect(markedPids(m)).toEqual([])
    expect(memoryCreated).toBe(1)
  })

  test('one of two servers fails to start: start rejects with its error and the good one is stopped', async () => {
    const good = mark('good')
    const bad = mark('bad')
    const starting = HostManager.start({
      servers: {
        good: weather(good),
        early: misbehavingServer('exit-early', { env: markEnv(bad) }),
      },
    })
    const goodPid = await waitForMarked(good)
    const error = await rejectionOf(starting)
    expect(error).toBeInstanceOf(ServerStartError)
    expect(error).toMatchObject({ server: 'early', reason: 'exit', exitCode: 3 })
    expectGone(goodPid)
    expect(markedPids(good)).toEqual([])
    expect(markedPids(bad)).toEqual([])
  })

  test('two servers failing: one AggregateError with both start errors; nothing left', async () => {
    const m = mark('two-bad')
    const error = await rejectionOf(
      HostManager.start({
        servers: {
          early: misbehavingServer('exit-early', { env: markEnv(m) }),
          ghost: { transport: 'stdio', command: '/nonexistent/bin' },
        },
      }),
    )
    expect(error).toBeInstanceOf(AggregateError)
    const aggregate = error as AggregateError
    expect(aggregate.message).toBe('2 servers did not start')
    expect(aggregate.errors.map((e: ServerStartError) => [e.server, e.reason])).toEqual([
      ['early', 'exit'],
      ['ghost', 'spawn'],
    ])
    expect(markedPids(m)).toEqual([])
  })
})
