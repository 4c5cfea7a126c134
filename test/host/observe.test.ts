// The host's observing side on memory servers: the bounded notification log, filters, logging
// levels, progress, subscriptions, tasks, and a closed host.
import { fileURLToPath } from 'node:url'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { SubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { HostClosedError } from '../../src/host/errors.js'
import { HostManager } from '../../src/host/host-manager.js'
import { NotificationLog } from '../../src/host/records/notifications.js'

/** A server that logs, reports progress and can be subscribed to; `quiet` declares no logging. */
const subscribed: string[] = []

function chatty(quiet = false): McpServer {
  const server = new McpServer(
    { name: 'chatty', version: '1.0.0' },
    { capabilities: quiet ? {} : { logging: {}, resources: { subscribe: true } } },
  )
  server.registerTool('burst', { inputSchema: { count: z.number() } }, async ({ count }) => {
    for (let i = 0; i < count; i++)
      await server.server.notification({ method: 'notifications/tools/list_changed' })
    return { content: [{ type: 'text', text: `sent ${count}` }] }
  })
  server.registerTool('log', {}, async () => {
    await server.sendLoggingMessage({ level: 'info', data: 'hello' })
    await server.sendLoggingMessage({ level: 'debug', data: 'details' })
    return { content: [{ type: 'text', text: 'logged' }] }
  })
  server.registerTool('steps', {}, async (extra) => {
    const token = extra._meta?.progressToken
    for (let i = 1; i <= 3; i++) {
      if (token !== undefined)
        await extra.sendNotification({
          method: 'notifications/progress',
          params: { progressToken: token, progress: i, total: 3, message: `step ${i}` },
        })
    }
    return { content: [{ type: 'text', text: 'done' }] }
  })
  if (!quiet) {
    server.registerResource('note', 'note://one', {}, async (uri) => ({
      contents: [{ uri: uri.href, text: 'one' }],
    }))
    server.server.setRequestHandler(SubscribeRequestSchema, async ({ params }) => {
      if (params.uri !== 'note://one') throw new Error(`no resource ${params.uri}`)
      subscribed.push(params.uri)
      return {}
    })
  }
  return server
}

describe('NotificationLog', () => {
  test('keeps the newest `max`, counts the dropped, keeps arrival order', () => {
    const log = new NotificationLog(performance.now(), 3)
    for (let i = 0; i < 5; i++) log.record(i % 2 ? 'b' : 'a', `m${i}`, { i })
    expect(log.dropped).toBe(2)
    expect(log.list().map((n) => n.method)).toEqual(['m2', 'm3', 'm4'])
    expect(log.list({ server: 'a' }).map((n) => n.method)).toEqual(['m2', 'm4'])
    expect(log.list({ method: 'm3' })).toHaveLength(1)
    expect(log.list({ server: 'nobody' })).toEqual([])
  })
})

describe('notifications()', () => {
  test('10,000 kept, the oldest dropped with a count; filters by server and method', async () => {
    const host = await HostManager.start({
      servers: {
        a: { transport: 'memory', server: () => chatty() },
        b: { transport: 'memory', server: () => chatty() },
      },
    })
    try {
      await host.callTool('burst', { count: 10_005 }, { server: 'a' })
      await host.callTool('log', {}, { server: 'b' })
      const all = host.notifications()
      expect(all).toHaveLength(10_000)
      expect(host.droppedNotifications).toBe(10_005 + 2 - 10_000)
      expect(all.at(-1)).toMatchObject({ server: 'b', method: 'notifications/message' })
      expect(host.notifications({ server: 'b' }).map((n) => n.method)).toEqual([
        'notifications/message',
        'notifications/message',
      ])
      expect(host.notifications({ server: 'a', method: 'notifications/message' })).toEqual([])
      expect(host.notifications({ server: 'nobody' })).toEqual([])
      const at = all.map((n) => n.at)
      expect(at.every((t, i) => i === 0 || t >= (at[i - 1] as number))).toBe(true)
    } finally {
      await host.shutdown()
    }
    // 10,000 messages through the host, each checked: ~2 s here, more on a loaded machine.
  }, 20_000)
})

describe('setLoggingLevel()', () => {
  test('all servers with logging by default; naming one without logging rejects saying so', async () => {
    const host = await HostManager.start({
      servers: {
        loud: { transport: 'memory', server: () => chatty() },
        quiet: { transport: 'memory', server: () => chatty(true) },
      },
    })
    try {
      await host.setLoggingLevel('info')
      await host.callTool('log', {}, { server: 'loud' })
      expect(host.notifications({ method: 'notifications/message' }).map((n) => n.params)).toEqual([
        { level: 'info', data: 'hello' },
      ])
      await host.setLoggingLevel('debug', { server: 'loud' })
      await host.callTool('log', {}, { server: 'loud' })
      expect(host.notifications({ method: 'notifications/message' })).toHaveLength(3)
      await expect(host.setLoggingLevel('info', { server: 'quiet' })).rejects.toThrow(
        'servers.quiet: does not declare the logging capability',
      )
      await expect(host.setLoggingLevel('info', { server: 'nobody' })).rejects.toThrow('no such server')
      expect(host.timeline.events.map((e) => e.event)).toContain('request logging/setLevel info (loud)')
    } finally {
      await host.shutdown()
    }
  })
})

describe('onProgress, subscribeResource', () => {
  test('progress callbacks in order, then the result; a subscription is sent to the routed server', async () => {
    const host = await HostManager.start({ servers: { s: { transport: 'memory', server: () => chatty() } } })
    try {
      const seen: unknown[] = []
      const result = await host.callTool('steps', {}, { onProgress: (p) => seen.push(p) })
      expect(result.content).toEqual([{ type: 'text', text: 'done' }])
      expect(seen).toEqual([1, 2, 3].map((i) => ({ progress: i, total: 3, message: `step ${i}` })))
      expect(host.notifications({ method: 'notifications/progress' })).toHaveLength(3)
      // A callback that throws does not fail the call.
      const thrown = await host.callTool(
        'steps',
        {},
        {
          onProgress: () => {
            throw new Error('boom')
          },
        },
      )
      expect(thrown.isError).not.toBe(true)
      await host.subscribeResource('note://one')
      expect(subscribed).toEqual(['note://one'])
      await expect(host.subscribeResource('note://none')).rejects.toThrow('offers resource "note://none"')
    } finally {
      await host.shutdown()
    }
  })
})

describe('over a worker thread', () => {
  test('log messages after setLoggingLevel, progress in order', async () => {
    const module = fileURLToPath(new URL('../support/worker-servers/servers.mjs', import.meta.url))
    const host = await HostManager.start({
      servers: { w: { transport: 'worker', module, export: 'chatty' } },
    })
    try {
      await host.setLoggingLevel('info')
      await host.callTool('log')
      expect(
        host.notifications({ server: 'w', method: 'notifications/message' }).map((n) => n.params),
      ).toEqual([{ level: 'info', data: 'hello' }])
      const seen: unknown[] = []
      await host.callTool('steps', {}, { onProgress: (p) => seen.push(p.progress) })
      expect(seen).toEqual([1, 2, 3])
    } finally {
      await host.shutdown()
    }
  })
})

describe('after shutdown', () => {
  test('every method but shutdown/server/notifications throws HostClosedError', async () => {
    const host = await HostManager.start({ servers: { s: { transport: 'memory', server: () => chatty() } } })
    await host.callTool('log')
    await host.shutdown()
    await expect(host.setLoggingLevel('info')).rejects.toBeInstanceOf(HostClosedError)
    await expect(host.subscribeResource('note://one')).rejects.toBeInstanceOf(HostClosedError)
    await expect(host.callTool('steps', {}, { onProgress: () => {} })).rejects.toBeInstanceOf(HostClosedError)
    expect(host.notifications()).toEqual(host.notifications({ server: 's' }))
    expect(host.server('s').state).toBe('exited')
    await host.shutdown()
  })
})
