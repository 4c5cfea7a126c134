// subscribeResource()/unsubscribeResource() on both revisions against the v2-built notes server
// (test/fixtures/v2-server): on 2025-11-25 resources/subscribe; on 2026-07-28 one subscriptions/listen
// stream per server whose filter is the subscribed URIs, opened anew when they change and closed at
// shutdown. Either way the updates are in notifications(), and stop after unsubscribing.
import { McpServer } from '@modelcontextprotocol/server'
import { describe, expect, test, vi } from 'vitest'
import { ConfigError } from '../../src/host/errors.js'
import { HostManager } from '../../src/host/host-manager.js'
import { notesCases, notesTransports } from '../fixtures/v2-server/notes-transports.js'
import { rejectionOf } from '../support/assertions.js'

const TODO = 'notes://note/todo'
const IDEAS = 'notes://note/ideas'

/** The URIs of the updates `host` received so far, in order. */
const updates = (host: HostManager) =>
  host
    .notifications({ method: 'notifications/resources/updated' })
    .map((n) => (n.params as { uri: string }).uri)

/** Touches `name` and waits for the tool's answer (an update, if any, arrives before it). */
const touch = (host: HostManager, name: string, text: string) => host.callTool('touch_note', { name, text })

/** The listen requests and cancellations the host sent `server`, as the wire carried them. */
function listens(host: HostManager, server: string) {
  const seen: string[] = []
  const transport = host.client(server).transport as unknown as {
    listen(l: { outbound(e: { message: unknown }): void }): void
  }
  transport.listen({
    outbound({ message }) {
      const m = message as { method?: string; params?: Record<string, unknown> }
      if (m.method === 'subscriptions/listen') {
        const filter = m.params?.notifications as { resourceSubscriptions?: string[] }
        seen.push(`listen ${filter.resourceSubscriptions?.join(' ')}`)
      }
      if (m.method === 'notifications/cancelled') seen.push(`cancel ${String(m.params?.requestId)}`)
    },
  })
  return seen
}

describe.each(notesCases)('resource subscriptions [$transport, $protocol]', ({ transport, protocol }) => {
  test('subscribe, see the update, unsubscribe, no more updates', { timeout: 30_000 }, async () => {
    await using host = await HostManager.start({ servers: { notes: notesTransports[transport](protocol) } })
    expect(host.server('notes').era).toBe(protocol)
    await touch(host, 'todo', 'before subscribing')
    expect(updates(host)).toEqual([])

    await host.subscribeResource(TODO)
    await touch(host, 'todo', 'buy oat milk')
    const updated = await host.waitForNotification({ method: 'notifications/resources/updated' })
    expect(updated.params).toMatchObject({ uri: TODO })
    // Another note's update is not for us.
    await touch(host, 'ideas', 'unsubscribed')
    expect(updates(host)).toEqual([TODO])

    await host.subscribeResource(IDEAS)
    await touch(host, 'ideas', 'subscribed now')
    await host.waitForNotification({ method: 'notifications/resources/updated' })
    expect(updates(host)).toEqual([TODO, IDEAS])

    await host.unsubscribeResource(TODO)
    await touch(host, 'todo', 'after unsubscribing')
    await touch(host, 'ideas', 'still subscribed')
    await host.waitForNotification({ method: 'notifications/resources/updated' })
    expect(updates(host)).toEqual([TODO, IDEAS, IDEAS])

    await host.unsubscribeResource(IDEAS)
    await touch(host, 'ideas', 'after unsubscribing')
    await touch(host, 'todo', 'after unsubscribing')
    expect(updates(host)).toEqual([TODO, IDEAS, IDEAS])
  })
})

describe('on 2026-07-28', () => {
  test('one listen per change of the set, the old one cancelled after the new one is acknowledged; the last closed at shutdown', async () => {
    const host = await HostManager.start({ servers: { notes: notesTransports.memory('2026-07-28') } })
    const sent = listens(host, 'notes')
    await host.subscribeResource(TODO)
    await host.subscribeResource(TODO)
    await host.subscribeResource(IDEAS)
    await host.unsubscribeResource(TODO)
    expect(sent).toEqual([
      `listen ${TODO}`,
      `listen ${TODO} ${IDEAS}`,
      'cancel listen:0',
      `listen ${IDEAS}`,
      'cancel listen:1',
    ])
    // The open stream is the host's: no request of a test is pending (what a test's leak is made of),
    // and the wire check found nothing in the listens and their cancellations.
    expect(host.pendingRequests).toEqual([])
    expect(host.wireLedger.list()).toEqual([])
    await host.shutdown()
    expect(sent.slice(5)).toEqual(['cancel listen:2'])
    const events = host.entries[0]?.timeline.events.filter((e) => e.event === 'listen').map((e) => e.detail)
    expect(events).toEqual([`resources ${TODO}`, `resources ${TODO}, ${IDEAS}`, `resources ${IDEAS}`])
  })

  test('no URI left: the stream is closed, and a new subscription opens a new one', async () => {
    await using host = await HostManager.start({ servers: { notes: notesTransports.memory('2026-07-28') } })
    const sent = listens(host, 'notes')
    await host.subscribeResource(TODO)
    await host.unsubscribeResource(TODO)
    await host.unsubscribeResource(TODO)
    await host.subscribeResource(TODO)
    await touch(host, 'todo', 'again')
    await host.waitForNotification({ method: 'notifications/resources/updated' })
    expect(sent).toEqual([`listen ${TODO}`, 'cancel listen:0', `listen ${TODO}`])
  })

  test('a server without resources.subscribe: a ConfigError saying so, no stream left open', async () => {
    const plain = () => {
      const server = new McpServer({ name: 'plain', version: '1.0.0' })
      server.registerResource('a', 'demo://a', {}, (uri) => ({ contents: [{ uri: uri.href, text: 'a' }] }))
      return server
    }
    await using host = await HostManager.start({
      servers: { plain: { transport: 'memory', protocol: '2026-07-28', server: plain } },
    })
    const sent = listens(host, 'plain')
    const error = await rejectionOf(host.subscribeResource('demo://a'))
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).path).toBe('servers.plain')
    expect((error as Error).message).toContain(
      'acknowledged a subscriptions/listen stream without resource demo://a',
    )
    expect(sent).toEqual(['listen demo://a', 'cancel listen:0'])
  })

  test("a stream the test opens through client(name) is the test's, pending until it is closed", async () => {
    await using host = await HostManager.start({ servers: { notes: notesTransports.memory('2026-07-28') } })
    const stream = await host.client('notes').listen({ resourceSubscriptions: [TODO] })
    const label = 'subscriptions/listen stream, open (via client("notes"))'
    expect(host.pendingRequests.map((r) => r.label)).toEqual([label])
    await stream.close()
    await vi.waitFor(() => expect(host.pendingRequests).toEqual([]), { timeout: 5000 })
    // Left open, it is abandoned as a leak would be: the stream is closed with it.
    const left = await host.client('notes').listen({ resourceSubscriptions: [TODO] })
    host.abandonRequests(host.pendingRequests, new Error('the test ended'))
    expect(await left.closed).toBe('local')
  })
})
