// `protocol: 'auto'` over Streamable HTTP against real servers of each era: server-everything (SDK v1,
// 2025-11-25 only) lands on 2025-11-25 and works; the SDK v2 stand-in (both revisions) lands on
// 2026-07-28, and its own request log shows the host never sent a session id nor a DELETE.
import { describe, expect, test, vi } from 'vitest'
import { HostManager } from '../../src/host/host-manager.js'
import { EVERYTHING_BASE_TOOLS, everythingServer } from '../support/server-everything.js'
import { httpRequestsLogged, v2EverythingServer } from '../support/v2-everything.js'

// server-everything alone takes ~2 s to start and stop; room for a loaded machine.
vi.setConfig({ testTimeout: 30_000 })

const textOf = (result: { content?: unknown }) =>
  ((result.content ?? []) as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n')

const events = (host: HostManager) => host.entries[0]?.timeline.events.map((e) => e.event) ?? []

describe("protocol: 'auto' over HTTP", () => {
  test('server-everything (v1, 2025-11-25 only): lands on 2025-11-25, its tools work, its session ends with DELETE', async () => {
    const host = await HostManager.start({
      protocol: 'auto',
      servers: { everything: everythingServer('http') },
    })
    const handle = host.server('everything')
    try {
      expect(handle.era).toBe('2025-11-25')
      expect((await host.listTools()).map((t) => t.name).sort()).toEqual(EVERYTHING_BASE_TOOLS)
      expect(textOf(await host.callTool('echo', { message: 'auto' }))).toBe('Echo: auto')
      expect(textOf(await host.callTool('get-sum', { a: 2, b: 40 }))).toContain('42')
    } finally {
      await host.shutdown()
    }
    expect(handle.state).toBe('exited')
    expect(events(host)).toContain('session-terminated')
    expect(host.wireLedger.list().filter((r) => !r.listed)).toEqual([])
  })

  test('the v2 server: lands on 2026-07-28; no request carried a session id, none was a DELETE', async () => {
    const host = await HostManager.start({ protocol: 'auto', servers: { v2: v2EverythingServer('http') } })
    const handle = host.server('v2')
    try {
      expect(handle.era).toBe('2026-07-28')
      expect(textOf(await host.callTool('echo', { message: 'auto' }))).toBe('Echo: auto')
    } finally {
      await host.shutdown()
    }
    expect(handle.state).toBe('exited')
    const requests = httpRequestsLogged(handle.stderr())
    // No tools/list: the wire check lists a server's tools only when a result carries structuredContent.
    expect(requests.map((r) => r.method)).toEqual(['server/discover', 'tools/call'])
    expect(requests.every((r) => r.verb === 'POST' && r.session === '-' && r.version === '2026-07-28')).toBe(
      true,
    )
    expect(events(host)).not.toContain('session-terminated')
    expect(events(host)).not.toContain('session-not-terminated')
  })

  test('the same log, pinned to 2025-11-25: a session id on every request after initialize, and the DELETE', async () => {
    const host = await HostManager.start({
      protocol: '2025-11-25',
      servers: { v2: v2EverythingServer('http') },
    })
    const handle = host.server('v2')
    try {
      expect(handle.era).toBe('2025-11-25')
      expect(textOf(await host.callTool('echo', { message: 'legacy' }))).toBe('Echo: legacy')
    } finally {
      await host.shutdown()
    }
    const [initialize, ...rest] = httpRequestsLogged(handle.stderr())
    expect(initialize).toMatchObject({ verb: 'POST', session: '-' })
    expect(rest.length).toBeGreaterThan(0)
    const session = rest[0]?.session
    expect(session).toMatch(/^[0-9a-f-]{36}$/)
    expect(rest.every((r) => r.session === session)).toBe(true)
    expect(rest.at(-1)?.verb).toBe('DELETE')
    expect(events(host)).toContain('session-terminated')
  })
})
