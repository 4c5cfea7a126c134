// ServerConfig.cassette and mcpHost({ cassettes }) parsed like the other fields: kept as given
// (RegExps too), each problem a ConfigError issue at its path; VITEST_MCP_HOST_CASSETTES (or its old name) over the option.
import { expect, test } from 'vitest'
import { cassetteSettingsWithoutPlugin } from '../../src/cassette/options.js'
import { validateHostConfig } from '../../src/host/config/config.js'
import { cassetteSettings, validateOptions } from '../../src/plugin/options.js'
import { configErrorOf } from '../support/assertions.js'

const stdio = { transport: 'stdio', command: 'node' } as const

test('cassette: true, false or { redact } is kept as given', () => {
  const secret = /sk-\w+/
  const config = validateHostConfig({
    servers: {
      a: { ...stdio, cassette: true },
      b: { ...stdio, cassette: { redact: ['apiKey', 'params.arguments.token', secret] } },
      c: { transport: 'memory', server: () => ({}) as never, cassette: false },
      d: stdio,
    },
  })
  expect(config.servers.a?.cassette).toBe(true)
  expect(config.servers.b?.cassette).toEqual({ redact: ['apiKey', 'params.arguments.token', secret] })
  expect(config.servers.c?.cassette).toBe(false)
  expect(config.servers.d?.cassette).toBeUndefined()
})

test('a bad cassette setting is a ConfigError issue at its path', () => {
  const error = configErrorOf(() =>
    validateHostConfig({
      servers: {
        a: { ...stdio, cassette: 'yes' },
        b: { ...stdio, cassette: { redact: [42], record: true } },
      },
    }),
  )
  expect(error.issues).toEqual([
    {
      path: 'servers.a.cassette',
      message: 'expected true, false or { redact: [key paths or RegExps] }, got "yes"',
    },
    { path: 'servers.b.cassette.record', message: 'unknown option "record" (options: redact)' },
    {
      path: 'servers.b.cassette.redact.0',
      message: `expected a key name ('apiKey'), a dotted path ('params.arguments.token', * for any key) or a RegExp, got 42`,
    },
  ])
})

test("mcpHost({ cassettes }) and VITEST_MCP_HOST_CASSETTES: checked, the environment first, Vitest's -u and CI as it decides", () => {
  expect(validateOptions({}).cassettes).toBe('auto')
  expect(configErrorOf(() => validateOptions({ cassettes: 'always' })).issues).toEqual([
    { path: 'mcpHost.cassettes', message: `expected 'auto', 'record', 'replay' or 'off', got "always"` },
  ])
  expect(
    configErrorOf(() => cassetteSettings('auto', { VITEST_MCP_HOST_CASSETTES: 'rec' }, 'new')).issues,
  ).toEqual([
    { path: 'VITEST_MCP_HOST_CASSETTES', message: `expected 'auto', 'record', 'replay' or 'off', got "rec"` },
  ])
  expect(cassetteSettings('replay', { VITEST_MCP_HOST_CASSETTES: 'off' }, 'all')).toEqual({
    mode: 'off',
    update: 'all',
  })
  expect(cassetteSettings('replay', {}, 'none')).toEqual({ mode: 'replay', update: 'none' })
  expect(cassetteSettings('auto', { VITEST_MCP_HOST_CASSETTES: '' }, 'new')).toEqual({
    mode: 'auto',
    update: 'new',
  })
  expect(cassetteSettingsWithoutPlugin({ CI: '1' })).toEqual({ mode: 'auto', update: 'none' })
  expect(cassetteSettingsWithoutPlugin({ VITEST_MCP_HOST_CASSETTES: 'record' })).toEqual({
    mode: 'record',
    update: 'new',
  })
})

test('MCP_HOST_CASSETTES, the old name, is still read (the new name wins) and named in its error', () => {
  expect(cassetteSettings('auto', { MCP_HOST_CASSETTES: 'replay' }, 'new')).toEqual({
    mode: 'replay',
    update: 'new',
  })
  expect(
    cassetteSettings('auto', { MCP_HOST_CASSETTES: 'replay', VITEST_MCP_HOST_CASSETTES: 'off' }, 'new'),
  ).toEqual({ mode: 'off', update: 'new' })
  expect(configErrorOf(() => cassetteSettings('auto', { MCP_HOST_CASSETTES: 'rec' }, 'new')).issues).toEqual([
    { path: 'MCP_HOST_CASSETTES', message: `expected 'auto', 'record', 'replay' or 'off', got "rec"` },
  ])
  expect(cassetteSettingsWithoutPlugin({ MCP_HOST_CASSETTES: 'record' })).toEqual({
    mode: 'record',
    update: 'new',
  })
})
