// `protocol` per host and per server: 'auto' lands on the newest revision both sides speak, on the
// live connection (server/discover first; a server without it is initialized on the same
// connection); a pinned revision the server lacks is a ServerStartError naming what it offered.
// Real bundled servers: dual (SDK v2 default), modern-only, legacy-only; stdio, memory, worker.
import { describe, expect, test } from 'vitest'
import { validateHostConfig } from '../../src/host/config/config.js'
import type { ServerConfig } from '../../src/host/config/config-types.js'
import { ConfigError } from '../../src/host/errors.js'
import { HostManager } from '../../src/host/host-manager.js'
import {
  DEFAULT_PROTOCOL,
  PROTOCOL_REVISIONS,
  type ProtocolSetting,
} from '../../src/launchers/client/protocol.js'
import { offeredRevisions, ServerStartError } from '../../src/launchers/errors.js'
import {
  misbehavingServer,
  weatherMemoryServer,
  weatherServer,
  weatherWorkerServer,
} from '../../src/servers/index.js'
import { rejectionOf } from '../support/assertions.js'
import { countingWeatherServer } from '../support/servers.js'

const TOKYO = 'Weather for Tokyo: Temp 25°C, Sunny, Humidity 50%'

async function landed(server: ServerConfig, hostProtocol?: ProtocolSetting): Promise<string | undefined> {
  await using host = await HostManager.start({
    servers: { s: server },
    ...(hostProtocol && { protocol: hostProtocol }),
  })
  expect(await host.callTool('weather_lookup', { location: 'Tokyo' })).toMatchObject({
    content: [{ type: 'text', text: TOKYO }],
  })
  return host.server('s').era
}

test('PROTOCOL_REVISIONS: the two revisions, newest last', () => {
  expect(PROTOCOL_REVISIONS).toEqual(['2025-11-25', '2026-07-28'])
  expect(Object.isFrozen(PROTOCOL_REVISIONS)).toBe(true)
})

test('the default is 2025-11-25 for now (DEFAULT_PROTOCOL), whatever the server speaks', async () => {
  expect(DEFAULT_PROTOCOL).toBe('2025-11-25')
  expect(await landed(weatherMemoryServer())).toBe('2025-11-25')
})

describe('auto lands on the newest revision both sides speak', () => {
  test.for([
    { what: 'a dual server over stdio', server: () => weatherServer(), era: '2026-07-28' },
    {
      what: 'a modern-only server over stdio',
      server: () => misbehavingServer('modern-only'),
      era: '2026-07-28',
    },
    {
      what: 'a legacy-only server over stdio',
      server: () => misbehavingServer('legacy-only'),
      era: '2025-11-25',
    },
    { what: 'an SDK v2 server in memory', server: () => weatherMemoryServer(), era: '2026-07-28' },
    { what: 'an SDK v2 server in a worker', server: () => weatherWorkerServer(), era: '2026-07-28' },
    { what: 'an SDK v1 server in memory', server: () => countingWeatherServer().config, era: '2025-11-25' },
  ])('$what: $era', async ({ server, era }) => {
    expect(await landed({ ...server(), protocol: 'auto' })).toBe(era)
    expect(await landed(server(), 'auto')).toBe(era)
  })
})

describe('pinned', () => {
  test('each revision a dual server speaks, by the server or by the host; the server’s own wins', async () => {
    expect(await landed({ ...weatherServer(), protocol: '2025-11-25' })).toBe('2025-11-25')
    expect(await landed({ ...weatherMemoryServer(), protocol: '2026-07-28' })).toBe('2026-07-28')
    expect(await landed(weatherMemoryServer(), '2025-11-25')).toBe('2025-11-25')
    expect(await landed({ ...weatherMemoryServer(), protocol: 'auto' }, '2025-11-25')).toBe('2026-07-28')
  })

  test("2025-11-25 to a modern-only server: ServerStartError 'protocol' naming what it offered", async () => {
    const error = await rejectionOf(
      HostManager.start({
        servers: { modern: { ...misbehavingServer('modern-only'), protocol: '2025-11-25' } },
      }),
    )
    expect(error).toBeInstanceOf(ServerStartError)
    expect(error).toMatchObject({ server: 'modern', reason: 'protocol', offered: ['2026-07-28'] })
    expect((error as Error).message.split('\n')[0]).toBe(
      'Server "modern" failed during initialize: Unsupported protocol version: 2025-11-25' +
        " (it speaks 2026-07-28: set its `protocol` to 'auto' or to a revision it speaks).",
    )
  })

  test("2026-07-28 to a legacy-only server: ServerStartError 'protocol' (not its exit) naming 2025-11-25", async () => {
    const error = await rejectionOf(
      HostManager.start({ servers: { old: misbehavingServer('legacy-only') }, protocol: '2026-07-28' }),
    )
    expect(error).toBeInstanceOf(ServerStartError)
    expect(error).toMatchObject({ server: 'old', reason: 'protocol', offered: ['2025-11-25'] })
    expect((error as Error).message.split('\n')[0]).toMatch(
      /^Server "old" failed during initialize: .*pinned protocol version 2026-07-28.* \(it speaks 2025-11-25: set its `protocol` to 'auto' or to a revision it speaks\)\.$/,
    )
  })
})

describe('validation', () => {
  test.for([
    {
      config: { servers: { w: { ...weatherServer(), protocol: '2024-11-05' } } },
      path: 'servers.w.protocol',
    },
    { config: { servers: { w: weatherServer() }, protocol: 'latest' }, path: 'protocol' },
  ])('$path: a ConfigError naming the values', ({ config, path }) => {
    let error: unknown
    try {
      validateHostConfig(config as never)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).path).toBe(path)
    expect((error as Error).message).toContain(`${path}: expected one of '2025-11-25', '2026-07-28', 'auto'`)
  })
})

describe('offeredRevisions', () => {
  test.for([
    {
      what: 'a -32022 with data.supported',
      cause: { code: -32022, data: { supported: ['2026-07-28'] } },
      offered: ['2026-07-28'],
    },
    {
      what: 'a pinned revision not offered by server/discover',
      cause: Object.assign(
        new Error('Version negotiation failed: the server did not offer pinned protocol version 2026-07-28'),
        { code: 'ERA_NEGOTIATION_FAILED' },
      ),
      offered: ['2025-11-25'],
    },
    {
      what: 'another code',
      cause: { code: -32601, data: { supported: ['2026-07-28'] } },
      offered: undefined,
    },
    { what: 'no data', cause: { code: -32022 }, offered: undefined },
    { what: 'supported not strings', cause: { code: -32022, data: { supported: [1] } }, offered: undefined },
    { what: 'not an object', cause: 'boom', offered: undefined },
  ])('$what', ({ cause, offered }) => {
    expect(offeredRevisions(cause)).toEqual(offered)
  })
})
