// serveInProcess, the serving side of the memory and worker launchers: an SDK v2 server on both
// revisions (the factory asked again when an era decision needs another instance), an SDK 1.x one on
// 2025-11-25 only; and the bundled weather servers' multi-round-trip tool through today's host.
import { InMemoryTransport, SdkError, SdkErrorCode } from '@modelcontextprotocol/client'
import { describe, expect, test } from 'vitest'
import { alertTexts } from '../../example-servers/weather/alerts.js'
import { createWeatherMcpServer } from '../../example-servers/weather/server.js'
import { createWeatherServer } from '../../example-servers/weather/service.js'
import type { ServerConfig } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'
import { isV2Server, serveInProcess } from '../../src/launchers/transports/serve-in-process.js'
import {
  weatherHttpServer,
  weatherMemoryServer,
  weatherServer,
  weatherWorkerServer,
} from '../../src/servers/index.js'
import { rejectionOf } from '../support/assertions.js'
import { inMemory, REVISIONS, textOf, v2Client } from './v2-clients.js'

const [LEGACY, MODERN] = REVISIONS as [(typeof REVISIONS)[0], (typeof REVISIONS)[0]]

describe('which servers are SDK v2 (by shape)', () => {
  test('a v2 McpServer and its low-level Server are; a 1.x McpServer and its Server are not', () => {
    const v2 = createWeatherMcpServer()
    const v1 = createWeatherServer()
    expect([isV2Server(v2), isV2Server(v2.server)]).toEqual([true, true])
    expect([isV2Server(v1), isV2Server(v1.server)]).toEqual([false, false])
  })
})

describe('an SDK 1.x server in memory: connect(), 2025-11-25 only', () => {
  test('legacy works; pinned to 2026-07-28 the negotiation fails', async () => {
    const legacy = await inMemory(createWeatherServer(), () => createWeatherServer(), v2Client(LEGACY))
    try {
      expect(legacy.client.getNegotiatedProtocolVersion()).toBe('2025-11-25')
      const result = await legacy.client.callTool({
        name: 'weather_lookup',
        arguments: { location: 'London' },
      })
      expect(textOf(result)).toContain('Rainy')
    } finally {
      await legacy.close()
    }
    const error = await rejectionOf(
      inMemory(createWeatherServer(), () => createWeatherServer(), v2Client(MODERN)),
    )
    expect((error as SdkError).code).toBe(SdkErrorCode.EraNegotiationFailed)
  })
})

describe('an SDK v2 server in memory: serveStdio(factory, { transport })', () => {
  test('a client that probes server/discover, then falls back to initialize: the factory is asked again, the probe instance closed', async () => {
    const probe = createWeatherMcpServer({ name: 'probe' })
    let closedProbe = false
    // The entry is given the low-level Server (McpServer.close() only forwards to it).
    const close = probe.server.close.bind(probe.server)
    probe.server.close = async () => {
      closedProbe = true
      await close()
    }
    const made: string[] = []
    const again = () => {
      made.push('again')
      return createWeatherMcpServer({ name: 'pinned' })
    }
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
    const served = await serveInProcess(probe, serverSide, { again })
    expect(served.served).toBe('v2')
    const answers: unknown[] = []
    const answered = (count: number) =>
      new Promise<void>((resolve) => {
        clientSide.onmessage = (message) => {
          answers.push(message)
          if (answers.length === count) resolve()
        }
      })
    await clientSide.start()
    let next = answered(1)
    await clientSide.send({
      jsonrpc: '2.0',
      id: 1,
      method: 'server/discover',
      params: {
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1.0.0' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    })
    await next
    expect(made).toEqual([])
    next = answered(2)
    await clientSide.send({
      jsonrpc: '2.0',
      id: 2,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'raw', version: '1.0.0' },
      },
    })
    await next
    expect(answers[1]).toMatchObject({ id: 2, result: { serverInfo: { name: 'pinned' } } })
    expect(made).toEqual(['again'])
    expect(closedProbe).toBe(true)
    await served.close()
  })

  test('a server never asked for (no message arrived) is closed by close()', async () => {
    const server = createWeatherMcpServer()
    let closed = false
    server.close = async () => {
      closed = true
    }
    const [, serverSide] = InMemoryTransport.createLinkedPair()
    const served = await serveInProcess(server, serverSide, { again: () => createWeatherMcpServer() })
    await served.close()
    expect(closed).toBe(true)
  })
})

describe("subscribe_alerts through today's host (2025-11-25): its elicitation handler answers", () => {
  const configs: Array<{ transport: string; config: ServerConfig }> = [
    { transport: 'stdio', config: weatherServer({ alerts: true }) },
    { transport: 'http', config: weatherHttpServer({ alerts: true }) },
    { transport: 'memory', config: weatherMemoryServer({ alerts: true }) },
    { transport: 'worker', config: weatherWorkerServer({ alerts: true }) },
  ]
  test.for(configs)('over $transport', { timeout: 30_000 }, async ({ config }) => {
    const asked: unknown[] = []
    const host = await HostManager.start({
      servers: { weather: config },
      client: {
        elicitation: (params) => {
          asked.push(params)
          return { action: 'accept', content: { confirm: true } }
        },
      },
    })
    try {
      const result = await host.callTool('subscribe_alerts', { location: 'Lima' })
      expect(textOf(result)).toBe(alertTexts.subscribed('Lima'))
      expect(asked).toEqual([expect.objectContaining({ message: alertTexts.question('Lima') })])
    } finally {
      await host.shutdown()
    }
  })
})
