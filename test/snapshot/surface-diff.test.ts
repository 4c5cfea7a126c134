// The surface diff: each change class classified breaking or compatible, with its reason.
import { describe, expect, test } from 'vitest'
import { diffJsonSchema } from '../../src/snapshot/schema-diff.js'
import { diffSurface, formatChanges, type Surface } from '../../src/snapshot/surface-diff.js'

const LOOKUP_INPUT = {
  type: 'object',
  properties: {
    location: { type: 'string', description: 'a city' },
    units: { type: 'string', enum: ['metric', 'imperial'] },
  },
  required: ['location'],
}

function surface(patch: Partial<Surface> = {}): Surface {
  return {
    tools: {
      weather_lookup: {
        description: 'Weather for a city',
        inputSchema: LOOKUP_INPUT,
        outputSchema: { type: 'object', properties: { temp: { type: 'number' }, sky: { type: 'string' } } },
      },
    },
    prompts: {
      weather_assistant: { arguments: [{ name: 'user_name' }, { name: 'units', required: true }] },
    },
    resources: { 'weather://cities': { name: 'cities', mimeType: 'application/json' } },
    resourceTemplates: { 'weather://city/{name}': { name: 'city' } },
    ...patch,
  }
}

function withInput(inputSchema: unknown, ...output: [unknown?]): Surface {
  const tool = surface().tools.weather_lookup
  const outputSchema = output.length > 0 ? output[0] : tool?.outputSchema
  return surface({
    tools: { weather_lookup: { ...tool, inputSchema, outputSchema } },
  })
}

function withOutput(outputSchema: unknown): Surface {
  return withInput(LOOKUP_INPUT, outputSchema)
}

const input = (patch: Record<string, unknown>) => ({ ...LOOKUP_INPUT, ...patch })
const props = (extra: Record<string, unknown>) => ({ ...LOOKUP_INPUT.properties, ...extra })
const OUT_PROPS = { temp: { type: 'number' }, sky: { type: 'string' } }

describe('diffSurface', () => {
  test('the same surface has no changes', () => {
    expect(diffSurface(surface(), surface())).toEqual([])
  })

  test.each([
    ['removed tool', surface({ tools: {} }), 'tool weather_lookup', 'tool removed'],
    ['removed prompt', surface({ prompts: {} }), 'prompt weather_assistant', 'prompt removed'],
    ['removed resource', surface({ resources: {} }), 'resource weather://cities', 'resource removed'],
    [
      'removed template',
      surface({ resourceTemplates: {} }),
      'resource template weather://city/{name}',
      'resource template removed',
    ],
    [
      'new required argument',
      withInput(input({ properties: props({ day: { type: 'string' } }), required: ['location', 'day'] })),
      'tool weather_lookup › input.day',
      'required argument added',
    ],
    [
      'optional argument became required',
      withInput(input({ required: ['location', 'units'] })),
      'tool weather_lookup › input.units',
      'argument became required',
    ],
    [
      'argument removed',
      withInput(input({ properties: { location: LOOKUP_INPUT.properties.location } })),
      'tool weather_lookup › input.units',
      'argument removed',
    ],
    [
      'narrowed type',
      withInput(input({ properties: props({ location: { type: ['string'] }, units: { type: 'integer' } }) })),
      'tool weather_lookup › input.units',
      'type changed: type string → integer',
    ],
    [
      'removed enum value',
      withInput(input({ properties: props({ units: { type: 'string', enum: ['metric'] } }) })),
      'tool weather_lookup › input.units',
      'enum value "imperial" removed',
    ],
    [
      'tightened constraint',
      withInput(
        input({ properties: props({ location: { type: 'string', description: 'a city', maxLength: 10 } }) }),
      ),
      'tool weather_lookup › input.location',
      'constraint tightened: maxLength none → 10',
    ],
    [
      'removed output field',
      withOutput({ type: 'object', properties: { temp: { type: 'number' } } }),
      'tool weather_lookup › output.sky',
      'output field removed',
    ],
    [
      'widened output type',
      withOutput({ type: 'object', properties: { ...OUT_PROPS, temp: { type: ['number', 'null'] } } }),
      'tool weather_lookup › output.temp',
      'type widened: type number → null | number',
    ],
    ['removed output schema', withOutput(undefined), 'tool weather_lookup', 'output schema removed'],
    [
      'new required prompt argument',
      surface({
        prompts: {
          weather_assistant: {
            arguments: [
              { name: 'user_name' },
              { name: 'units', required: true },
              { name: 'city', required: true },
            ],
          },
        },
      }),
      'prompt weather_assistant › city',
      'required argument added',
    ],
    [
      'resource mime type changed',
      surface({ resources: { 'weather://cities': { name: 'cities', mimeType: 'text/plain' } } }),
      'resource weather://cities',
      'mimeType application/json → text/plain',
    ],
  ])('breaking: %s', (_, after, path, reason) => {
    const changes = diffSurface(surface(), after)
    expect(changes).toContainEqual({ kind: 'breaking', path, reason })
  })

  test.each([
    [
      'new tool',
      surface({ tools: { ...surface().tools, forecast: { inputSchema: { type: 'object' } } } }),
      'tool forecast',
      'tool added',
    ],
    [
      'added optional argument',
      withInput(input({ properties: props({ day: { type: 'string' } }) })),
      'tool weather_lookup › input.day',
      'optional argument added',
    ],
    [
      'changed description',
      surface({
        tools: { weather_lookup: { ...surface().tools.weather_lookup, description: 'Weather' } as never },
      }),
      'tool weather_lookup',
      'description changed',
    ],
    [
      'changed argument description',
      withInput(input({ properties: props({ location: { type: 'string', description: 'a town' } }) })),
      'tool weather_lookup › input.location',
      'description changed',
    ],
    [
      'added enum value',
      withInput(
        input({ properties: props({ units: { type: 'string', enum: ['metric', 'imperial', 'kelvin'] } }) }),
      ),
      'tool weather_lookup › input.units',
      'enum value "kelvin" added',
    ],
    [
      'widened input type',
      withInput(
        input({ properties: props({ units: { type: ['string', 'null'], enum: ['metric', 'imperial'] } }) }),
      ),
      'tool weather_lookup › input.units',
      'type widened: type string → null | string',
    ],
    [
      'required argument became optional',
      withInput(input({ required: [] })),
      'tool weather_lookup › input.location',
      'argument became optional',
    ],
    [
      'added output field',
      withOutput({ type: 'object', properties: { ...OUT_PROPS, wind: { type: 'number' } } }),
      'tool weather_lookup › output.wind',
      'optional output field added',
    ],
    [
      'narrowed output type',
      withOutput({ type: 'object', properties: { ...OUT_PROPS, temp: { type: 'integer' } } }),
      'tool weather_lookup › output.temp',
      'type narrowed: type number → integer',
    ],
    ['new prompt', surface({ prompts: { ...surface().prompts, other: {} } }), 'prompt other', 'prompt added'],
    [
      'new resource',
      surface({ resources: { ...surface().resources, 'weather://x': {} } }),
      'resource weather://x',
      'resource added',
    ],
    [
      'new optional prompt argument',
      surface({
        prompts: {
          weather_assistant: {
            arguments: [{ name: 'user_name' }, { name: 'units', required: true }, { name: 'city' }],
          },
        },
      }),
      'prompt weather_assistant › city',
      'optional argument added',
    ],
    [
      'annotation added',
      surface({
        tools: {
          weather_lookup: { ...surface().tools.weather_lookup, annotations: { readOnlyHint: true } } as never,
        },
      }),
      'tool weather_lookup',
      'annotation readOnlyHint unset → true',
    ],
  ])('compatible: %s', (_, after, path, reason) => {
    const changes = diffSurface(surface(), after)
    expect(changes).toEqual([{ kind: 'compatible', path, reason }])
  })

  test('a tool that becomes destructive is breaking', () => {
    const tool = surface().tools.weather_lookup as never as Record<string, unknown>
    const after = surface({
      tools: { weather_lookup: { ...tool, annotations: { destructiveHint: true } } as never },
    })
    expect(diffSurface(surface(), after)).toEqual([
      { kind: 'breaking', path: 'tool weather_lookup', reason: 'annotation destructiveHint unset → true' },
    ])
  })

  test('breaking changes come first, and print one a line', () => {
    const after = surface({ tools: { forecast: { inputSchema: {} } } })
    const changes = diffSurface(surface(), after)
    expect(formatChanges(changes)).toBe(
      '  breaking   tool weather_lookup: tool removed\n  compatible tool forecast: tool added',
    )
  })
})

describe('diffJsonSchema', () => {
  test('nested properties and array items are followed', () => {
    const before = {
      type: 'object',
      properties: {
        days: { type: 'array', items: { type: 'object', properties: { t: { type: 'number' } } } },
      },
    }
    const after = {
      type: 'object',
      properties: { days: { type: 'array', items: { type: 'object', properties: {} } } },
    }
    expect(diffJsonSchema(before, after, 'output')).toEqual([
      { kind: 'breaking', path: 'days.[].t', reason: 'output field removed' },
    ])
  })

  test('additionalProperties: false narrows an input', () => {
    expect(
      diffJsonSchema({ type: 'object' }, { type: 'object', additionalProperties: false }, 'input'),
    ).toEqual([{ kind: 'breaking', path: '', reason: 'additionalProperties: false added' }])
  })
})
