// ping, complete, unsubscribeResource and waitForNotification on memory and stdio servers: routing,
// timeouts, aborts, a closed host; and NotOfferedError for prompts and resources.

import { SdkError, SdkErrorCode } from '@modelcontextprotocol/client'
import { completable } from '@modelcontextprotocol/sdk/server/completable.js'
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js'
import {
  PingRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { ConfigError, HostClosedError, NotOfferedError, ToolNotFoundError } from '../../src/host/errors.js'
import { HostManager } from '../../src/host/host-manager.js'
import { NotificationLog } from '../../src/host/records/notifications.js'
import { NotificationWaits } from '../../src/host/records/wait-notification.js'
import { ServerExitError } from '../../src/launchers/errors.js'
import { misbehavingServer, weatherServer } from '../../src/servers/index.js'
import { rejectionOf } from '../support/assertions.js'

/** Subscriptions and unsubscriptions each `topics` server saw, by server label. */
const seen: string[] = []

/**
 * A server with a completable prompt, a completable resource template, subscriptions, and a tool
 * that logs the messages it is given; `pingless` never answers ping.
 */
function topics(label: string, { pingless = false } = {}): McpServer {
  const server = new McpServer(
    { name: label, version: '1.0.0' },
    { capabilities: { logging: {}, resources: { subscribe: true }, completions: {} } },
  )
  const colours = ['red', 'green', 'grey']
  server.registerPrompt(
    'paint',
    {
      argsSchema: {
        colour: completable(z.string(), (value) => colours.filter((c) => c.startsWith(value))),
        shade: completable(z.string(), (value, context) =>
          [`${context?.arguments?.colour ?? 'no'}-light`, 'dark'].filter((s) => s.startsWith(value)),
        ),
      },
    },
    ({ colour }) => ({ messages: [{ role: 'user', content: { type: 'text', text: colour } }] }),
  )
  server.registerResource(
    'topic',
    new ResourceTemplate('topic://{name}', {
      list: undefined,
      complete: { name: (value) => ['tides', 'trains'].filter((n) => n.startsWith(value)) },
    }),
    {},
    async (uri) => ({ contents: [{ uri: uri.href, text: uri.href }] }),
  )
  // A template with a query variable does not match its own template string as a URI.
  server.registerResource(
    'search',
    new ResourceTemplate('search://find{?q}', {
      list: undefined,
      complete: { q: (value) => [`${value}*`] },
    }),
    {},
    async (uri) => ({ contents: [{ uri: uri.href, text: uri.href }] }),
  )
  server.registerResource('news', 'news://today', {}, async (uri) => ({
    contents: [{ uri: uri.href, text: 'news' }],
  }))
  server.registerTool('say', { inputSchema: { lines: z.array(z.string()) } }, async ({ lines }) => {
    for (const data of lines) await server.sendLoggingMessage({ level: 'info', data })
    return { content: [{ type: 'text', text: 'said' }] }
  })
  const known = (uri: string) => uri === 'news://today' || uri.startsWith('topic://')
  server.server.setRequestHandler(SubscribeRequestSchema, async ({ params }) => {
    if (!known(params.uri)) throw new Error(`no resource ${params.uri}`)
    seen.push(`${label} subscribe ${params.uri}`)
    return {}
  })
  server.server.setRequestHandler(UnsubscribeRequestSchema, async ({ params }) => {
    if (!known(params.uri)) throw new Error(`no resource ${params.uri}`)
    seen.push(`${label} unsubscribe ${params.uri}`)
    return {}
  })
  if (pingless) server.server.setRequestHandler(PingRequestSchema, () => new Promise<never>(() => {}))
  return server
}

const memory = (label: string, options?: { pingless?: boolean }) => ({
  transport: 'memory' as const,
  server: () => topics(label, options),
})

const timedOut = (error: unknown) => error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout

describe('ping', () => {
  test('every server, or the one named; a server that never answers rejects at the timeout', async () => {
    await using host = await HostManager.start({
      servers: { a: memory('a'), mute: memory('mute', { pingless: true }) },
    })
    await host.ping({ server: 'a' })
    const started = performance.now()
    const error = await rejectionOf(host.ping({ timeout: 150 }))
    expect(timedOut(error), String(error)).toBe(true)
    expect((error as Error).message).toContain('ping (mute)')
    expect(performance.now() - started).toBeLessThan(3000)
    expect(await rejectionOf(host.ping({ server: 'nobody' }))).toBeInstanceOf(ConfigError)
    expect(await rejectionOf(host.ping({ timeout: 0 }))).toBeInstanceOf(ConfigError)
  })

  test('stdio: answers; a crashed server is a ServerExitError', async () => {
    await using host = await HostManager.start({
      servers: { weather: weatherServer(), crashy: misbehavingServer('crash-on-call') },
    })
    await host.ping()
    await rejectionOf(host.callTool('weather_lookup', { location: 'Oslo' }, { server: 'crashy' }))
    await host.ping({ server: 'weather' })
    const error = await rejectionOf(host.ping())
    expect(error).toBeInstanceOf(ServerExitError)
    expect((error as ServerExitError).server).toBe('crashy')
  })

  test('an aborted signal rejects with its reason', async () => {
    await using host = await HostManager.start({ servers: { mute: memory('mute', { pingless: true }) } })
    const controller = new AbortController()
    const pinging = host.ping({ signal: controller.signal })
    controller.abort(new Error('enough'))
    expect(((await rejectionOf(pinging)) as Error).message).toBe('enough')
  })
})

describe('complete', () => {
  test("a prompt's argument and a resource template's variable, routed by name and by template", async () => {
    await using host = await HostManager.start({
      servers: { a: memory('a'), weather: weatherServer() },
    })
    const prompt = await host.complete({ type: 'ref/prompt', name: 'paint' }, { name: 'colour', value: 'gr' })
    expect(prompt.completion.values).toEqual(['green', 'grey'])
    const shaded = await host.complete(
      { type: 'ref/prompt', name: 'paint' },
      { name: 'shade', value: '' },
      { context: { arguments: { colour: 'red' } } },
    )
    expect(shaded.completion.values).toEqual(['red-light', 'dark'])
    const template = await host.complete(
      { type: 'ref/resource', uri: 'topic://{name}' },
      { name: 'name', value: 't' },
    )
    expect(template.completion.values).toEqual(['tides', 'trains'])
    const query = await host.complete(
      { type: 'ref/resource', uri: 'search://find{?q}' },
      { name: 'q', value: 'ti' },
    )
    expect(query.completion.values).toEqual(['ti*'])
  })

  test('an unknown prompt is a NotOfferedError of kind prompt; a bad ref a ConfigError', async () => {
    await using host = await HostManager.start({ servers: { a: memory('a'), b: memory('b') } })
    const error = await rejectionOf(
      host.complete({ type: 'ref/prompt', name: 'sing' }, { name: 'x', value: '' }),
    )
    expect(error).toBeInstanceOf(NotOfferedError)
    expect(error).not.toBeInstanceOf(ToolNotFoundError)
    expect(error).toMatchObject({ kind: 'prompt', requested: 'sing', offered: ['paint (a)', 'paint (b)'] })
    const bad = await rejectionOf(
      host.complete({ type: 'ref/tool', name: 'x' } as never, { name: 'x', value: '' }),
    )
    expect(bad).toBeInstanceOf(ConfigError)
    expect((bad as ConfigError).path).toBe('ref')
  })
})

describe('unsubscribeResource', () => {
  test('routed like subscribeResource: by URI, by template, or to the server named', async () => {
    seen.length = 0
    await using host = await HostManager.start({ servers: { a: memory('a'), b: memory('b') } })
    await host.subscribeResource('topic://tides', { server: 'b' })
    await host.unsubscribeResource('topic://tides', { server: 'b' })
    await host.unsubscribeResource('news://today', { server: 'a' })
    expect(seen).toEqual([
      'b subscribe topic://tides',
      'b unsubscribe topic://tides',
      'a unsubscribe news://today',
    ])
  })

  test('an unknown resource is a NotOfferedError of kind resource, with one server or several', async () => {
    await using one = await HostManager.start({ servers: { a: memory('a') } })
    const sole = await rejectionOf(one.unsubscribeResource('gone://x'))
    expect(sole).toBeInstanceOf(NotOfferedError)
    expect(sole).toMatchObject({ kind: 'resource', requested: 'gone://x', offered: ['news://today (a)'] })
    await using two = await HostManager.start({ servers: { a: memory('a'), b: memory('b') } })
    const several = await rejectionOf(two.readResource('gone://x'))
    expect(several).toBeInstanceOf(NotOfferedError)
    expect(several).not.toBeInstanceOf(ToolNotFoundError)
    expect((several as Error).message).toBe(
      'No server offers resource "gone://x". Available resources: news://today (a), news://today (b).',
    )
  })
})

describe('NotOfferedError', () => {
  test('ToolNotFoundError is the NotOfferedError of tools; prompts are not tools', async () => {
    await using host = await HostManager.start({ servers: { a: memory('a') } })
    const tool = await rejectionOf(host.callTool('nope'))
    expect(tool).toBeInstanceOf(ToolNotFoundError)
    expect(tool).toBeInstanceOf(NotOfferedError)
    expect(tool).toMatchObject({
      name: 'ToolNotFoundError',
      kind: 'tool',
      requested: 'nope',
      offered: ['say (a)'],
    })
    const prompt = await rejectionOf(host.getPrompt('nope', {}, { server: 'a' }))
    expect(prompt).toMatchObject({ name: 'NotOfferedError', kind: 'prompt', offered: ['paint'] })
    expect(prompt).not.toBeInstanceOf(ToolNotFoundError)
  })
})

describe('waitForNotification', () => {
  const said = (n: { params: unknown }) => (n.params as { data: string }).data

  test('already received ones first, each returned once, in order; then the next to arrive', async () => {
    await using host = await HostManager.start({ servers: { a: memory('a'), b: memory('b') } })
    await host.callTool('say', { lines: ['one', 'two'] }, { server: 'a' })
    const message = { method: 'notifications/message' }
    expect(said(await host.waitForNotification(message))).toBe('one')
    expect(said(await host.waitForNotification(message))).toBe('two')
    const next = host.waitForNotification({ ...message, server: 'b' })
    await host.callTool('say', { lines: ['three'] }, { server: 'a' })
    await host.callTool('say', { lines: ['four'] }, { server: 'b' })
    expect(await next).toMatchObject({ server: 'b', params: { data: 'four' } })
    // "three" was not taken by the wait for b's: the next wait for a's gets it.
    expect(said(await host.waitForNotification({ server: 'a' }))).toBe('three')
    expect(host.notifications(message).map(said)).toEqual(['one', 'two', 'three', 'four'])
  })

  test('a wait for one kind loses nothing of another; where() narrows; concurrent waits share out', async () => {
    await using host = await HostManager.start({ servers: { a: memory('a') } })
    await host.callTool('say', { lines: ['skip me', 'take me'] })
    const taken = await host.waitForNotification({ where: (n) => said(n).match(/^take/) }) // truthy, not true
    expect(said(taken)).toBe('take me')
    expect(said(await host.waitForNotification({}))).toBe('skip me')
    const first = host.waitForNotification({ method: 'notifications/message' })
    const second = host.waitForNotification({ method: 'notifications/message' })
    await host.callTool('say', { lines: ['x', 'y'] })
    expect([said(await first), said(await second)]).toEqual(['x', 'y'])
  })

  test('rejects at its timeout, on abort, and on a filter that can match nothing', async () => {
    await using host = await HostManager.start({ servers: { a: memory('a') }, requestTimeout: 200 })
    const started = performance.now()
    const error = await rejectionOf(host.waitForNotification({ method: 'notifications/message' }))
    expect(timedOut(error), String(error)).toBe(true)
    expect((error as Error).message).toContain(
      'Request timed out after 200 ms (waitForNotification notifications/message)',
    )
    expect(performance.now() - started).toBeGreaterThanOrEqual(190)
    expect(performance.now() - started).toBeLessThan(3000)
    const shorter = await rejectionOf(host.waitForNotification({ server: 'a' }, { timeout: 20 }))
    expect((shorter as Error).message).toContain(
      'after 20 ms (waitForNotification any notification from "a")',
    )

    const controller = new AbortController()
    const waiting = host.waitForNotification({}, { signal: controller.signal })
    controller.abort(new Error('stop waiting'))
    expect(((await rejectionOf(waiting)) as Error).message).toBe('stop waiting')

    expect(await rejectionOf(host.waitForNotification({ server: 'nobody' }))).toBeInstanceOf(ConfigError)
    expect(await rejectionOf(host.waitForNotification({ where: 'x' } as never))).toBeInstanceOf(ConfigError)
    const thrown = new Error('bad predicate')
    const throwing = host.waitForNotification({
      where: () => {
        throw thrown
      },
    })
    await host.callTool('say', { lines: ['z'] })
    expect(await rejectionOf(throwing)).toBe(thrown)
  })

  test('stdio: a wait pending at shutdown ends with it', async () => {
    const host = await HostManager.start({ servers: { weather: weatherServer() } })
    const waiting = rejectionOf(
      host.waitForNotification({ method: 'notifications/message' }, { timeout: 30_000 }),
    )
    await host.shutdown()
    expect(((await waiting) as Error).message).toMatch(/shut down/)
  })
})

describe('after shutdown', () => {
  test('each new method is a HostClosedError naming it, and nothing is sent', async () => {
    seen.length = 0
    const host = await HostManager.start({ servers: { a: memory('a') } })
    await host.shutdown()
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['ping', () => host.ping()],
      ['complete', () => host.complete({ type: 'ref/prompt', name: 'paint' }, { name: 'colour', value: '' })],
      ['unsubscribeResource', () => host.unsubscribeResource('news://today')],
      ['waitForNotification', () => host.waitForNotification({})],
    ]
    for (const [method, call] of calls) {
      const error = await rejectionOf(call)
      expect(error).toBeInstanceOf(HostClosedError)
      expect((error as HostClosedError).method).toBe(method)
    }
    expect(seen).toEqual([])
  })
})

describe('NotificationWaits', () => {
  test('hands each notification to one wait; the oldest untaken match first', async () => {
    const log = new NotificationLog(performance.now(), 3)
    const waits = new NotificationWaits(log)
    const signal = new AbortController().signal
    for (const method of ['m1', 'm2', 'm1', 'm2']) log.record('s', method, {})
    // m1 (the first) was dropped to keep 3: the oldest kept is m2.
    expect((await waits.take({}, signal)).method).toBe('m2')
    expect((await waits.take({ method: 'm2' }, signal)).method).toBe('m2')
    expect((await waits.take({}, signal)).method).toBe('m1')
    const later = waits.take({ method: 'm3' }, signal)
    log.record('s', 'm3', { late: true })
    expect((await later).params).toEqual({ late: true })
  })
})
