// A server built on SDK v2 (`@modelcontextprotocol/server` 2.x), third-party style: the stand-in of
// test/support/v2-everything/ spawned over stdio and over Streamable HTTP, on both protocol revisions,
// through the host's API only. One host per transport and revision, shared by the file's tests.
import { afterAll, describe, expect, test, vi } from 'vitest'
import type { ClientConfig } from '../../src/host/config/config-types.js'
import { ConfigError } from '../../src/host/errors.js'
import { HostManager } from '../../src/host/host-manager.js'
import { PROTOCOL_REVISIONS, type ProtocolRevision } from '../../src/launchers/client/protocol.js'
import { V2_EVERYTHING_TOOLS, v2EverythingServer } from '../support/v2-everything.js'

// Each host starts inside the first test that uses it: room for that on a loaded machine.
vi.setConfig({ testTimeout: 30_000 })
/** How long a notification the server sends at once may take to arrive, at most. */
const NOTIFIED_WITHIN = { timeout: 10_000 }

const textOf = (result: { content?: unknown }) =>
  ((result.content ?? []) as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n')

/** What the host's client.* handlers were asked, per host. */
type Asked = Array<{ kind: 'elicitation' | 'sampling'; params: Record<string, unknown>; server: string }>

function clientFor(asked: Asked): ClientConfig {
  return {
    elicitation: (params, { server }) => {
      asked.push({ kind: 'elicitation', params, server })
      return params.mode === 'url' ? { action: 'accept' } : { action: 'accept', content: { confirm: true } }
    },
    sampling: (params, { server }) => {
      asked.push({ kind: 'sampling', params: params as Record<string, unknown>, server })
      return { role: 'assistant', content: { type: 'text', text: 'sunny' }, model: 'test-model' }
    },
    roots: [{ uri: 'file:///work/first', name: 'first' }],
  }
}

describe.for(['stdio', 'http'] as const)('the v2 server over %s', (transport) => {
  const started = new Map<ProtocolRevision, Promise<{ host: HostManager; asked: Asked }>>()
  /** The file's host on `revision` for this transport, started on first use. */
  const hostOn = (revision: ProtocolRevision) => {
    let entry = started.get(revision)
    if (!entry) {
      const asked: Asked = []
      entry = HostManager.start({
        protocol: revision,
        servers: { v2: v2EverythingServer(transport) },
        client: clientFor(asked),
      }).then((host) => ({ host, asked }))
      started.set(revision, entry)
    }
    return entry
  }
  afterAll(async () => {
    const hosts = await Promise.all(started.values())
    await Promise.all(hosts.map(({ host }) => host.shutdown()))
    for (const { host } of hosts) expect(host.server('v2').state).toBe('exited')
  })

  test.for(PROTOCOL_REVISIONS)(
    'lands on %s; lists its tools, prompts, resources and templates',
    async (revision) => {
      const { host } = await hostOn(revision)
      expect(host.server('v2').era).toBe(revision)
      expect(host.client('v2').getServerVersion()).toMatchObject({ name: 'v2-everything', version: '2.0.0' })
      expect((await host.listTools()).map((t) => t.name).sort()).toEqual(V2_EVERYTHING_TOOLS)
      expect((await host.listPrompts()).map((p) => [p.name, p.arguments?.map((a) => a.name) ?? []])).toEqual([
        ['greeting', ['name']],
        ['status', []],
      ])
      const resources = (await host.listResources()).map((r) => r.uri)
      expect(resources).toEqual([
        'note://readme',
        'note://counter',
        'note://items/1',
        'note://items/2',
        'note://items/3',
      ])
      expect((await host.listResourceTemplates()).map((t) => t.uriTemplate)).toEqual(['note://items/{id}'])
    },
  )

  test.for(PROTOCOL_REVISIONS)(
    'its plain tools, a prompt, resources, a template and a completion [%s]',
    async (revision) => {
      const { host } = await hostOn(revision)
      expect(textOf(await host.callTool('echo', { message: 'hi' }))).toBe('Echo: hi')
      const added = await host.callTool('add', { a: 2, b: 3 })
      expect(added.structuredContent).toEqual({ sum: 5 })
      expect(JSON.parse(textOf(added))).toEqual({ sum: 5 })
      expect(textOf(await host.callTool('touch'))).toMatch(/^count is \d+$/)

      const prompt = await host.getPrompt('greeting', { name: 'Ada' })
      expect(prompt.messages).toEqual([
        { role: 'user', content: { type: 'text', text: 'Say hello to Ada.' } },
      ])
      expect((await host.getPrompt('status')).messages).toHaveLength(1)

      const readme = await host.readResource('note://readme')
      expect(readme.contents).toEqual([
        { uri: 'note://readme', mimeType: 'text/plain', text: 'This server stands in for a third party.' },
      ])
      expect((await host.readResource('note://items/2')).contents[0]).toMatchObject({ text: 'bread' })
      const completion = await host.complete(
        { type: 'ref/resource', uri: 'note://items/{id}' },
        { name: 'id', value: '' },
      )
      expect(completion.completion.values).toEqual(['1', '2', '3'])
    },
  )

  test.for(PROTOCOL_REVISIONS)(
    'each MRTR kind is answered by the client.* handlers [%s]',
    async (revision) => {
      const { host, asked } = await hostOn(revision)
      asked.length = 0
      expect(textOf(await host.callTool('confirm', { action: 'deploy' }))).toBe('deploy: confirmed')
      expect(textOf(await host.callTool('sign-in'))).toBe('sign-in: accept')
      expect(textOf(await host.callTool('ask-model', { question: 'weather?' }))).toBe(
        'test-model says: sunny',
      )
      expect(textOf(await host.callTool('list-roots'))).toBe('file:///work/first')

      expect(asked.map((a) => [a.kind, a.server, a.params.mode ?? '-', a.params.message ?? '-'])).toEqual([
        ['elicitation', 'v2', 'form', 'deploy?'],
        ['elicitation', 'v2', 'url', 'Sign in'],
        ['sampling', 'v2', '-', '-'],
      ])
      expect(asked[1]?.params.url).toBe('https://example.com/login')
      // 2025-11-25's URL mode carries an elicitationId (the SDK's shim makes one); 2026-07-28's has none.
      expect(typeof asked[1]?.params.elicitationId).toBe(revision === '2025-11-25' ? 'string' : 'undefined')
      expect(asked[2]?.params.messages).toEqual([
        { role: 'user', content: { type: 'text', text: 'weather?' } },
      ])
      // On 2026-07-28 they came as input_required rounds (in the timeline); on 2025-11-25 as requests.
      const rounds = host.entries[0]?.timeline.events
        .filter((e) => e.event.startsWith('round'))
        .map((e) => e.event)
      expect(rounds).toEqual(
        revision === '2026-07-28'
          ? [
              'round 1 elicitation/create',
              'round 1 elicitation/create (url)',
              'round 1 sampling/createMessage',
              'round 1 roots/list',
            ]
          : [],
      )
    },
  )

  test.for(PROTOCOL_REVISIONS)('logging: at the level the host set [%s]', async (revision) => {
    const { host } = await hostOn(revision)
    const logged = (data: string) =>
      host
        .notifications({ method: 'notifications/message' })
        .filter((n) => (n.params as { data?: unknown }).data === data)
    if (revision === '2025-11-25') {
      await host.setLoggingLevel('warning')
      await host.callTool('log', { message: 'too low', level: 'info' })
      await host.callTool('log', { message: 'loud enough', level: 'error' })
      const arrived = await host.waitForNotification(
        { server: 'v2', method: 'notifications/message' },
        NOTIFIED_WITHIN,
      )
      expect(arrived.params).toEqual({ level: 'error', data: 'loud enough', logger: 'v2-everything' })
      expect(logged('too low')).toEqual([])
    } else {
      // The level travels in each request's _meta on 2026-07-28; the host cannot set one there yet.
      await expect(host.setLoggingLevel('warning')).rejects.toBeInstanceOf(ConfigError)
      await host.callTool('log', { message: 'unasked', level: 'error' })
      expect(logged('unasked')).toEqual([])
    }
  })

  // host.subscribeResource() on 2025-11-25 only: on 2026-07-28 it is to go through subscriptions/listen,
  // which the host does not send yet (issue 21 item 4). The next test opens that stream on the host's
  // own SDK client instead, so the server's side of it is covered on both transports.
  test('a resource subscription is notified of a change, until unsubscribed [2025-11-25]', async () => {
    const { host } = await hostOn('2025-11-25')
    await host.subscribeResource('note://counter')
    const count = Number(/^count is (\d+)$/.exec(textOf(await host.callTool('touch')))?.[1])
    const updated = await host.waitForNotification(
      { server: 'v2', method: 'notifications/resources/updated' },
      NOTIFIED_WITHIN,
    )
    expect(updated.params).toEqual({ uri: 'note://counter' })
    expect((await host.readResource('note://counter')).contents[0]).toMatchObject({
      text: JSON.stringify({ count }),
    })
    await host.unsubscribeResource('note://counter')
    const before = host.notifications({ method: 'notifications/resources/updated' }).length
    await host.callTool('touch')
    // On stdio the server notifies before it answers tools/call, on the one pipe, in order (over
    // HTTP the notification would travel on another stream: no such order to rely on).
    if (transport === 'stdio')
      expect(host.notifications({ method: 'notifications/resources/updated' })).toHaveLength(before)
  })

  test("a subscriptions/listen stream opened on the host's own client is notified of a change [2026-07-28]", async () => {
    const { host } = await hostOn('2026-07-28')
    const listen = await host.client('v2').listen({ resourceSubscriptions: ['note://counter'] })
    try {
      expect(listen.honoredFilter).toEqual({ resourceSubscriptions: ['note://counter'] })
      await host.callTool('touch')
      const updated = await host.waitForNotification(
        {
          server: 'v2',
          method: 'notifications/resources/updated',
        },
        NOTIFIED_WITHIN,
      )
      expect(updated.params).toEqual({
        _meta: { 'io.modelcontextprotocol/subscriptionId': expect.any(String) },
        uri: 'note://counter',
      })
    } finally {
      await listen.close()
    }
    expect(await listen.closed).toBe('local')
  })

  // Last: the host's traffic of every test above, in both directions.
  test.for(PROTOCOL_REVISIONS)(
    'no error-severity wire violation in either direction [%s]',
    async (revision) => {
      const { host } = await hostOn(revision)
      await host.callTool('echo', { message: 'x' })
      expect(host.wireLedger.list().filter((r) => !r.listed)).toEqual([])
    },
  )
})
