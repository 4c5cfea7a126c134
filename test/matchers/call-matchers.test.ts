// toHaveCalledTool against a real host (an in-memory weather server): calls through the host and
// through its SDK client both count; times, args (asymmetric too), `.not`, and the failure messages.
import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from 'vitest'
import { createWeatherServer } from '../../example-servers/weather/service.js'
import { HostManager } from '../../src/host/host-manager.js'
import '../../src/matchers/index.js'
import { failureOf } from './failure-of.js'

let host: HostManager

beforeAll(async () => {
  host = await HostManager.start({
    servers: { weather: { transport: 'memory', server: createWeatherServer } },
  })
  await host.callTool('weather_lookup', { location: 'London' })
  await host.callTool('weather_lookup', { location: 'Tokyo', units: 'imperial' })
  // The SDK client's own call: the host sent it too.
  await host.client('weather').callTool({ name: 'current_time', arguments: { timezone: 'UTC' } })
})
afterAll(() => host.shutdown())

describe('toHaveCalledTool', () => {
  test('counts the calls the host sent, any route, by name or server/name', () => {
    expect(host).toHaveCalledTool('weather_lookup')
    expect(host).toHaveCalledTool('weather_lookup', { times: 2 })
    expect(host).toHaveCalledTool('weather/current_time', { times: 1 })
    expect(host).not.toHaveCalledTool('weather_forecast')
    expect(host).not.toHaveCalledTool('other/current_time')
  })

  test('with args, counts only calls with equal arguments (asymmetric matchers allowed)', () => {
    expect(host).toHaveCalledTool('weather_lookup', { args: { location: 'London' } })
    expect(host).toHaveCalledTool('weather_lookup', {
      args: { location: 'Tokyo', units: 'imperial' },
      times: 1,
    })
    expect(host).toHaveCalledTool('weather_lookup', { args: expect.objectContaining({ location: 'Tokyo' }) })
    expect(host).toHaveCalledTool('weather_lookup', { args: { location: expect.any(String) }, times: 1 })
    expect(host).not.toHaveCalledTool('weather_lookup', { args: { location: 'Paris' } })
  })

  test('fails listing the calls of that tool with their arguments', async () => {
    expect(await failureOf(() => expect(host).toHaveCalledTool('weather_lookup', { times: 3 }))).toBe(
      'expected the host to have called "weather_lookup" 3 times; it did 2 times\n\n' +
        'Calls of "weather_lookup":\n' +
        '  weather/weather_lookup {"location":"London"}\n' +
        '  weather/weather_lookup {"location":"Tokyo","units":"imperial"}',
    )
    const paris = await failureOf(() =>
      expect(host).toHaveCalledTool('weather_lookup', { args: { location: 'Paris' } }),
    )
    expect(paris).toMatch(
      /^expected the host to have called "weather_lookup" with \{"location": "Paris"\}; it did 0 times with these arguments \(2 times in all\)/,
    )
    expect(await failureOf(() => expect(host).not.toHaveCalledTool('current_time'))).toMatch(
      /^expected the host not to have called "current_time"; it did 1 time\n\nCalls of "current_time":\n {2}weather\/current_time \{"timezone":"UTC"\}$/,
    )
    expect(await failureOf(() => expect(host).toHaveCalledTool('weather_forecast'))).toBe(
      'expected the host to have called "weather_forecast"; it did 0 times',
    )
  })

  test('says what it expects', async () => {
    expect(await failureOf(() => expect([]).toHaveCalledTool('weather_lookup'))).toBe(
      'toHaveCalledTool() expects a HostManager',
    )
    expect(await failureOf(() => expect(host).toHaveCalledTool('weather_lookup', { times: -1 }))).toBe(
      'toHaveCalledTool() expects { times } to be an integer ≥ 0',
    )
  })
})

test('types: toHaveCalledTool is synchronous', () => {
  expectTypeOf(expect(host).toHaveCalledTool).returns.toEqualTypeOf<void>()
  expectTypeOf(expect(host).toHaveCalledTool)
    .parameter(1)
    .toEqualTypeOf<{ times?: number; args?: Record<string, unknown> } | undefined>()
})
