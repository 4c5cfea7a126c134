// The bundled weather servers (SDK v2) on both protocol revisions, spoken to by a raw v2 client over
// every transport they are served on: stdio and HTTP (the bundles), memory (serveInProcess, as the
// memory launcher serves it) and a worker thread (the real worker entry), plus `subscribe_alerts`,
// the multi-round-trip tool, answered by the same `elicitation/create` handler on both.
import { describe, expect, test } from 'vitest'
import { alertTexts } from '../../example-servers/weather/alerts.js'
import { createWeatherMcpServer } from '../../example-servers/weather/server.js'
import { bundlePath } from '../../src/servers/index.js'
import {
  type Asker,
  accepting,
  type Connection,
  inMemory,
  inWorker,
  overHttp,
  overStdio,
  REVISIONS,
  type Revision,
  textOf,
  v2Client,
} from './v2-clients.js'

// Spawned servers start in ~1 s here, several times that on a loaded machine.
const SPAWNED = { timeout: 30_000 }

type Connect = (revision: Revision, alerts: boolean, asker?: Asker) => Promise<Connection>

const TRANSPORTS: ReadonlyArray<{ transport: string; connect: Connect }> = [
  {
    transport: 'stdio',
    connect: (revision, alerts, asker) =>
      overStdio([bundlePath('weather'), ...(alerts ? ['--alerts'] : [])], v2Client(revision, asker)),
  },
  {
    transport: 'http',
    connect: (revision, alerts, asker) =>
      overHttp([bundlePath('weather-http'), ...(alerts ? ['--alerts'] : [])], v2Client(revision, asker)),
  },
  {
    transport: 'memory',
    connect: (revision, alerts, asker) => {
      const make = () => createWeatherMcpServer({ alerts })
      return inMemory(make(), make, v2Client(revision, asker))
    },
  },
  {
    transport: 'worker',
    connect: (revision, alerts, asker) =>
      inWorker(bundlePath('weather-worker'), v2Client(revision, asker), { workerData: { alerts } }),
  },
]

async function using<T>(connecting: Promise<Connection>, body: (c: Connection) => Promise<T>): Promise<T> {
  const connection = await connecting
  try {
    return await body(connection)
  } finally {
    await connection.close()
  }
}

describe.for(TRANSPORTS)('the weather server over $transport', ({ connect }) => {
  test.for(REVISIONS)('serves its tools, prompt and resource [$revision]', SPAWNED, async (revision) => {
    await using(connect(revision, false), async ({ client }) => {
      expect(client.getProtocolEra()).toBe(revision.era)
      expect(client.getNegotiatedProtocolVersion()).toBe(revision.revision)
      const { tools } = await client.listTools()
      expect(tools.map((tool) => tool.name).sort()).toEqual(['current_time', 'weather_lookup'])
      const london = await client.callTool({ name: 'weather_lookup', arguments: { location: 'London' } })
      expect(textOf(london)).toBe('Weather for London: Temp 15°C, Rainy, Humidity 90%')
      const mars = await client.callTool({
        name: 'current_time',
        arguments: { timezone: 'Mars/Olympus_Mons' },
      })
      expect(mars.isError).toBe(true)
      const prompt = await client.getPrompt({ name: 'weather_assistant', arguments: { user_name: 'Ada' } })
      expect(prompt.messages[0]?.content).toMatchObject({
        type: 'text',
        text: expect.stringContaining('Ada'),
      })
      const { contents } = await client.readResource({ uri: 'weather://cities' })
      expect(JSON.parse((contents[0] as { text: string }).text)).toEqual([
        'San Francisco',
        'New York',
        'London',
        'Tokyo',
      ])
    })
  })

  test.for(REVISIONS)(
    'subscribe_alerts asks to confirm, then subscribes [$revision]',
    SPAWNED,
    async (revision) => {
      const asker = accepting({ confirm: true })
      await using(connect(revision, true, asker), async ({ client }) => {
        const { tools } = await client.listTools()
        expect(tools.map((tool) => tool.name)).toContain('subscribe_alerts')
        const result = await client.callTool({ name: 'subscribe_alerts', arguments: { location: 'Oslo' } })
        expect(textOf(result)).toBe(alertTexts.subscribed('Oslo'))
        expect(asker.asked).toEqual([
          expect.objectContaining({
            message: alertTexts.question('Oslo'),
            requestedSchema: expect.any(Object),
          }),
        ])
      })
    },
  )

  test.for(REVISIONS)('subscribe_alerts declined: not subscribed [$revision]', SPAWNED, async (revision) => {
    const asker: Asker = { asked: [], answer: { action: 'decline' } }
    await using(connect(revision, true, asker), async ({ client }) => {
      const result = await client.callTool({ name: 'subscribe_alerts', arguments: { location: 'Oslo' } })
      expect(textOf(result)).toBe(alertTexts.declined('Oslo'))
      expect(asker.asked).toHaveLength(1)
    })
  })
})
