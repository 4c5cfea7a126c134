// toHavePrompt, toHaveResource, toHaveResourceTemplate: asked of a real host (an in-memory weather
// server) or looked up in a list; pass, message, `.not`.
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
})
afterAll(() => host.shutdown())

describe('toHavePrompt', () => {
  test('asks a HostManager, or looks in a prompt list', async () => {
    await expect(host).toHavePrompt('weather_assistant')
    await expect(host).not.toHavePrompt('travel_planner')
    await expect(host.listPrompts()).resolves.toHavePrompt('weather_assistant')
    expect(await failureOf(() => expect(host).toHavePrompt('travel_planner'))).toBe(
      'expected prompts ["weather_assistant"] to include "travel_planner"',
    )
    expect(await failureOf(() => expect(host).not.toHavePrompt('weather_assistant'))).toBe(
      'expected prompts ["weather_assistant"] not to include "weather_assistant"',
    )
    expect(await failureOf(() => expect('weather_assistant').toHavePrompt('weather_assistant'))).toBe(
      'toHavePrompt() expects a HostManager or a list of prompts',
    )
  })
})

describe('toHaveResource', () => {
  test('asks a HostManager, or looks in a resource list, by URI', async () => {
    await expect(host).toHaveResource('weather://cities')
    await expect(host).not.toHaveResource('weather://alerts')
    await expect(host.listResources()).resolves.toHaveResource('weather://cities')
    expect(await failureOf(() => expect(host).toHaveResource('weather://alerts'))).toBe(
      'expected resources ["weather://cities"] to include "weather://alerts"',
    )
  })
})

describe('toHaveResourceTemplate', () => {
  test('asks a HostManager, or looks in a template list, by URI template', async () => {
    // The weather server offers no template: the host has none, a list in hand does.
    await expect(host).not.toHaveResourceTemplate('weather://city/{name}')
    expect(await failureOf(() => expect(host).toHaveResourceTemplate('weather://city/{name}'))).toBe(
      'expected resource templates [] to include "weather://city/{name}"',
    )
    const templates = [{ name: 'city', uriTemplate: 'weather://city/{name}' }]
    await expect(templates).toHaveResourceTemplate('weather://city/{name}')
    await expect(templates).not.toHaveResourceTemplate('weather://town/{name}')
  })
})

test('types: the offer matchers return a promise to await', () => {
  expectTypeOf(expect(host).toHavePrompt).returns.toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect(host).toHaveResource).parameter(0).toEqualTypeOf<string>()
  expectTypeOf(expect(host).toHaveResourceTemplate).returns.toEqualTypeOf<Promise<void>>()
})
