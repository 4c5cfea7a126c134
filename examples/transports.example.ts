// The same weather service on every transport the host speaks: one test each, the same assertion.
import { test as base, expect } from 'vitest'
import { type HostManagerFixtures, hostManager } from 'vitest-mcp-host'
import {
  weatherHttpServer,
  weatherMemoryServer,
  weatherServer,
  weatherWorkerServer,
} from 'vitest-mcp-host/servers'

const transports = {
  'stdio (a child process)': weatherServer(),
  'Streamable HTTP (a spawned server on 127.0.0.1)': weatherHttpServer(),
  'in-memory (this thread)': weatherMemoryServer(),
  'worker thread (tinypool)': weatherWorkerServer(),
}

for (const [transport, server] of Object.entries(transports)) {
  const test = base.extend<HostManagerFixtures>({
    hostManager: hostManager({ servers: { weather: server } }),
  })
  test(`weather over ${transport}`, async ({ hostManager }) => {
    const result = await hostManager.callTool('weather_lookup', { location: 'London' })
    expect(result).toContainToolText('Weather for London: Temp 15°C, Rainy, Humidity 90%')
  })
}
