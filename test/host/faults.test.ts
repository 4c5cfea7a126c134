// The host under faults: every wait bounded by the caller's timeout or signal, a closed host that
// starts and sends nothing, routing that tells the truth, and requests through client(name) tracked.

import { ProtocolError, SdkError, SdkErrorCode } from '@modelcontextprotocol/client'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { describe, expect, test } from 'vitest'
import { closeAndJudge } from '../../src/fixtures/judge.js'
import { ConfigError, HostClosedError, NotOfferedError, ToolNotFoundError } from '../../src/host/errors.js'
import { HostManager } from '../../src/host/host-manager.js'
import { ServerExitError } from '../../src/launchers/errors.js'
import { pollUntil } from '../../src/launchers/util/wait.js'
import { LeakError } from '../../src/scope/index.js'
import { weatherServer } from '../../src/servers/index.js'
import { markEnv, markedPids, markedServers } from '../launchers/process-helpers.js'
import { Arrivals } from '../support/arrivals.js'
import { rejectionOf } from '../support/assertions.js'
import {
  badlyBehavedServer,
  countingWeatherServer,
  resourcesWithoutTemplates,
  slowServer,
  templateServer,
} from '../support/servers.js'

const newMark = markedServers()
function markedWeather() {
  const mark = newMark('faults')
  return { mark, config: weatherServer({ env: markEnv(mark) }) }
}

/** How long `promise` takes to reject, and with what. */
async function timedRejection(promise: Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = performance.now()
  const error = await rejectionOf(promise)
  return { ms: performance.now() - started, error }
}

function expectTimeout(error: unknown, ms: number): void {
  expect(error).toBeInstanceOf(SdkError)
  expect((error as SdkError).code).toBe(SdkErrorCode.RequestTimeout)
  expect((error as SdkError).message).toContain(`Request timed out after ${ms} ms`)
}

describe('a timeout or a signal bounds the whole call', () => {
  test('callTool({ timeout }) to a server that never answers: rejects at the timeout, no 60 s listing after it', async () => {
    await using host = await HostManager.start({ servers: { silent: badlyBehavedServer('silent') } })
    const { ms, error } = await timedRejection(host.callTool('weather_lookup', {}, { timeout: 300 }))
    expectTimeout(error, 300)
    expect(ms).toBeLessThan(3000)
  })

  test("the config's requestTimeout bounds it the same way", async () => {
    await using host = await HostManager.start({
      servers: { silent: badlyBehavedServer('silent') },
      requestTimeout: 300,
    })
    const { ms, error } = await timedRejection(host.callTool('weather_lookup'))
    expectTimeout(error, 300)
    expect(ms).toBeLessThan(3000)
  })

  test("routing's listing is bounded too: a silent server beside a good one", async () => {
    await using host = await HostManager.start({
      servers: { silent: badlyBehavedServer('silent'), weather: countingWeatherServer().config },
    })
    const { ms, error } = await timedRejection(
      host.callTool('current_time', { timezone: 'UTC' }, { timeout: 300 }),
    )
    expectTimeout(error, 300)
    expect(ms).toBeLessThan(3000)
  })

  test('an aborted signal rejects with its reason, sent or still routing', async () => {
    const received = new Arrivals()
    await using host = await HostManager.start({
      // The wire check lists a server's tools before its first call (to check structured output
      // against them): off, so the call itself is the first thing the silent server gets.
      wire: 'off',
      servers: { silent: badlyBehavedServer('silent', received), weather: countingWeatherServer().config },
    })
    const reason = new Error('the test gave up')
    const sent = new AbortController()
    const call = rejectionOf(host.callTool('weather_lookup', {}, { server: 'silent', signal: sent.signal }))
    // Aborted once the server has it: a request in flight, not one the host still holds.
    await received.reached('tools/call')
    sent.abort(reason)
    expect(await call).toBe(reason)
    const routing = new AbortController()
    const routed = rejectionOf(host.callTool('current_time', { timezone: 'UTC' }, { signal: routing.signal }))
    // Aborted while routing waits for the silent server's listing.
    await received.reached('tools/list')
    expect(received.count('tools/call')).toBe(1)
    routing.abort(reason)
    expect(await routed).toBe(reason)
    // Routing never found the tool: nothing more reached the silent server.
    expect(received.count('tools/call')).toBe(1)
    expect(host.pendingRequests).toEqual([])
  })

  test("a server's own requestTimeout, longer than the host's, is the one its calls get", async () => {
    await using host = await HostManager.start({
      requestTimeout: 100,
      servers: {
        slow: { ...slowServer(400), requestTimeout: 5000 },
        weather: countingWeatherServer().config,
      },
    })
    expect(await host.callTool('slow_echo', { text: 'late' })).toMatchObject({ content: [{ text: 'late' }] })
  })

  test('listings are bounded by the requestTimeout too', async () => {
    await using host = await HostManager.start({
      servers: { silent: badlyBehavedServer('silent') },
      requestTimeout: 300,
    })
    const { ms, error } = await timedRejection(host.listTools())
    expect((error as SdkError).code).toBe(SdkErrorCode.RequestTimeout)
    expect(ms).toBeLessThan(3000)
  })

  test.each([0, -1, 1.5, Number.NaN, 2 ** 31])(
    'timeout: %s is a ConfigError naming it; nothing is sent',
    async (timeout) => {
      await using host = await HostManager.start({ servers: { weather: countingWeatherServer().config } })
      const error = await rejectionOf(host.callTool('weather_lookup', { location: 'Oslo' }, { timeout }))
      expect(error).toBeInstanceOf(ConfigError)
      expect(error).toMatchObject({ path: 'timeout' })
      expect(host.pendingRequests).toEqual([])
    },
  )

  test('getPrompt and readResource take timeout and signal', async () => {
    await using host = await HostManager.start({ servers: { silent: badlyBehavedServer('silent') } })
    expectTimeout(await rejectionOf(host.getPrompt('weather_assistant', {}, { timeout: 200 })), 200)
    expectTimeout(await rejectionOf(host.readResource('weather://cities', { timeout: 200 })), 200)
    const reason = new Error('stop')
    const aborted = AbortSignal.abort(reason)
    expect(await rejectionOf(host.getPrompt('weather_assistant', {}, { signal: aborted }))).toBe(reason)
    expect(await rejectionOf(host.readResource('weather://cities', { signal: aborted }))).toBe(reason)
  })

  test.each([
    ['endless-pages', /never ended its tools\/list \(1000 pages\)/],
    ['repeated-cursor', /never ended its tools\/list \(cursor "again" came back again\)/],
  ] as const)('a listing that pages forever (%s) ends with an error naming the server', async (mode, why) => {
    await using host = await HostManager.start({ servers: { pager: badlyBehavedServer(mode) } })
    const error = await rejectionOf(host.listTools())
    expect(error).toBeInstanceOf(ProtocolError)
    expect((error as Error).message).toMatch(why)
    expect((error as Error).message).toContain('Server "pager"')
  })
})

describe('a closed host starts and sends nothing', () => {
  test('every method but shutdown(), server() and the bookkeeping throws HostClosedError', async () => {
    const { mark, config } = markedWeather()
    const host = await HostManager.start({ servers: { weather: config } }, { name: 'closing host' })
    await host.shutdown()
    const calls: Array<[string, () => unknown]> = [
      ['callTool', () => host.callTool('weather_lookup', { location: 'London' })],
      ['getPrompt', () => host.getPrompt('weather_assistant')],
      ['readResource', () => host.readResource('weather://cities')],
      ['listTools', () => host.listTools()],
      ['listPrompts', () => host.listPrompts()],
      ['listResources', () => host.listResources()],
      ['listResourceTemplates', () => host.listResourceTemplates()],
      ['addServer', () => host.addServer('late', config)],
      ['removeServer', () => host.removeServer('weather')],
      ['client', () => host.client('weather')],
    ]
    for (const [method, call] of calls) {
      const error = await rejectionOf(async () => call())
      expect(error, method).toBeInstanceOf(HostClosedError)
      expect(error).toMatchObject({ name: 'HostClosedError', host: 'closing host', method })
      expect((error as Error).message).toContain(`Cannot call ${method}() on closing host: it was shut down`)
    }
    expect(markedPids(mark)).toEqual([])
    expect(host.server('weather').state).toBe('exited')
    await host.shutdown()
  })
})

describe('shutdown() cuts off what is pending', () => {
  test('each pending request rejects with a HostClosedError naming it', async () => {
    // Each handler says it was reached, then never answers: shutdown() comes after both were sent.
    const reached: string[] = []
    let bothReached: () => void = () => {}
    const sent = new Promise<void>((resolve) => {
      bothReached = resolve
    })
    const never = (what: string) => () => {
      if (reached.push(what) === 2) bothReached()
      return new Promise<never>(() => {})
    }
    const host = await HostManager.start(
      {
        servers: {
          stuck: {
            transport: 'memory',
            server: () => {
              const mcp = new McpServer({ name: 'stuck', version: '1.0.0' })
              mcp.registerTool('wait', { description: 'never answers' }, never('tool'))
              mcp.registerPrompt('waiting', { description: 'never answers' }, never('prompt'))
              return mcp
            },
          },
        },
      },
      { name: 'closing host' },
    )
    const call = rejectionOf(host.callTool('wait'))
    const prompt = rejectionOf(host.getPrompt('waiting'))
    await sent
    await host.shutdown()
    for (const [error, request] of [
      [await call, 'tools/call wait'],
      [await prompt, 'prompts/get waiting'],
    ] as const) {
      expect(error).toBeInstanceOf(HostClosedError)
      expect(error).toMatchObject({ host: 'closing host', method: 'shutdown', request })
      expect((error as Error).message).toBe(
        `Request "${request}" was cut off: closing host was shut down while it was pending. ` +
          'Await every request before shutdown(), or give it a timeout that ends it first.',
      )
    }
  })
})

describe('routing tells the truth', () => {
  test('a server that exited before its tools were listed: ServerExitError, not "no server offers"', async () => {
    const { config } = markedWeather()
    await using host = await HostManager.start({ servers: { items: templateServer(), weather: config } })
    const pid = host.server('weather').pid as number
    process.kill(pid, 'SIGKILL')
    expect(await pollUntil(() => host.server('weather').state === 'crashed', 5000)).toBe(true)
    const error = await rejectionOf(host.callTool('weather_lookup', { location: 'London' }))
    expect(error).toBeInstanceOf(ServerExitError)
    expect((error as Error).message).toContain('Server "weather" was killed by SIGKILL while in use')
    // A name that the other, listed server does not offer either: still no ToolNotFoundError.
    expect(await rejectionOf(host.callTool('read_graph'))).toBeInstanceOf(ServerExitError)
  })

  test('resource URIs route by template, among several servers and to a sole one', async () => {
    await using host = await HostManager.start({
      servers: { items: templateServer(), weather: countingWeatherServer().config },
    })
    expect(await host.listResourceTemplates()).toEqual([
      expect.objectContaining({ server: 'items', uriTemplate: 'demo://item/{id}', name: 'item' }),
    ])
    const read = await host.readResource('demo://item/7')
    expect(read.contents).toEqual([{ uri: 'demo://item/7', text: 'item 7' }])
    // The server's own error for a URI it does offer is what the caller gets.
    const failed = await rejectionOf(host.readResource('demo://item/missing'))
    expect(failed).not.toBeInstanceOf(ToolNotFoundError)
    expect((failed as Error).message).toContain('no item missing')
    const unknown = await rejectionOf(host.readResource('demo://other/1'))
    expect(unknown).toBeInstanceOf(NotOfferedError)
    expect(unknown).not.toBeInstanceOf(ToolNotFoundError)

    await using sole = await HostManager.start({ servers: { items: templateServer() } })
    expect(((await rejectionOf(sole.readResource('demo://item/missing'))) as Error).message).toContain(
      'no item missing',
    )
  })

  test('a server without resources/templates/list has no templates, and its URIs still route', async () => {
    await using host = await HostManager.start({
      servers: { plain: resourcesWithoutTemplates(), items: templateServer() },
    })
    expect((await host.listResourceTemplates()).map((t) => t.server)).toEqual(['items'])
    expect((await host.readResource('plain://one')).contents).toEqual([{ uri: 'plain://one', text: 'one' }])
    expect((await host.readResource('demo://item/2')).contents).toEqual([
      { uri: 'demo://item/2', text: 'item 2' },
    ])
  })
})

describe('requests through client(name) are tracked', () => {
  test('an un-awaited one is pending on the host, judged a leak, and settled without an unhandled rejection', async () => {
    const host = await HostManager.start({ servers: { silent: badlyBehavedServer('silent') } })
    const client = host.client('silent')
    expect(host.client('silent')).toBe(client)
    void client.callTool({ name: 'weather_lookup', arguments: {} }) // site:via-client
    expect(host.pendingRequests.map((r) => r.label)).toEqual([
      'tools/call weather_lookup (via client("silent"))',
    ])
    const {
      problems: [leak],
    } = await closeAndJudge(host, 'test "via client"', { timeoutMs: 5000 })
    expect(leak).toBeInstanceOf(LeakError)
    expect((leak as LeakError).leaks).toEqual([
      expect.objectContaining({ kind: 'request', label: 'tools/call weather_lookup (via client("silent"))' }),
    ])
    expect((leak as LeakError).leaks[0]?.createdIn.at).toMatch(/faults\.test\.ts:\d+:\d+$/)
  })

  test('a handler set on it is the one that runs, whichever was set before', async () => {
    await using host = await HostManager.start({ servers: { weather: countingWeatherServer().config } })
    const client = host.client('weather')
    const seen: string[] = []
    client.onerror = () => seen.push('first')
    void client.onerror
    client.onerror = () => seen.push('second')
    client.onerror?.(new Error('x'))
    expect(seen).toEqual(['second'])
  })

  test('an awaited one settles and leaves nothing pending', async () => {
    await using host = await HostManager.start({ servers: { weather: countingWeatherServer().config } })
    const result = await host
      .client('weather')
      .callTool({ name: 'weather_lookup', arguments: { location: 'Tokyo' } })
    expect(result.content).toEqual([expect.objectContaining({ text: expect.stringContaining('Tokyo') })])
    expect(host.pendingRequests).toEqual([])
  })
})
