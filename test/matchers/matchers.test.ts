// The expect matchers, registered by `vitest-mcp-host/matchers`, against real tool results from an
// in-memory weather server: what passes, what fails with which message, and their types.
import type { CallToolResult } from '@modelcontextprotocol/client'
import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from 'vitest'
import { z } from 'zod'
import { createWeatherServer } from '../../example-servers/weather/service.js'
import { HostManager } from '../../src/host/host-manager.js'
import '../../src/matchers/index.js'
import { failureOf } from './failure-of.js'

let host: HostManager
let london: CallToolResult
let badZone: CallToolResult

beforeAll(async () => {
  host = await HostManager.start({
    servers: { weather: { transport: 'memory', server: createWeatherServer } },
  })
  london = await host.callTool('weather_lookup', { location: 'London' })
  badZone = await host.callTool('current_time', { timezone: 'Mars/Olympus_Mons' })
})
afterAll(() => host.shutdown())

describe('toContainToolText', () => {
  test('passes on a substring or a RegExp of the text content, and fails with the text', async () => {
    expect(london).toContainToolText('Rainy')
    expect(london).toContainToolText(/Temp 15°C/)
    expect(london).not.toContainToolText('Sunny')
    expect(await failureOf(() => expect(london).toContainToolText('Sunny'))).toBe(
      'expected tool result text "Weather for London: Temp 15°C, Rainy, Humidity 90%" to contain Sunny',
    )
    expect(await failureOf(() => expect(london).not.toContainToolText('Rainy'))).toContain(
      'not to contain Rainy',
    )
  })

  test('says what it expects when given something other than a tool result', async () => {
    expect(await failureOf(() => expect('Rainy').toContainToolText('Rainy'))).toBe(
      'toContainToolText() expects a CallToolResult (the value of hostManager.callTool())',
    )
  })

  test('works inside other matchers, asymmetrically', () => {
    expect({ result: london }).toEqual({ result: expect.toContainToolText('London') })
    expect({ result: london }).not.toEqual({ result: expect.toContainToolText('Tokyo') })
  })
})

describe('toBeToolError', () => {
  test('passes on an isError result, optionally with its text; fails on a success', async () => {
    expect(badZone).toBeToolError()
    expect(badZone).toBeToolError(/Mars\/Olympus_Mons/)
    expect(london).not.toBeToolError()
    expect(await failureOf(() => expect(london).toBeToolError())).toMatch(
      /^expected tool result \(isError: false, text "Weather for London: .*"\) to be a tool error$/,
    )
    expect(await failureOf(() => expect(badZone).toBeToolError('London'))).toContain(
      'to be a tool error containing London',
    )
  })
})

describe('toHaveTool', () => {
  test('asks a HostManager for its tools, or looks in a tool list', async () => {
    await expect(host).toHaveTool('weather_lookup')
    await expect(host).not.toHaveTool('weather_forecast')
    const { tools } = await host.listTools().then((list) => ({ tools: list }))
    await expect(tools).toHaveTool('current_time')
    expect(await failureOf(() => expect(host).toHaveTool('weather_forecast'))).toBe(
      'expected tools [weather_lookup, current_time] to include "weather_forecast"',
    )
    expect(await failureOf(() => expect('weather_lookup').toHaveTool('weather_lookup'))).toBe(
      'toHaveTool() expects a HostManager or a tool list',
    )
  })
})

describe('toMatchToolSchema', () => {
  const reading = z.object({ city: z.string(), tempC: z.number() })

  test('checks structured content, else the text parsed as JSON', async () => {
    const structured: CallToolResult = { content: [], structuredContent: { city: 'London', tempC: 15 } }
    const asText: CallToolResult = { content: [{ type: 'text', text: '{"city":"Tokyo","tempC":25}' }] }
    expect(structured).toMatchToolSchema(reading)
    expect(asText).toMatchToolSchema(reading)
    expect(london).not.toMatchToolSchema(reading)
    const message = await failureOf(() => expect(london).toMatchToolSchema(reading))
    expect(message).toMatch(/^expected tool result ".*" to match the schema: /)
    expect(message).toContain('expected object, received string')
    const wrongField: CallToolResult = { content: [], structuredContent: { city: 'London', tempC: 'cold' } }
    expect(await failureOf(() => expect(wrongField).toMatchToolSchema(reading))).toMatch(
      /"path": \[\s*"tempC"\s*\]/,
    )
  })
})

test('types: synchronous matchers return void, toHaveTool a promise to await', () => {
  expectTypeOf(expect(london).toContainToolText).returns.toEqualTypeOf<void>()
  expectTypeOf(expect(london).toBeToolError).parameter(0).toEqualTypeOf<string | RegExp | undefined>()
  expectTypeOf(expect(host).toHaveTool).returns.toEqualTypeOf<Promise<void>>()
  expectTypeOf(expect(london).toMatchToolSchema).parameter(0).toHaveProperty('safeParse')
})
