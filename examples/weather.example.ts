// What testing an MCP server with vitest-mcp-host looks like: these tests pass.
import { test as base, expect } from 'vitest'
import { HostManager, type HostManagerFixtures, hostManager, PROTOCOL_REVISIONS } from 'vitest-mcp-host'
import { weatherServer } from 'vitest-mcp-host/servers'

const test = base.extend<HostManagerFixtures>({
  hostManager: hostManager({ servers: { weather: weatherServer() } }),
})

test('london is rainy', async ({ hostManager }) => {
  const result = await hostManager.callTool('weather_lookup', { location: 'London' })
  expect(result).toContainToolText('Weather for London: Temp 15°C, Rainy, Humidity 90%')
})

test('imperial units', async ({ hostManager }) => {
  const result = await hostManager.callTool('weather_lookup', { location: 'Tokyo', units: 'imperial' })
  expect(result).toContainToolText('77°F')
})

test('an unknown time zone is a tool error, not an exception', async ({ hostManager }) => {
  const result = await hostManager.callTool('current_time', { timezone: 'Mars/Olympus_Mons' })
  expect(result).toBeToolError()
})

test('tools, prompts and resources are listed with their server', async ({ hostManager }) => {
  await expect(hostManager).toHaveTool('weather_lookup')
  expect((await hostManager.listPrompts()).map((p) => `${p.server}/${p.name}`)).toContain(
    'weather/weather_assistant',
  )
  const cities = await hostManager.readResource('weather://cities')
  expect(cities.contents[0]).toMatchObject({ uri: 'weather://cities' })
})

// One test body on both protocol revisions (README "Protocol eras"); each case's name carries its revision.
test.for(PROTOCOL_REVISIONS)('london is rainy [%s]', async (protocol) => {
  await using host = await HostManager.start({ protocol, servers: { weather: weatherServer() } })
  expect(await host.callTool('weather_lookup', { location: 'London' })).toContainToolText('Rainy')
  expect(host.server('weather').era).toBe(protocol)
})
