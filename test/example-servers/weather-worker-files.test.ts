// weatherWorkerServer({ files }): the bundled weather service in a thread whose fs is a volume.
import { expect, test } from 'vitest'
import { HostManager } from '../../src/host/host-manager.js'
import { weatherWorkerServer } from '../../src/servers/index.js'

test('the thread gets the files as its volume; server(name).files() returns them', {
  timeout: 30_000,
}, async () => {
  const files = { '/data/cities.json': '["Oslo"]' }
  const config = weatherWorkerServer({ files, requestTimeout: 5000 })
  expect(config).toMatchObject({ transport: 'worker', files, requestTimeout: 5000 })
  const host = await HostManager.start({ servers: { weather: config } })
  try {
    const result = await host.callTool('weather_lookup', { location: 'Tokyo' })
    expect(result.content).toEqual([
      { type: 'text', text: 'Weather for Tokyo: Temp 25°C, Sunny, Humidity 50%' },
    ])
    expect(host.server('weather').files()).toEqual(files)
  } finally {
    await host.shutdown()
  }
})
