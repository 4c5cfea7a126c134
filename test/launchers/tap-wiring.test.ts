// Every launcher connects the host's client to a WireTap around its transport: the client side's
// `observe` gets the tap before any message travels, and sees the whole conversation on it
// (initialize paired with its answer, the landed version, the connection's end). Real servers:
// the bundled weather server over stdio, HTTP (spawned), memory and worker.
import { describe, expect, test } from 'vitest'
import type { ServerConfig } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'
import type { ClientSide } from '../../src/launchers/client/client.js'
import type { LaunchedServer, LaunchOptions } from '../../src/launchers/launcher.js'
import { DEFAULT_SHUTDOWN } from '../../src/launchers/processes/terminate.js'
import { Timeline } from '../../src/launchers/timeline.js'
import { launchHttp } from '../../src/launchers/transports/http/http.js'
import { launchMemory } from '../../src/launchers/transports/memory.js'
import { launchStdio } from '../../src/launchers/transports/stdio.js'
import { launchWorker } from '../../src/launchers/transports/worker/worker.js'
import { formatHostSummary, summarizeHost } from '../../src/report/host-summary.js'
import {
  weatherHttpServer,
  weatherMemoryServer,
  weatherServer,
  weatherWorkerServer,
} from '../../src/servers/index.js'
import type { PendingRequest, WireEvent } from '../../src/wire/tap-types.js'

interface Seen {
  events: WireEvent[]
  eras: string[]
  closed: (readonly PendingRequest[])[]
}

function launch(config: ServerConfig, options: LaunchOptions): Promise<LaunchedServer> {
  switch (config.transport) {
    case 'stdio':
      return launchStdio('weather', config, options)
    case 'http':
      return launchHttp('weather', config, options)
    case 'memory':
      return launchMemory('weather', config, options)
    case 'worker':
      return launchWorker('weather', config, options)
  }
}

const methodOf = (e: WireEvent) => ('method' in e.message ? e.message.method : undefined)

describe.each([
  ['stdio', () => weatherServer()],
  ['http', () => weatherHttpServer()],
  ['memory', () => weatherMemoryServer()],
  ['worker', () => weatherWorkerServer()],
] as const)('over %s', (transport, config) => {
  test.for([
    { protocol: '2025-11-25', first: 'initialize', era: '2025-11-25' },
    { protocol: 'auto', first: 'server/discover', era: '2026-07-28' },
  ] as const)(
    '$protocol: the tap sees $first paired with its answer, the landed version ($era), a call, and the end',
    async ({ protocol, first: firstMethod, era }) => {
      // One tap per connection: a spawned HTTP server is tried again until it listens, a new one each time.
      const taps: Seen[] = []
      const timeline = new Timeline('server "weather"')
      const side: ClientSide = {
        server: 'weather',
        timeline,
        protocol,
        observe: (tap) => {
          const seen: Seen = { events: [], eras: [], closed: [] }
          taps.push(seen)
          tap.listen({
            inbound: (e) => {
              seen.events.push(e)
              return undefined
            },
            outbound: (e) => seen.events.push(e),
            era: (version) => seen.eras.push(version),
            close: (pending) => seen.closed.push(pending),
          })
        },
      }
      const options: LaunchOptions = {
        startupTimeout: 15_000,
        shutdown: DEFAULT_SHUTDOWN,
        timeline,
        onNoise: () => {},
        client: side,
      }
      const server = await launch(config(), options)
      const seen = taps.at(-1) as Seen
      try {
        if (transport !== 'http') expect(taps).toHaveLength(1)
        const [first] = seen.events
        expect(first && { dir: first.dir, method: methodOf(first) }).toEqual({
          dir: 'out',
          method: firstMethod,
        })
        const answered = seen.events.find((e) => e.dir === 'in' && e.request?.method === firstMethod)
        expect(answered?.request?.origin).toBe('client')
        expect(seen.eras).toEqual([era])
        expect(timeline.events.filter((e) => e.event === 'era').map((e) => e.detail)).toEqual([era])

        await server.client.callTool({ name: 'weather_lookup', arguments: { location: 'Tokyo' } })
        const call = seen.events.find((e) => e.dir === 'in' && e.request?.method === 'tools/call')
        expect(call?.request?.params).toMatchObject({ name: 'weather_lookup' })
      } finally {
        await server.stop()
      }
      // The connection's end reaches the tap's listeners once, with nothing left unanswered.
      expect(seen.closed).toEqual([[]])
    },
  )
})

describe('the landed revision, as the host shows it', () => {
  test('server(name).era is undefined before the connection and the revision after; the summary names it', async () => {
    await using host = await HostManager.start({ servers: {} })
    const adding = host.addServer('weather', weatherMemoryServer())
    expect(host.server('weather').era).toBeUndefined()
    await adding
    expect(host.server('weather').era).toBe('2025-11-25')
    const summary = summarizeHost(host, 'host of this test', 0, [])
    expect(summary.servers[0]?.era).toBe('2025-11-25')
    expect(formatHostSummary(summary)).toContain('server "weather" (memory, protocol 2025-11-25) ready')
  })
})
