// toMatchToolResponse, toHaveToolResponseSize, toSatisfyToolResult, toMatchOutputSchema against real
// results of an in-memory weather server (and hand-made structured ones): pass, message, `.not`.
import type { CallToolResult, Tool } from '@modelcontextprotocol/client'
import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from 'vitest'
import { createWeatherServer } from '../../example-servers/weather/service.js'
import { HostManager } from '../../src/host/host-manager.js'
import '../../src/matchers/index.js'
import { failureOf } from './failure-of.js'

let host: HostManager
let london: CallToolResult

beforeAll(async () => {
  host = await HostManager.start({
    servers: { weather: { transport: 'memory', server: createWeatherServer } },
  })
  london = await host.callTool('weather_lookup', { location: 'London' })
})
afterAll(() => host.shutdown())

const reading: CallToolResult = {
  content: [{ type: 'text', text: '{"city":"London","tempC":15}' }],
  structuredContent: { city: 'London', tempC: 15, observedAt: '2026-12-06T19:00:00Z' },
}

describe('toMatchToolResponse', () => {
  test('matches a subset of content and structuredContent, with asymmetric matchers', () => {
    expect(london).toMatchToolResponse({
      content: [{ type: 'text', text: expect.stringContaining('Rainy') }],
    })
    expect(reading).toMatchToolResponse({ structuredContent: { city: 'London', tempC: expect.any(Number) } })
    expect(reading).not.toMatchToolResponse({ structuredContent: { city: 'Tokyo' } })
    expect(london).not.toMatchToolResponse({ isError: true })
    expect({ result: reading }).toEqual({
      result: expect.toMatchToolResponse({ structuredContent: { tempC: 15 } }),
    })
  })

  test('fails with a diff of expected and received', async () => {
    const message = await failureOf(() =>
      expect(reading).toMatchToolResponse({ structuredContent: { city: 'Tokyo', tempC: 15 } }),
    )
    expect(message).toContain('toMatchToolResponse')
    expect(message).toMatch(/-\s+"city": "Tokyo"/)
    expect(message).toMatch(/\+\s+"city": "London"/)
    const negated = await failureOf(() =>
      expect(reading).not.toMatchToolResponse({ structuredContent: { tempC: 15 } }),
    )
    expect(negated).toContain('expected tool result not to match')
    expect(negated).toContain('"tempC": 15')
  })

  test('says what it expects when given something other than a tool result', async () => {
    expect(await failureOf(() => expect({ city: 'London' }).toMatchToolResponse({}))).toBe(
      'toMatchToolResponse() expects a CallToolResult (the value of hostManager.callTool())',
    )
  })
})

describe('toHaveToolResponseSize', () => {
  test('compares the UTF-8 bytes of the serialized result with max', async () => {
    const size = Buffer.byteLength(JSON.stringify(london), 'utf8')
    expect(london).toHaveToolResponseSize({ max: size })
    expect(london).not.toHaveToolResponseSize({ max: size - 1 })
    expect(await failureOf(() => expect(london).toHaveToolResponseSize({ max: 10 }))).toBe(
      `expected tool result (${size} bytes serialized) to be at most 10 bytes`,
    )
    expect(await failureOf(() => expect(london).not.toHaveToolResponseSize({ max: size }))).toBe(
      `expected tool result (${size} bytes serialized) to be over ${size} bytes`,
    )
    expect(await failureOf(() => expect(london).toHaveToolResponseSize({ max: -1 }))).toContain(
      'expects { max }',
    )
  })
})

describe('toSatisfyToolResult', () => {
  test('passes when the predicate returns true, naming it when it does not', async () => {
    const mentionsLondon = (result: CallToolResult) => JSON.stringify(result).includes('London')
    expect(london).toSatisfyToolResult(mentionsLondon)
    expect(london).not.toSatisfyToolResult((result) => result.isError === true)
    const message = await failureOf(() => expect(london).not.toSatisfyToolResult(mentionsLondon))
    expect(message).toMatch(/^expected tool result not to satisfy mentionsLondon\n\nReceived: /)
    expect(message).toContain('Weather for London')
  })
})

describe('toMatchOutputSchema', () => {
  const tool: Tool = {
    name: 'reading',
    inputSchema: { type: 'object' },
    outputSchema: {
      type: 'object',
      properties: { city: { type: 'string' }, tempC: { type: 'number' } },
      required: ['city', 'tempC'],
    },
  }

  test('validates structuredContent against the tool output schema', async () => {
    expect(reading).toMatchOutputSchema(tool)
    const cold: CallToolResult = { content: [], structuredContent: { city: 'London', tempC: 'cold' } }
    expect(cold).not.toMatchOutputSchema(tool)
    const message = await failureOf(() => expect(cold).toMatchOutputSchema(tool))
    expect(message).toMatch(/to match the output schema of "reading": .*tempC.*number/)
    expect(await failureOf(() => expect(london).toMatchOutputSchema(tool))).toContain(
      'the result has no structuredContent',
    )
    expect(await failureOf(() => expect(reading).not.toMatchOutputSchema(tool))).toContain(
      'not to match the output schema of "reading"',
    )
  })

  test('a tool without an output schema is a usage error, naming the tool', async () => {
    const [lookup] = await host.listTools()
    expect(await failureOf(() => expect(reading).toMatchOutputSchema(lookup as Tool))).toBe(
      'toMatchOutputSchema() expects a Tool with an outputSchema (from listTools()); "weather_lookup" declares none',
    )
  })
})

test('types: the result matchers are synchronous', () => {
  expectTypeOf(expect(london).toMatchToolResponse).returns.toEqualTypeOf<void>()
  expectTypeOf(expect(london).toHaveToolResponseSize).parameter(0).toEqualTypeOf<{ max: number }>()
  expectTypeOf(expect(london).toSatisfyToolResult).returns.toEqualTypeOf<void>()
  expectTypeOf(expect(london).toMatchOutputSchema).parameter(0).toHaveProperty('outputSchema')
})
