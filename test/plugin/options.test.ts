// The plugin's options: defaults, and a ConfigError naming the option for anything else.
import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../src/host/errors.js'
import { mcpHost } from '../../src/plugin/index.js'
import { validateOptions } from '../../src/plugin/options.js'

describe('mcpHost() options', () => {
  test('snapshot.redact takes key paths and RegExps; anything else names the option', () => {
    expect(validateOptions({ snapshot: { redact: ['a.b', /x/] } }).snapshot).toEqual({ redact: ['a.b', /x/] })
    expect(() => validateOptions({ snapshot: { redact: [3] } })).toThrow(
      'mcpHost.snapshot: redact: expected an array of key paths (non-empty strings) and RegExps, got 3',
    )
    expect(() => validateOptions({ snapshot: { mask: [] } })).toThrow('unknown key "mask" (keys: redact)')
  })

  test('defaults: leaks and processes fail tests, no trace, 10 s teardown timeout, no tool coverage', () => {
    expect(validateOptions(undefined)).toEqual({
      leaks: 'error',
      processes: 'error',
      trace: false,
      teardownTimeout: 10_000,
      toolCoverage: false,
      information: true,
      wire: 'error',
      observe: 'host',
      snapshot: {},
      cassettes: 'auto',
      html: false,
    })
    expect(validateOptions({ leaks: 'warn', trace: true, processes: undefined })).toEqual({
      leaks: 'warn',
      processes: 'error',
      trace: true,
      teardownTimeout: 10_000,
      toolCoverage: false,
      information: true,
      wire: 'error',
      observe: 'host',
      snapshot: {},
      cassettes: 'auto',
      html: false,
    })
    expect(validateOptions({ toolCoverage: { min: 80, outputFile: 'out/tools.json' } }).toolCoverage).toEqual(
      {
        min: 80,
        outputFile: 'out/tools.json',
      },
    )
    expect(validateOptions({ toolCoverage: true }).toolCoverage).toBe(true)
    const budgets = { lookup: { p95: 500 }, 'weather/current_time': { p50: 20, max: 1000 } }
    expect(validateOptions({ toolCoverage: { budgets } }).toolCoverage).toEqual({ budgets })
  })

  test('several problems are reported together; a non-object is refused', () => {
    expect(() => validateOptions({ leaks: 1, trace: 1 })).toThrow(
      '2 problems in the mcpHost() options:\n  mcpHost.leaks: expected',
    )
    expect(() => validateOptions('error')).toThrow('mcpHost: expected an options object')
  })

  test.each([
    [{ leaks: 'loud' }, 'mcpHost.leaks', /^expected 'error', 'warn' or 'off', got "loud"$/],
    [{ processes: true }, 'mcpHost.processes', /^expected 'error', 'warn' or 'off', got true$/],
    [
      { teardownTimeout: -5 },
      'mcpHost.teardownTimeout',
      /^expected a timeout in milliseconds, a whole number from 1 to 2147483647 \(about 24.8 days\), got -5$/,
    ],
    [
      { teardownTimeout: 2 ** 31 },
      'mcpHost.teardownTimeout',
      /^expected a timeout in milliseconds, a whole number from 1 to 2147483647 \(about 24.8 days\), got 2147483648$/,
    ],
    [{ trace: 'yes' }, 'mcpHost.trace', /^expected a boolean, got "yes"$/],
    [{ information: 'no' }, 'mcpHost.information', /^expected a boolean, got "no"$/],
    [
      { leak: 'error' },
      'mcpHost.leak',
      /^unknown option \(options: leaks, processes, trace, teardownTimeout, toolCoverage, information, wire, observe, snapshot, cassettes, html\)$/,
    ],
    [{ html: '' }, 'mcpHost.html', /^expected a boolean or a non-empty file path, got ""$/],
    [{ html: 1 }, 'mcpHost.html', /^expected a boolean or a non-empty file path, got 1$/],
    [
      { toolCoverage: 'yes' },
      'mcpHost.toolCoverage',
      /^expected a boolean or \{ min\?: number, outputFile\?: string, budgets\?: \{\.\.\.\} \}, got "yes"$/,
    ],
    [
      { toolCoverage: { min: 101 } },
      'mcpHost.toolCoverage',
      /^min: expected a percent from 0 to 100, got 101$/,
    ],
    [
      { toolCoverage: { min: '80' } },
      'mcpHost.toolCoverage',
      /^min: expected a percent from 0 to 100, got "80"$/,
    ],
    [
      { toolCoverage: { outputFile: '' } },
      'mcpHost.toolCoverage',
      /^outputFile: expected a non-empty path, got ""$/,
    ],
    [
      { toolCoverage: { minimum: 80 } },
      'mcpHost.toolCoverage',
      /^unknown key "minimum" \(keys: min, outputFile, budgets\)$/,
    ],
    [
      { toolCoverage: { budgets: [] } },
      'mcpHost.toolCoverage',
      /^budgets: expected \{ \[tool or 'server\/tool'\]: \{ p50\?, p95\?, max\? \} \} in ms, got \[\]$/,
    ],
    [
      { toolCoverage: { budgets: { lookup: {} } } },
      'mcpHost.toolCoverage',
      /^budgets\["lookup"\]: expected \{ p50\?, p95\?, max\? \} in ms with at least one of them, got \{\}$/,
    ],
    [
      { toolCoverage: { budgets: { 'w/lookup': { p99: 5 } } } },
      'mcpHost.toolCoverage',
      /^budgets\["w\/lookup"\]: unknown key "p99" \(keys: p50, p95, max\)$/,
    ],
    [
      { toolCoverage: { budgets: { lookup: { max: 0 } } } },
      'mcpHost.toolCoverage',
      /^budgets\["lookup"\]\.max: expected a number of ms above 0, got 0$/,
    ],
    [
      { toolCoverage: { budgets: { lookup: { p95: '500' } } } },
      'mcpHost.toolCoverage',
      /^budgets\["lookup"\]\.p95: expected a number of ms above 0, got "500"$/,
    ],
  ])('%o is a ConfigError at %s, thrown by mcpHost() itself', (options, path, message) => {
    let error: unknown
    try {
      mcpHost(options as never)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).path).toBe(path)
    expect((error as ConfigError).issues[0]?.message).toMatch(message)
  })
})
