// Host config validation: every problem is a ConfigError naming the field (`path`) in one plain
// sentence, found before anything starts. Nothing here spawns a process.
import { describe, expect, test } from 'vitest'
import { createWeatherServer } from '../../example-servers/weather/service.js'
import { defineHostConfig, validateHostConfig, validateServerConfig } from '../../src/host/config.js'
import type { HostConfig } from '../../src/host/config-types.js'
import { ConfigError } from '../../src/host/errors.js'
import { HostManager } from '../../src/host/host-manager.js'
import { misbehavingServer, misbehaviourKinds, weatherServer } from '../../src/servers/index.js'
import { countingWeatherServer } from '../support/servers.js'

function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error('expected a ConfigError, nothing was thrown')
}

const stdio = (extra: Record<string, unknown>) => ({ transport: 'stdio', command: 'node', ...extra })
const one = (server: unknown) => ({ servers: { weather: server } })

describe('one problem: the message is "<path>: <what is expected>"', () => {
  test.each([
    [
      'an empty command',
      one({ transport: 'stdio', command: '' }),
      'servers.weather.command',
      'expected a non-empty string',
    ],
    [
      'a missing command',
      one({ transport: 'stdio' }),
      'servers.weather.command',
      'expected a non-empty string',
    ],
    [
      'a command that is not a string',
      one({ transport: 'stdio', command: 5 }),
      'servers.weather.command',
      'expected a non-empty string',
    ],
    ['an empty cwd', one(stdio({ cwd: '' })), 'servers.weather.cwd', 'expected a non-empty string'],
    [
      'an unknown transport',
      one({ transport: 'ftp' }),
      'servers.weather.transport',
      'expected one of stdio, http, memory, worker',
    ],
    [
      'no transport',
      one({ command: 'node' }),
      'servers.weather.transport',
      'expected one of stdio, http, memory, worker',
    ],
    [
      'a known transport this version cannot start (http)',
      one({ transport: 'http', url: 'http://localhost:1' }),
      'servers.weather.transport',
      '"http" is not supported by this version yet (supported: stdio, memory)',
    ],
    [
      'a known transport this version cannot start (worker)',
      one({ transport: 'worker', module: './server.js' }),
      'servers.weather.transport',
      '"worker" is not supported by this version yet (supported: stdio, memory)',
    ],
    [
      'an option of another transport',
      one(stdio({ url: 'http://localhost:1' })),
      'servers.weather.url',
      `{ transport: 'stdio' } does not support "url"`,
    ],
    [
      'a stdio option on a memory server',
      one({ transport: 'memory', server: () => createWeatherServer(), command: 'node' }),
      'servers.weather.command',
      `{ transport: 'memory' } does not support "command"`,
    ],
    [
      'a memory server that is not a function',
      one({ transport: 'memory', server: createWeatherServer() }),
      'servers.weather.server',
      'expected a function returning an McpServer',
    ],
    [
      'a non-string argument',
      one(stdio({ args: ['--x', 1] })),
      'servers.weather.args.1',
      'expected every argument to be a string',
    ],
    [
      'a non-string env value',
      one(stdio({ env: { PORT: 3000 } })),
      'servers.weather.env.PORT',
      'expected every value to be a string',
    ],
    [
      'an empty excluded name',
      one(stdio({ exclude: [''] })),
      'servers.weather.exclude.0',
      'expected a non-empty string',
    ],
    [
      'exclude not an array',
      one(stdio({ exclude: 'current_time' })),
      'servers.weather.exclude',
      'expected an array of names',
    ],
    [
      'a zero startupTimeout',
      one(stdio({ startupTimeout: 0 })),
      'servers.weather.startupTimeout',
      'expected a timeout in milliseconds, a positive number',
    ],
    [
      'a negative shutdown grace',
      one(stdio({ shutdown: { graceMs: -1 } })),
      'servers.weather.shutdown.graceMs',
      'expected milliseconds, 0 or more',
    ],
    [
      'a server config that is not an object',
      one(null),
      'servers.weather',
      'expected a server config object (e.g. weatherServer())',
    ],
    [
      'a negative host requestTimeout',
      { servers: {}, requestTimeout: -1 },
      'requestTimeout',
      'expected a timeout in milliseconds, a positive number',
    ],
    [
      'a fractional host startupTimeout',
      { servers: {}, startupTimeout: 1.5 },
      'startupTimeout',
      'expected a timeout in milliseconds, a positive number',
    ],
    [
      'a timeout given as a string',
      { servers: {}, requestTimeout: '5000' },
      'requestTimeout',
      'expected a timeout in milliseconds, a positive number',
    ],
    ['an unknown host option', { servers: {}, timeout: 5000 }, 'timeout', 'unknown option "timeout"'],
    [
      'servers not an object',
      { servers: 'weather' },
      'servers',
      'expected an object of named server configs',
    ],
    ['no servers at all', {}, 'servers', 'expected an object of named server configs'],
  ] as const)('%s', (_what, config, path, message) => {
    const error = configErrorOf(() => validateHostConfig(config))
    expect(error.name).toBe('ConfigError')
    expect(error.path).toBe(path)
    expect(error.message).toBe(`${path}: ${message}`)
    expect(error.issues).toEqual([{ path, message }])
  })
})

describe('several problems', () => {
  test('all are collected into one ConfigError; path is the first one', () => {
    const error = configErrorOf(() =>
      validateHostConfig({
        servers: {
          a: { transport: 'stdio', command: '' },
          b: { transport: 'nope' },
          c: stdio({ args: [1], shutdown: { termMs: -5 } }),
        },
      }),
    )
    expect(error.path).toBe('servers.a.command')
    expect(error.message).toBe(
      '4 problems in the host config:\n' +
        '  servers.a.command: expected a non-empty string\n' +
        '  servers.b.transport: expected one of stdio, http, memory, worker\n' +
        '  servers.c.args.0: expected every argument to be a string\n' +
        '  servers.c.shutdown.termMs: expected milliseconds, 0 or more',
    )
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'servers.a.command',
      'servers.b.transport',
      'servers.c.args.0',
      'servers.c.shutdown.termMs',
    ])
  })

  test('several unknown options of one server are each named', () => {
    const error = configErrorOf(() => validateHostConfig(one(stdio({ url: 'x', module: 'y' }))))
    expect(error.issues).toEqual([
      { path: 'servers.weather.url', message: `{ transport: 'stdio' } does not support "url"` },
      { path: 'servers.weather.module', message: `{ transport: 'stdio' } does not support "module"` },
    ])
  })
})

describe('valid configs', () => {
  test('pass unchanged: the bundled server configs, a memory server, every option', () => {
    const config: HostConfig = {
      requestTimeout: 1000,
      startupTimeout: 2000,
      servers: {
        weather: weatherServer({
          env: { TZ: 'UTC' },
          exclude: ['current_time'],
          shutdown: { graceMs: 0, termMs: 10 },
        }),
        mem: { transport: 'memory', server: () => createWeatherServer(), requestTimeout: 5 },
        ...Object.fromEntries(
          misbehaviourKinds.map((kind) => [kind, misbehavingServer(kind, { startupTimeout: 10 })]),
        ),
      },
    }
    expect(validateHostConfig(config)).toBe(config)
    expect(validateHostConfig({ servers: {} })).toEqual({ servers: {} })
  })

  test('defineHostConfig returns its argument as is', () => {
    const config = { servers: { weather: weatherServer() } }
    expect(defineHostConfig(config)).toBe(config)
  })

  test('validateServerConfig checks one server under its name', () => {
    const server = weatherServer()
    expect(validateServerConfig('w', server)).toBe(server)
    const error = configErrorOf(() => validateServerConfig('extra', { transport: 'stdio', command: '' }))
    expect(error.message).toBe('servers.extra.command: expected a non-empty string')
  })
})

describe('HostManager.start validates before starting anything', () => {
  test('rejects with the ConfigError (a rejected promise, not a synchronous throw)', async () => {
    const mem = countingWeatherServer()
    const starting = HostManager.start({
      servers: {
        mem: mem.config,
        bad: { transport: 'stdio', command: '' },
      },
    })
    expect(starting).toBeInstanceOf(Promise)
    await expect(starting).rejects.toThrow(
      new ConfigError([{ path: 'servers.bad.command', message: 'expected a non-empty string' }]),
    )
    await expect(starting).rejects.toMatchObject({ name: 'ConfigError', path: 'servers.bad.command' })
    expect(mem.created()).toBe(0)
  })
})
