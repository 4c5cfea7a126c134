// setLoggingLevel() on both revisions against the v2-built notes server (test/fixtures/v2-server), in
// memory and over stdio: on 2025-11-25 a logging/setLevel request; on 2026-07-28 (no such method) the
// level travels in the _meta of every later request, the host's and those sent through client(name),
// and the server's log messages below it stop arriving.
import { describe, expect, test } from 'vitest'
import { HostManager } from '../../src/host/host-manager.js'
import { LOG_LEVEL_META_KEY } from '../../src/wire/tap.js'
import { notesCases, notesTransports } from '../fixtures/v2-server/notes-transports.js'

/** The log messages `host` received so far, as `level data`. */
const logs = (host: HostManager) =>
  host
    .notifications({ method: 'notifications/message' })
    .map((n) => n.params as { level: string; data: unknown })
    .map((p) => `${p.level} ${String(p.data)}`)

/** Every request the host sent `server` from now on, as the wire carried it. */
function outbound(host: HostManager, server: string) {
  const seen: Array<{ method: string; meta: Record<string, unknown> }> = []
  const client = host.client(server)
  const transport = client.transport as unknown as {
    listen(l: { outbound(e: { message: unknown }): void }): void
  }
  transport.listen({
    outbound({ message }) {
      const m = message as { id?: unknown; method?: string; params?: { _meta?: Record<string, unknown> } }
      if (m.id !== undefined && m.method) seen.push({ method: m.method, meta: m.params?._meta ?? {} })
    },
  })
  return seen
}

describe.each(notesCases)('setLoggingLevel() [$transport, $protocol]', ({ transport, protocol }) => {
  test('log messages below the level stop arriving', { timeout: 30_000 }, async () => {
    await using host = await HostManager.start({ servers: { notes: notesTransports[transport](protocol) } })
    expect(host.server('notes').era).toBe(protocol)

    await host.setLoggingLevel('debug', { server: 'notes' })
    await host.callTool('log_steps', { steps: 1 })
    expect(logs(host)).toEqual(['info step 1', 'debug done'])

    await host.setLoggingLevel('info')
    await host.callTool('log_steps', { steps: 2 })
    expect(logs(host)).toEqual(['info step 1', 'debug done', 'info step 1', 'info step 2'])

    // Through the SDK client the test gets: the same level (on 2026-07-28 the tap adds it to _meta).
    await host.client('notes').callTool({ name: 'log_steps', arguments: { steps: 1 } })
    expect(logs(host).slice(4)).toEqual(['info step 1'])

    const setLevel = host.timeline.events.filter((e) => e.event.includes('logging/setLevel'))
    expect(setLevel.length).toBe(protocol === '2025-11-25' ? 2 : 0)
  })
})

describe('on 2026-07-28', () => {
  test('no level set: the v2 server sends no log messages (it logs only when asked)', async () => {
    await using host = await HostManager.start({ servers: { notes: notesTransports.memory('2026-07-28') } })
    await host.callTool('log_steps', { steps: 1 })
    expect(logs(host)).toEqual([])
  })

  test("every later request carries the level in _meta, the host's and client(name)'s", async () => {
    await using host = await HostManager.start({ servers: { notes: notesTransports.memory('2026-07-28') } })
    const sent = outbound(host, 'notes')
    await host.listTools()
    await host.setLoggingLevel('warning')
    await host.readResource('notes://index')
    await host.client('notes').listPrompts()
    await host.client('notes').callTool({
      name: 'log_steps',
      arguments: { steps: 1 },
      _meta: { [LOG_LEVEL_META_KEY]: 'debug' },
    })
    expect(sent.map((s) => [s.method, s.meta[LOG_LEVEL_META_KEY]])).toEqual([
      ['tools/list', undefined],
      ['resources/read', 'warning'],
      ['prompts/list', 'warning'],
      // A level the sender put in _meta itself is kept.
      ['tools/call', 'debug'],
    ])
    expect(logs(host)).toEqual(['info step 1', 'debug done'])
    expect(host.server('notes').era).toBe('2026-07-28')
    const set = host.entries[0]?.timeline.events.find((e) => e.event === 'log-level')
    expect(set?.detail).toBe('warning, sent in _meta with every later request')
  })
})
