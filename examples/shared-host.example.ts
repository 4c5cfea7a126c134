// One server for the whole file: `scope: 'file'` starts it once, in its own owner scope.
import { test as base, expect } from 'vitest'
import { type HostManagerFixtures, hostManager } from 'vitest-mcp-host'
import { weatherServer } from 'vitest-mcp-host/servers'

const test = base.extend<HostManagerFixtures>({
  hostManager: hostManager({ servers: { weather: weatherServer() } }, { scope: 'file' }),
})

const pids = new Set<number | undefined>()

test('first call', async ({ hostManager }) => {
  pids.add(hostManager.server('weather').pid)
  expect(await hostManager.callTool('weather_lookup', { location: 'New York' })).toContainToolText(
    'Partly Cloudy',
  )
})

test('second call reuses the same process', async ({ hostManager }) => {
  pids.add(hostManager.server('weather').pid)
  expect(pids.size).toBe(1)
})
