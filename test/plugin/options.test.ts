// The plugin's options: defaults, and a ConfigError naming the option for anything else.
import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../src/host/errors.js'
import { mcpHost } from '../../src/plugin/index.js'
import { validateOptions } from '../../src/plugin/options.js'

describe('mcpHost() options', () => {
  test('defaults: leaks and processes fail tests, no trace, 10 s teardown timeout', () => {
    expect(validateOptions(undefined)).toEqual({
      leaks: 'error',
      processes: 'error',
      trace: false,
      teardownTimeout: 10_000,
    })
    expect(validateOptions({ leaks: 'warn', trace: true })).toMatchObject({ leaks: 'warn', trace: true })
  })

  test.each([
    [{ leaks: 'loud' }, 'mcpHost.leaks', /expected one of "error"\|"warn"\|"off"/],
    [{ processes: true }, 'mcpHost.processes', /expected one of/],
    [{ teardownTimeout: -5 }, 'mcpHost.teardownTimeout', /expected number to be >0/],
    [{ trace: 'yes' }, 'mcpHost.trace', /expected boolean/],
    [
      { leak: 'error' },
      'mcpHost.leak',
      /^unknown option \(options: leaks, processes, trace, teardownTimeout\)$/,
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
