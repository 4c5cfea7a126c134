// What a host keeps once shut down: Vitest keeps every test's fixture values (the host among them)
// for the whole run, so a closed host must not hold its servers' clients and servers (issue 20).
import { setImmediate as nextTurn } from 'node:timers/promises'
import v8 from 'node:v8'
import vm from 'node:vm'
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { expect, test } from 'vitest'
import { createWeatherServer } from '../../example-servers/weather/service.js'
import { HostManager } from '../../src/index.js'
import '../../src/matchers/index.js'

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

/** Collects until `ref` is gone, a bounded number of times; true if it went. */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 10 && ref.deref() !== undefined; i++) {
    // A WeakRef's target lives to the end of the job that last read it: collect on a later turn.
    await nextTurn()
    gc()
  }
  return ref.deref() === undefined
}

test("a shut-down host, still referenced, lets its server and the server's client go; its handle still answers", async () => {
  let server: WeakRef<McpServer> | undefined
  const host = await HostManager.start({
    servers: {
      weather: {
        transport: 'memory',
        server: () => {
          const made = createWeatherServer()
          server = new WeakRef(made)
          return made
        },
      },
    },
  })
  const client = new WeakRef(host.client('weather'))
  expect(await host.callTool('weather_lookup', { location: 'London' })).toContainToolText('Rainy')
  await host.shutdown()
  expect(await collected(server as WeakRef<McpServer>)).toBe(true)
  expect(await collected(client)).toBe(true)
  // What a closed host still shows.
  expect(host.server('weather')).toMatchObject({ state: 'exited', transport: 'memory' })
  expect(host.notifications()).toEqual([])
})
