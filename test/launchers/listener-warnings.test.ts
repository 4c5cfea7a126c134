// The library's own listeners never pass Node's limit of 10 per emitter, whatever a server or a
// caller does: no MaxListenersExceededWarning from a server flooding the host with requests, from
// routing over many servers under one call, or from many calls sharing one AbortSignal.
import { expect, test } from 'vitest'
import { AmbiguousToolError } from '../../src/host/errors.js'
import { HostManager } from '../../src/host/host-manager.js'
import { rejectionOf } from '../support/assertions.js'
import { countingWeatherServer, rawStdioServer } from '../support/servers.js'
import { maxListenerWarnings } from '../support/warnings.js'
import { markEnv, markedServers } from './process-helpers.js'

const mark = markedServers()

test('a stdio server sending 10,000 requests while not reading its stdin: every answer waits on one drain', async () => {
  const warnings = await maxListenerWarnings(async () => {
    const config = rawStdioServer(['--ping-flood=10000'], markEnv(mark('ping-flood')))
    await using host = await HostManager.start({ servers: { flood: config } })
    const result = await host.callTool('echo', {}, { timeout: 30_000 })
    expect(result.content).toEqual([{ type: 'text', text: 'pinged' }])
  })
  expect(warnings).toEqual([])
}, 60_000)

test('routing one call over 12 servers: one listener on its signal', async () => {
  const servers = Object.fromEntries(
    Array.from({ length: 12 }, (_, i) => [`s${i}`, countingWeatherServer().config]),
  )
  const warnings = await maxListenerWarnings(async () => {
    await using host = await HostManager.start({ servers })
    const error = await rejectionOf(host.callTool('weather_lookup', { location: 'Oslo' }))
    expect(error).toBeInstanceOf(AmbiguousToolError)
  })
  expect(warnings).toEqual([])
})

test("12 calls at once under one caller's signal: one listener on it", async () => {
  const shared = new AbortController()
  const warnings = await maxListenerWarnings(async () => {
    await using host = await HostManager.start({ servers: { weather: countingWeatherServer().config } })
    const calls = Array.from({ length: 12 }, () =>
      host.callTool('weather_lookup', { location: 'Oslo' }, { signal: shared.signal }),
    )
    expect(await Promise.all(calls)).toHaveLength(12)
  })
  expect(warnings).toEqual([])
})
