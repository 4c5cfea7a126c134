// Host methods that 2026-07-28 lacks (ping, logging/setLevel) reject with a ConfigError naming the
// revision that has them, not with the SDK's own error, and send nothing; on 2025-11-25 they work.
import { McpServer } from '@modelcontextprotocol/server'
import { expect, test } from 'vitest'
import { ConfigError } from '../../src/host/errors.js'
import { HostManager } from '../../src/host/host-manager.js'
import type { ProtocolRevision } from '../../src/launchers/client/protocol.js'
import { rejectionOf } from '../support/assertions.js'

/** A v2 server declaring logging, in memory (it speaks both revisions). */
const logging = (protocol: ProtocolRevision) => ({
  transport: 'memory' as const,
  protocol,
  server: () => new McpServer({ name: 'logs', version: '1.0.0' }, { capabilities: { logging: {} } }),
})

test('on 2026-07-28: ping() and setLoggingLevel() are ConfigErrors naming 2025-11-25, nothing sent', async () => {
  await using host = await HostManager.start({ servers: { logs: logging('2026-07-28') } })
  expect(host.server('logs').era).toBe('2026-07-28')
  for (const [method, run] of [
    ['ping()', () => host.ping()],
    ['setLoggingLevel()', () => host.setLoggingLevel('debug', { server: 'logs' })],
  ] as const) {
    const error = await rejectionOf(run())
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).path).toBe('servers.logs.protocol')
    expect((error as Error).message).toContain(`landed on protocol 2026-07-28, which has no ${method}`)
    expect((error as Error).message).toContain("Pin the server's `protocol` to '2025-11-25'")
  }
  const sent = host.timeline.events.map((e) => e.event)
  expect(sent.filter((e) => e.includes('ping') || e.includes('logging/setLevel'))).toEqual([])
})

test('on 2025-11-25 both are sent and answered', async () => {
  await using host = await HostManager.start({ servers: { logs: logging('2025-11-25') } })
  await host.ping()
  await host.setLoggingLevel('debug', { server: 'logs' })
  const sent = host.timeline.events.map((e) => e.event)
  expect(sent.some((e) => e.includes('ping'))).toBe(true)
  expect(sent.some((e) => e.includes('logging/setLevel'))).toBe(true)
})
