// Host config validation: every problem is a ConfigError naming the field (`path`) in one plain
// sentence, found before anything starts. Nothing here spawns a process.
import { describe, expect, test } from 'vitest'
import { createWeatherServer } from '../../example-servers/weather/service.js'
import { defineHostConfig, validateHostConfig, validateServerConfig } from '../../src/host/config/config.js'
import type { HostConfig, StdioServerConfig } from '../../src/host/config/config-types.js'
import { ConfigError } from '../../src/host/errors.js'
import { HostManager } from '../../src/host/host-manager.js'
import {
  misbehavingServer,
  misbehaviourKinds,
  weatherHttpServer,
  weatherServer,
} from '../../src/servers/index.js'
import { configErrorOf } from '../support/assertions.js'
import { countingWeatherServer } from '../support/servers.js'

const NUL = 'must not contain a NUL byte'
/** The one message for a bad number of milliseconds (launchers/wait.ts), with what was given. */
const TIMEOUT = (got: string) =>
  `expected a timeout in milliseconds, a whole number from 1 to 2147483647 (about 24.8 days), got ${got}`
const MS = (got: string) =>
  `expected milliseconds, a whole number from 0 to 2147483647 (about 24.8 days), got ${got}`

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
      'http with both url and command',
      one({ transport: 'http', url: 'http://127.0.0.1:1/mcp', command: 'node' }),
      'servers.weather.command',
      `{ transport: 'http', url } does not support "command" (give url for a running server, or command for one the host spawns, not both)`,
    ],
    [
      'spawned http with headers',
      one({ transport: 'http', command: 'node', headers: {} }),
      'servers.weather.headers',
      `{ transport: 'http', command } does not support "headers" (give url for a running server, or command for one the host spawns, not both)`,
    ],
    [
      'http with neither url nor command',
      one({ transport: 'http', path: '/mcp' }),
      'servers.weather',
      'expected url (a running server) or command (a server the host spawns)',
    ],
    [
      'an http url of another scheme',
      one({ transport: 'http', url: 'ftp://127.0.0.1/mcp' }),
      'servers.weather.url',
      'expected an http:// or https:// URL',
    ],
    [
      'an http url that is not a URL',
      one({ transport: 'http', url: '127.0.0.1:3000' }),
      'servers.weather.url',
      'expected an http:// or https:// URL',
    ],
    [
      'an invalid header name',
      one({ transport: 'http', url: 'http://127.0.0.1:1', headers: { 'a b': 'x' } }),
      'servers.weather.headers',
      '"a b" is not a valid header name',
    ],
    [
      'a header value with a line break',
      one({ transport: 'http', url: 'http://127.0.0.1:1', headers: { authorization: 'a\r\nb' } }),
      'servers.weather.headers.authorization',
      'must not contain CR, LF or NUL',
    ],
    [
      'a header value with a character beyond Latin-1',
      one({ transport: 'http', url: 'http://127.0.0.1:1', headers: { 'X-Name': 'Zoë ✓' } }),
      'servers.weather.headers.X-Name',
      'must hold only Latin-1 characters (U+0000 to U+00FF), as HTTP header values are bytes: percent-encode or base64 the value',
    ],
    [
      'a url with a user and password',
      one({ transport: 'http', url: 'https://alice:s3cret@example.com/mcp' }),
      'servers.weather.url',
      `must not contain credentials ("user:password@"): send them in headers instead (e.g. headers: { Authorization: 'Basic ' + btoa('user:password') })`,
    ],
    [
      'a url with a user only',
      one({ transport: 'http', url: 'https://token@example.com/mcp' }),
      'servers.weather.url',
      `must not contain credentials ("user:password@"): send them in headers instead (e.g. headers: { Authorization: 'Basic ' + btoa('user:password') })`,
    ],
    [
      'a path without its leading slash',
      one({ transport: 'http', command: 'node', path: 'mcp' }),
      'servers.weather.path',
      'expected a URL path starting with "/" (no spaces, "?" or "#")',
    ],
    [
      'a portEnv that is no variable name',
      one({ transport: 'http', command: 'node', portEnv: 'A=B' }),
      'servers.weather.portEnv',
      'expected an environment variable name (no "=" or NUL)',
    ],
    [
      'a portEnv on a server by url',
      one({ transport: 'http', url: 'http://127.0.0.1:1', portEnv: 'MCP_PORT' }),
      'servers.weather.portEnv',
      `{ transport: 'http', url } does not support "portEnv" (give url for a running server, or command for one the host spawns, not both)`,
    ],
    [
      'an unknown option of http',
      one({ transport: 'http', url: 'http://127.0.0.1:1', server: () => {} }),
      'servers.weather.server',
      `{ transport: 'http' } does not support "server"`,
    ],
    [
      'a relative worker module',
      one({ transport: 'worker', module: './server.js' }),
      'servers.weather.module',
      'expected an absolute path or a file: URL of an ES module',
    ],
    [
      'a worker module URL that is not a file: URL',
      one({ transport: 'worker', module: 'https://example.com/server.js' }),
      'servers.weather.module',
      'expected an absolute path or a file: URL of an ES module',
    ],
    [
      'an empty worker export',
      one({ transport: 'worker', module: '/srv/server.js', export: '' }),
      'servers.weather.export',
      'expected a non-empty string',
    ],
    [
      'a relative path in worker files',
      one({ transport: 'worker', module: '/srv/server.js', files: { 'data.txt': 'x' } }),
      'servers.weather.files',
      'file path "data.txt" is not absolute',
    ],
    [
      'worker file content that is not a string',
      one({ transport: 'worker', module: '/srv/server.js', files: { '/data.bin': 5 } }),
      'servers.weather.files./data.bin',
      'expected every file content to be a string',
    ],
    [
      'worker files not an object',
      one({ transport: 'worker', module: '/srv/server.js', files: ['/a'] }),
      'servers.weather.files',
      'expected an object of absolute file paths to their contents',
    ],
    [
      'workerData a thread cannot receive',
      one({ transport: 'worker', module: '/srv/server.js', workerData: { make: () => 1 } }),
      'servers.weather.workerData',
      'cannot be sent to a worker thread (() => 1 could not be cloned.)',
    ],
    [
      'a worker heap limit that is not a positive number',
      one({ transport: 'worker', module: '/srv/server.js', resourceLimits: { maxOldGenerationSizeMb: 0 } }),
      'servers.weather.resourceLimits.maxOldGenerationSizeMb',
      'expected a positive number of megabytes, at most 1048576',
    ],
    [
      'an unknown worker resource limit',
      one({ transport: 'worker', module: '/srv/server.js', resourceLimits: { maxHeapMb: 64 } }),
      'servers.weather.resourceLimits.maxHeapMb',
      'unknown option "maxHeapMb"',
    ],
    [
      'a stdio option on a worker server',
      one({ transport: 'worker', module: '/srv/server.js', command: 'node' }),
      'servers.weather.command',
      `{ transport: 'worker' } does not support "command"`,
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
      TIMEOUT('0'),
    ],
    [
      'a negative shutdown grace',
      one(stdio({ shutdown: { graceMs: -1 } })),
      'servers.weather.shutdown.graceMs',
      MS('-1'),
    ],
    [
      'a server config that is not an object',
      one(null),
      'servers.weather',
      'expected a server config object (e.g. weatherServer())',
    ],
    ['a negative host requestTimeout', { servers: {}, requestTimeout: -1 }, 'requestTimeout', TIMEOUT('-1')],
    [
      'a fractional host startupTimeout',
      { servers: {}, startupTimeout: 1.5 },
      'startupTimeout',
      TIMEOUT('1.5'),
    ],
    [
      'a timeout given as a string',
      { servers: {}, requestTimeout: '5000' },
      'requestTimeout',
      TIMEOUT("'5000'"),
    ],
    ['an unknown host option', { servers: {}, timeout: 5000 }, 'timeout', 'unknown option "timeout"'],
    [
      'servers not an object',
      { servers: 'weather' },
      'servers',
      'expected an object of named server configs',
    ],
    ['no servers at all', {}, 'servers', 'expected an object of named server configs'],
    // What spawn would reject with a raw TypeError, or the OS would misread.
    ['a NUL byte in the command', one(stdio({ command: 'no\0de' })), 'servers.weather.command', NUL],
    ['a NUL byte in an argument', one(stdio({ args: ['-e', 'a\0b'] })), 'servers.weather.args.1', NUL],
    ['a NUL byte in cwd', one(stdio({ cwd: '/tmp\0' })), 'servers.weather.cwd', NUL],
    ['a NUL byte in an env value', one(stdio({ env: { A: 'a\0' } })), 'servers.weather.env.A', NUL],
    [
      'a NUL byte in an env name',
      one(stdio({ env: { 'A\0': 'a' } })),
      'servers.weather.env',
      'variable name "A\\u0000" must not contain a NUL byte',
    ],
    [
      'an env name with "="',
      one(stdio({ env: { 'A=B': 'c' } })),
      'servers.weather.env',
      'variable name "A=B" must not contain "="',
    ],
    [
      'an empty env name',
      one(stdio({ env: { '': 'c' } })),
      'servers.weather.env',
      'a variable name must not be empty',
    ],
    [
      'env not an object',
      one(stdio({ env: ['A=B'] })),
      'servers.weather.env',
      'expected an object of variables',
    ],
    // Node fires a timer longer than 2^31-1 ms after 1 ms.
    [
      'a startupTimeout above 2^31-1',
      one(stdio({ startupTimeout: 2 ** 31 })),
      'servers.weather.startupTimeout',
      TIMEOUT('2147483648'),
    ],
    [
      'a host requestTimeout above 2^31-1',
      { servers: {}, requestTimeout: 1e12 },
      'requestTimeout',
      TIMEOUT('1000000000000'),
    ],
    [
      'a shutdown termMs above 2^31-1',
      one(stdio({ shutdown: { termMs: 2 ** 31 } })),
      'servers.weather.shutdown.termMs',
      MS('2147483648'),
    ],
    [
      'an infinite startupTimeout',
      { servers: {}, startupTimeout: Number.POSITIVE_INFINITY },
      'startupTimeout',
      TIMEOUT('Infinity'),
    ],
    [
      'a NaN grace',
      one(stdio({ shutdown: { graceMs: Number.NaN } })),
      'servers.weather.shutdown.graceMs',
      MS('NaN'),
    ],
    [
      'a fractional grace',
      one(stdio({ shutdown: { graceMs: 0.5 } })),
      'servers.weather.shutdown.graceMs',
      MS('0.5'),
    ],
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
        `  servers.c.shutdown.termMs: ${MS('-5')}`,
    )
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'servers.a.command',
      'servers.b.transport',
      'servers.c.args.0',
      'servers.c.shutdown.termMs',
    ])
  })

  test('the message lists the first 20 and counts the rest; issues has them all', () => {
    const servers = Object.fromEntries(
      Array.from({ length: 23 }, (_, i) => [`s${i}`, { transport: 'stdio', command: '' }]),
    )
    const error = configErrorOf(() => validateHostConfig({ servers }))
    expect(error.issues).toHaveLength(23)
    expect(error.message).toBe(
      [
        '23 problems in the host config:',
        ...Array.from({ length: 20 }, (_, i) => `  servers.s${i}.command: expected a non-empty string`),
        "  and 3 more (all 23 are in the error's issues)",
      ].join('\n'),
    )
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
        weatherHttp: weatherHttpServer({ env: { TZ: 'UTC' }, startupTimeout: 50 }),
        spawnedHttp: { transport: 'http', command: 'node', args: ['s.js'], cwd: '/', path: '/v1/mcp' },
        portHttp: { transport: 'http', command: 'srv', args: ['--port', '${port}'], portEnv: 'MCP_PORT' },
        remote: { transport: 'http', url: 'https://example.com/mcp', headers: { authorization: 'Bearer x' } },
        ...Object.fromEntries(
          misbehaviourKinds.map((kind) => [kind, misbehavingServer(kind, { startupTimeout: 10 })]),
        ),
      },
    }
    expect(validateHostConfig(config)).toEqual(config)
    expect(validateHostConfig({ servers: {} })).toEqual({ servers: {} })
  })

  test('defineHostConfig returns its argument as is', () => {
    const config = { servers: { weather: weatherServer() } }
    expect(defineHostConfig(config)).toBe(config)
  })

  test('validateServerConfig checks one server under its name', () => {
    const server = weatherServer()
    expect(validateServerConfig('w', server)).toEqual(server)
    const error = configErrorOf(() => validateServerConfig('extra', { transport: 'stdio', command: '' }))
    expect(error.message).toBe('servers.extra.command: expected a non-empty string')
  })
})

describe('names of any kind are validated like any other', () => {
  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'ünïcødé'])(
    'a server named %s (as JSON.parse makes it): its fields are checked, unknown keys rejected',
    (name) => {
      const config = JSON.parse(
        `{ "servers": { ${JSON.stringify(name)}: { "transport": "stdio", "command": "", "bogus": 1 } } }`,
      )
      const error = configErrorOf(() => validateHostConfig(config))
      expect(error.issues).toEqual([
        { path: `servers.${name}.command`, message: 'expected a non-empty string' },
        { path: `servers.${name}.bogus`, message: `{ transport: 'stdio' } does not support "bogus"` },
      ])
    },
  )

  test('a valid server named __proto__ is kept as an own key of the copy, not as its prototype', () => {
    const valid = validateHostConfig(
      JSON.parse('{ "servers": { "__proto__": { "transport": "stdio", "command": "node" } } }'),
    )
    expect(Object.keys(valid.servers)).toEqual(['__proto__'])
    expect(Object.getOwnPropertyDescriptor(valid.servers, '__proto__')?.value).toEqual({
      transport: 'stdio',
      command: 'node',
    })
  })

  test('an env variable named __proto__ is checked and kept', () => {
    const bad = JSON.parse('{ "transport": "stdio", "command": "node", "env": { "__proto__": 5 } }')
    expect(configErrorOf(() => validateServerConfig('w', bad)).issues).toEqual([
      { path: 'servers.w.env.__proto__', message: 'expected every value to be a string' },
    ])
    const good = JSON.parse('{ "transport": "stdio", "command": "node", "env": { "__proto__": "x" } }')
    const env = (validateServerConfig('w', good) as StdioServerConfig).env ?? {}
    expect(Object.keys(env)).toEqual(['__proto__'])
    expect(Object.getOwnPropertyDescriptor(env, '__proto__')?.value).toBe('x')
  })

  test('an own key named __proto__ in a server config is an unknown option', () => {
    const config = JSON.parse('{ "transport": "stdio", "command": "node", "__proto__": { "command": "" } }')
    expect(configErrorOf(() => validateServerConfig('w', config)).issues).toEqual([
      { path: 'servers.w.__proto__', message: `{ transport: 'stdio' } does not support "__proto__"` },
    ])
  })

  test('only own fields count: an inherited command is no command', () => {
    const config = Object.assign(Object.create({ command: 'node' }), { transport: 'stdio' })
    expect(configErrorOf(() => validateServerConfig('w', config)).message).toBe(
      'servers.w: expected a server config object (e.g. weatherServer())',
    )
    const inherited = Object.assign(Object.create(null), { transport: 'stdio' })
    Object.setPrototypeOf(inherited, Object.assign(Object.create(null), { command: 'node' }))
    expect(configErrorOf(() => validateServerConfig('w', inherited)).message).toBe(
      'servers.w.command: expected a non-empty string',
    )
  })

  test('a server name that is not a string (addServer from JavaScript) is a ConfigError', () => {
    const error = configErrorOf(() => validateServerConfig(5 as unknown as string, weatherServer()))
    expect(error.message).toBe('servers.5: a server name must be a string')
  })
})

describe('the config is read once, into a frozen plain copy', () => {
  function countingGetter<T>(target: object, key: string, values: T[]): () => number {
    let reads = 0
    Object.defineProperty(target, key, {
      enumerable: true,
      get: () => values[Math.min(reads++, values.length - 1)],
    })
    return () => reads
  }

  test('every getter is read exactly once; the copy holds what it returned then', () => {
    const server: Record<string, unknown> = { transport: 'stdio' }
    const commandReads = countingGetter(server, 'command', ['node', ''])
    const args: string[] = []
    const argReads = countingGetter(args, '0', ['-v', 5])
    server.args = Object.assign(args, { length: 1 })
    const config = { servers: { w: server } }
    const timeoutReads = countingGetter(config, 'startupTimeout', [100, -1])
    const valid = validateHostConfig(config)
    expect(valid).toEqual({
      startupTimeout: 100,
      servers: { w: { transport: 'stdio', command: 'node', args: ['-v'] } },
    })
    expect([commandReads(), argReads(), timeoutReads()]).toEqual([1, 1, 1])
    // Reading the input again would now give invalid values; the copy does not change.
    expect(server.command).toBe('')
    expect(valid.servers.w).toMatchObject({ command: 'node', args: ['-v'] })
  })

  test('the copy is frozen all the way down, and is not the input', () => {
    const input = {
      servers: { w: weatherServer({ env: { A: 'b' }, exclude: ['x'], shutdown: { graceMs: 1 } }) },
    }
    const valid = validateHostConfig(input)
    const w = valid.servers.w as StdioServerConfig
    expect(valid).not.toBe(input)
    expect(w).not.toBe(input.servers.w)
    for (const part of [valid, valid.servers, w, w.args, w.env, w.exclude, w.shutdown]) {
      expect(Object.isFrozen(part)).toBe(true)
    }
    expect(Object.isFrozen(input.servers.w)).toBe(false)
  })

  test('a getter that throws is a ConfigError naming its field', () => {
    const server = { transport: 'stdio' }
    Object.defineProperty(server, 'command', {
      enumerable: true,
      get: () => {
        throw new Error('boom')
      },
    })
    expect(configErrorOf(() => validateHostConfig({ servers: { w: server } })).issues).toEqual([
      { path: 'servers.w.command', message: 'could not be read (its getter threw: boom)' },
    ])
  })

  test('a Proxy that cannot be read is a ConfigError naming it', () => {
    const trap = () => {
      throw new Error('no keys')
    }
    const servers = new Proxy({}, { ownKeys: trap })
    expect(configErrorOf(() => validateHostConfig({ servers })).issues).toEqual([
      { path: 'servers', message: 'could not be read (no keys)' },
    ])
  })

  test('HostManager.start runs the copy: a getter changing the factory later is not read again', async () => {
    const mem = countingWeatherServer()
    const server: Record<string, unknown> = { transport: 'memory' }
    const reads = countingGetter(server, 'server', [
      mem.config.server,
      () => {
        throw new Error('the second read')
      },
    ])
    const host = await HostManager.start({ servers: { mem: server as never } })
    try {
      expect(reads()).toBe(1)
      expect(mem.created()).toBe(1)
      expect((await host.listTools()).length).toBeGreaterThan(0)
    } finally {
      await host.shutdown()
    }
  })

  test('addServer runs the copy too', async () => {
    const host = await HostManager.start({ servers: {} })
    try {
      const mem = countingWeatherServer()
      const server: Record<string, unknown> = { transport: 'memory' }
      const reads = countingGetter(server, 'server', [mem.config.server, 42])
      await host.addServer('mem', server as never)
      expect([reads(), mem.created()]).toEqual([1, 1])
    } finally {
      await host.shutdown()
    }
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

describe('client: the host side of the protocol', () => {
  const withClient = (client: unknown) => ({ servers: {}, client })

  test.each([
    [
      'not an object',
      'yes',
      'client',
      'expected an object ({ name?, version?, sampling?, elicitation?, roots?, maxRounds? })',
    ],
    ['an empty name', { name: '' }, 'client.name', 'expected a non-empty string'],
    ['a version that is a number', { version: 1 }, 'client.version', 'expected a non-empty string'],
    [
      'a sampling handler that is not a function',
      { sampling: { role: 'assistant' } },
      'client.sampling',
      'expected a function (params, { server }) returning a CreateMessageResult',
    ],
    [
      'an elicitation handler that is a string',
      { elicitation: 'accept' },
      'client.elicitation',
      'expected a function (params, { server }) returning an ElicitResult',
    ],
    [
      'roots that are not an array',
      { roots: 'file:///x' },
      'client.roots',
      'expected an array of roots ({ uri: "file:///...", name? })',
    ],
    [
      'a root that is a string',
      { roots: ['file:///x'] },
      'client.roots.0',
      'expected a root ({ uri: "file:///...", name? })',
    ],
    ['a root without uri', { roots: [{ name: 'x' }] }, 'client.roots.0.uri', 'expected a file:// URI'],
    [
      'a root that is not a file URI',
      { roots: [{ uri: 'file:///a' }, { uri: 'https://example.com/' }] },
      'client.roots.1.uri',
      'expected a file:// URI',
    ],
    [
      'a root name that is not a string',
      { roots: [{ uri: 'file:///a', name: 3 }] },
      'client.roots.0.name',
      'expected a string',
    ],
    [
      'a root _meta that is not an object',
      { roots: [{ uri: 'file:///a', _meta: 1 }] },
      'client.roots.0._meta',
      'expected an object',
    ],
    [
      'an unknown root key',
      { roots: [{ uri: 'file:///a', path: '/a' }] },
      'client.roots.0.path',
      'unknown option "path"',
    ],
    ['an unknown client option', { sampler: () => ({}) }, 'client.sampler', 'unknown option "sampler"'],
  ])('%s', (_what, client, path, message) => {
    const error = configErrorOf(() => validateHostConfig(withClient(client)))
    expect(error.path).toBe(path)
    expect(error.message).toBe(`${path}: ${message}`)
  })

  test('a valid client config: handlers kept as they are, roots copied and frozen, the input untouched', () => {
    const sampling = () => ({
      role: 'assistant' as const,
      content: { type: 'text' as const, text: '' },
      model: 'm',
    })
    const meta = { tag: 'a' }
    const input: HostConfig = {
      servers: {},
      client: { name: 'c', version: '1', sampling, roots: [{ uri: 'file:///a', name: 'a', _meta: meta }] },
    }
    const valid = validateHostConfig(input)
    expect(valid.client?.sampling).toBe(sampling)
    expect(valid.client?.roots).toEqual([{ uri: 'file:///a', name: 'a', _meta: { tag: 'a' } }])
    expect(valid.client?.roots).not.toBe(input.client?.roots)
    expect(Object.isFrozen(valid.client?.roots?.[0]?._meta)).toBe(true)
    expect(Object.isFrozen(meta)).toBe(false)
    expect(Object.isFrozen(input.client?.roots)).toBe(false)
  })
})
