// Parsing of the wire settings: HostConfig.wire, ServerConfig.wire, mcpHost({ wire, observe }).
// (Their effect on tests comes with the tap, after the eras merge.)
import { describe, expect, test } from 'vitest'
import { validateHostConfig } from '../../src/host/config/config.js'
import { validateOptions } from '../../src/plugin/options.js'
import { resolveWire } from '../../src/wire/check/options.js'
import { configErrorOf } from '../support/assertions.js'

const stdio = { transport: 'stdio', command: 'node' } as const

describe('host config', () => {
  test('wire on the host and per server is kept as given', () => {
    const config = validateHostConfig({
      wire: 'warn',
      servers: {
        a: { ...stdio, wire: 'off' },
        b: { ...stdio, wire: { ignore: ['tool.output-schema', 'modern.result-type'] } },
        c: stdio,
      },
    })
    expect(config.wire).toBe('warn')
    expect(config.servers.a?.wire).toBe('off')
    expect(config.servers.b?.wire).toEqual({ ignore: ['tool.output-schema', 'modern.result-type'] })
    expect(config.servers.c?.wire).toBeUndefined()
  })

  test('a bad severity, an unknown rule id, an unknown key: each a ConfigError issue at its path', () => {
    const host = configErrorOf(() => validateHostConfig({ wire: 'loud', servers: {} }))
    expect(host.issues).toEqual([{ path: 'wire', message: `expected 'error', 'warn' or 'off', got "loud"` }])
    const error = configErrorOf(() =>
      validateHostConfig({
        servers: { a: { ...stdio, wire: { ignore: ['tool.output-schema', 'tool.outputschema'], skip: [] } } },
      }),
    )
    expect(error.issues.map((i) => i.path)).toEqual(['servers.a.wire.skip', 'servers.a.wire.ignore.1'])
    expect(error.issues[0]?.message).toBe('unknown option "skip" (options: ignore)')
    expect(error.issues[1]?.message).toMatch(
      /^unknown rule id "tool.outputschema" \(rules: jsonrpc.message, .*tool.output-schema, /,
    )
  })

  test('a server wire that is neither a severity nor { ignore }', () => {
    const error = configErrorOf(() => validateHostConfig({ servers: { a: { ...stdio, wire: true } } }))
    expect(error.message).toBe(
      `servers.a.wire: expected 'error', 'warn', 'off' or { ignore: [rule ids] }, got true`,
    )
  })
})

describe('mcpHost() options', () => {
  test("defaults: wire 'error', observe 'host'", () => {
    expect(validateOptions({})).toMatchObject({ wire: 'error', observe: 'host' })
    expect(validateOptions({ wire: 'warn', observe: 'all' })).toMatchObject({ wire: 'warn', observe: 'all' })
  })

  test('bad values name the option', () => {
    const error = configErrorOf(() => validateOptions({ wire: 'strict', observe: 'everything' }))
    expect(error.issues).toEqual([
      { path: 'mcpHost.wire', message: `expected 'error', 'warn' or 'off', got "strict"` },
      { path: 'mcpHost.observe', message: `expected 'host' or 'all', got "everything"` },
    ])
  })
})

describe('resolveWire: server over host over plugin', () => {
  test.for([
    [{}, { severity: 'error', ignore: [] }],
    [{ plugin: 'warn' }, { severity: 'warn', ignore: [] }],
    [
      { plugin: 'warn', host: 'off' },
      { severity: 'off', ignore: [] },
    ],
    [
      { plugin: 'off', host: 'warn', server: 'error' },
      { severity: 'error', ignore: [] },
    ],
    [
      { host: 'warn', server: { ignore: ['tool.output-schema'] } },
      { severity: 'warn', ignore: ['tool.output-schema'] },
    ],
  ] as const)('%o → %o', ([levels, expected]) => {
    expect(resolveWire(levels as Parameters<typeof resolveWire>[0])).toEqual(expected)
  })
})
