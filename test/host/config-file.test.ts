// loadHostConfig on memfs volumes: both file shapes, JSON with comments, substitution, and every
// problem as a ConfigError with `file` set and the exact message and position. Nothing here reads the
// real disk (the end-to-end check with a real file: test/e2e/fixture.test.ts, "config-files").
import path from 'node:path'
import { memfs } from 'memfs'
import { describe, expect, test } from 'vitest'
import { loadHostConfig } from '../../src/host/config/config-file.js'
import { ConfigError } from '../../src/host/errors.js'
import { HostManager } from '../../src/host/host-manager.js'
import '../../src/matchers/index.js'
import { bundlePath } from '../../src/servers/index.js'

/** A memfs fs holding `files` (absolute path → text). */
const volume = (files: Record<string, string>) => memfs(files).fs

/** Loads `text` as `/app/<name>` from a memfs volume. */
function load(text: string, env: Record<string, string | undefined> = {}, name = '.mcp.json') {
  return loadHostConfig(`/app/${name}`, { fs: volume({ [`/app/${name}`]: text }), env })
}

async function configErrorOf(loading: Promise<unknown>): Promise<ConfigError> {
  const error = await loading.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ConfigError)
  return error as ConfigError
}

/** The message of the ConfigError that loading `text` (as /app/.mcp.json) rejects with. */
async function messageOf(text: string, env: Record<string, string | undefined> = {}): Promise<string> {
  const error = await configErrorOf(load(text, env))
  expect(error.file).toBe('/app/.mcp.json')
  return error.message
}

describe('the shapes users have', () => {
  test('Claude Code .mcp.json / Claude Desktop / Cursor: { mcpServers }, cwd the file’s folder, paths as written', async () => {
    const config = await load(
      JSON.stringify({
        mcpServers: {
          weather: { command: 'node', args: ['./server.js', '--verbose'], env: { LEVEL: 'debug' } },
          remote: { url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer t' } },
          local: { command: 'python', args: ['srv.py'], cwd: '../tools' },
        },
        // Claude Desktop keeps its own settings next to the servers.
        globalShortcut: 'Ctrl+Space',
      }),
    )
    expect(config).toEqual({
      servers: {
        weather: {
          transport: 'stdio',
          command: 'node',
          args: ['./server.js', '--verbose'],
          env: { LEVEL: 'debug' },
          cwd: '/app',
        },
        remote: {
          transport: 'http',
          url: 'https://mcp.example.com/mcp',
          headers: { Authorization: 'Bearer t' },
        },
        local: { transport: 'stdio', command: 'python', args: ['srv.py'], cwd: '../tools' },
      },
    })
  })

  test('VS Code mcp.json: { servers } with comments, trailing commas, type, and inputs ignored', async () => {
    const text = `{
  // VS Code asks for inputs; a test passes env instead.
  "inputs": [{ "type": "promptString", "id": "token" }],
  "servers": {
    /* a local one */
    "files": { "type": "stdio", "command": "npx", "args": ["-y", "files-server",], },
    "web": { "type": "http", "url": "http://127.0.0.1:8080/mcp" },
    "stream": { "type": "streamable-http", "url": "http://127.0.0.1:8081/mcp", },
  },
}`
    expect(await load(text, {}, 'mcp.json')).toEqual({
      servers: {
        files: { transport: 'stdio', command: 'npx', args: ['-y', 'files-server'], cwd: '/app' },
        web: { transport: 'http', url: 'http://127.0.0.1:8080/mcp' },
        stream: { transport: 'http', url: 'http://127.0.0.1:8081/mcp' },
      },
    })
  })

  test('a disabled entry is left out (its variables need not be set); UI-only keys are ignored', async () => {
    const config = await load(
      JSON.stringify({
        mcpServers: {
          off: { command: 'node', env: { KEY: '${UNSET_ONE}' }, disabled: true },
          on: {
            command: 'node',
            disabled: false,
            description: 'd',
            autoApprove: ['a'],
            alwaysAllow: ['b'],
            dev: { watch: 'src/**' },
          },
        },
      }),
    )
    expect(config).toEqual({ servers: { on: { transport: 'stdio', command: 'node', cwd: '/app' } } })
  })

  test('options.cwd replaces the default; a relative file path gets the folder it resolves to', async () => {
    const fs = volume({ '/app/.mcp.json': '{ "mcpServers": { "a": { "command": "node" } } }' })
    const explicit = await loadHostConfig('/app/.mcp.json', { fs, env: {}, cwd: '/work' })
    expect(explicit.servers.a).toEqual({ transport: 'stdio', command: 'node', cwd: '/work' })
    const relative = path.relative(process.cwd(), '/app/.mcp.json')
    const resolved = await loadHostConfig(relative, { fs, env: {} })
    expect(resolved.servers.a).toEqual({ transport: 'stdio', command: 'node', cwd: '/app' })
  })

  test('the result is validated and frozen; a server named __proto__ stays a server', async () => {
    const config = await load('{ "mcpServers": { "__proto__": { "command": "node" } } }')
    expect(Object.keys(config.servers)).toEqual(['__proto__'])
    expect(Object.isFrozen(config.servers)).toBe(true)
  })

  test('bytes from readFile are decoded; a byte-order mark is skipped, as editors do', async () => {
    const bytes = new TextEncoder().encode('\uFEFF{ "mcpServers": { "a": { "command": "" } } }')
    const fs = { promises: { readFile: async () => bytes } }
    const error = await configErrorOf(loadHostConfig('bom.json', { fs, env: {} }))
    expect(error.message).toBe('bom.json:1:37: mcpServers.a.command: expected a non-empty string')
  })

  test('a loaded config starts: a memfs file naming the bundled weather server', async () => {
    const fs = volume({
      '/app/.mcp.json': JSON.stringify({
        mcpServers: { weather: { command: process.execPath, args: ['${WEATHER}'], cwd: '/' } },
      }),
    })
    const config = await loadHostConfig('/app/.mcp.json', { fs, env: { WEATHER: bundlePath('weather') } })
    await using host = await HostManager.start(config)
    expect(await host.callTool('weather_lookup', { location: 'Tokyo' })).toContainToolText('Sunny')
  })
})

describe('substitution', () => {
  test('${env:NAME}, ${NAME} and ${NAME:-default} in every string value; keys and $NAME stay', async () => {
    const text = JSON.stringify({
      mcpServers: {
        a: {
          command: '${env:BIN}',
          args: ['--key=${KEY}', '${MISSING:-fallback}', '${EMPTY:-unused}', '$KEY', '${BIN}${KEY}'],
          env: { '${KEY}': '${env:KEY}' },
          cwd: '${HOME_DIR}/work',
        },
        b: { url: 'https://${HOST}/mcp', headers: { Authorization: 'Bearer ${TOKEN}' } },
      },
    })
    const env = { BIN: 'node', KEY: 'k1', EMPTY: '', HOME_DIR: '/home/u', HOST: 'h.example', TOKEN: 't' }
    expect(await load(text, env)).toEqual({
      servers: {
        a: {
          transport: 'stdio',
          command: 'node',
          args: ['--key=k1', 'fallback', '', '$KEY', 'nodek1'],
          env: { '${KEY}': 'k1' },
          cwd: '/home/u/work',
        },
        b: { transport: 'http', url: 'https://h.example/mcp', headers: { Authorization: 'Bearer t' } },
      },
    })
  })

  test('the environment is process.env unless env is given', async ({ onTestFinished }) => {
    process.env.VITEST_MCP_HOST_CONFIG_FILE_TEST = 'from-process'
    onTestFinished(() => {
      delete process.env.VITEST_MCP_HOST_CONFIG_FILE_TEST
    })
    const fs = volume({
      '/app/.mcp.json': '{ "mcpServers": { "a": { "command": "${VITEST_MCP_HOST_CONFIG_FILE_TEST}" } } }',
    })
    expect((await loadHostConfig('/app/.mcp.json', { fs })).servers.a).toMatchObject({
      command: 'from-process',
    })
  })

  test("VS Code's predefined variables: said to be VS Code's, with how to pass one", async () => {
    const text = `{
  "servers": {
    "a": { "command": "node", "args": ["\${workspaceFolder}/server.js"] }
  }
}`
    expect(await messageOf(text)).toBe(
      "/app/.mcp.json:3:40: servers.a.args.0: ${workspaceFolder} is one of VS Code's predefined variables, which only VS Code fills in: pass it in loadHostConfig()'s env option (e.g. env: { ...process.env, workspaceFolder: process.cwd() }; in a fixture: hostManager(() => loadHostConfig(file, { env })))",
    )
  })

  test('an unset variable is named, at the string that uses it', async () => {
    const text = `{
  "mcpServers": {
    "a": { "command": "node", "env": { "KEY": "\${env:API_KEY}" } }
  }
}`
    expect(await messageOf(text)).toBe(
      "/app/.mcp.json:3:47: mcpServers.a.env.KEY: ${env:API_KEY}: environment variable API_KEY is not set; set it, or pass it in loadHostConfig()'s env option (in a fixture: hostManager(() => loadHostConfig(file, { env })))",
    )
  })

  test("VS Code's ${input:...} says how to pass the value instead", async () => {
    const error = await configErrorOf(
      load('{"servers":{"gh":{"url":"https://x/mcp","headers":{"Authorization":"Bearer ${input:token}"}}}}'),
    )
    expect(error.path).toBe('servers.gh.headers.Authorization')
    expect(error.message).toBe(
      "/app/.mcp.json:1:68: servers.gh.headers.Authorization: ${input:token} asks VS Code's user for a value, which a test cannot answer: write ${env:NAME} instead and set NAME in the environment, or pass it in loadHostConfig()'s env option",
    )
  })

  test("only the environment's own variables: ${env:__proto__} and ${toString} are not set, whatever env is", async () => {
    const notSet = (name: string, line: string) =>
      `/app/.mcp.json:1:${line}: environment variable ${name} is not set; set it, or pass it in loadHostConfig()'s env option (in a fixture: hostManager(() => loadHostConfig(file, { env })))`
    const text =
      '{"mcpServers":{"a":{"command":"node","args":["${env:__proto__}","${toString}","${constructor:-kept}"]}}}'
    const expected = [
      '/app/.mcp.json: 2 problems:',
      `  ${notSet('__proto__', '46: mcpServers.a.args.0: ${env:__proto__}')}`,
      `  ${notSet('toString', '65: mcpServers.a.args.1: ${toString}')}`,
    ].join('\n')
    expect(await messageOf(text, {})).toBe(expected)
    // process.env, the default, is no plain object: the same.
    const error = await configErrorOf(
      loadHostConfig('/app/.mcp.json', { fs: volume({ '/app/.mcp.json': text }) }),
    )
    expect(error.message).toBe(expected)
    // An own variable of such a name is the user's to set.
    const config = await load(text, JSON.parse('{ "__proto__": "p", "toString": "t" }'))
    expect(config.servers.a).toMatchObject({ args: ['p', 't', 'kept'] })
  })

  test('a variable given a value that is not a string is named', async () => {
    expect(
      await messageOf('{"mcpServers":{"a":{"command":"${CMD}"}}}', { CMD: 42 } as unknown as Record<
        string,
        string
      >),
    ).toBe(
      "/app/.mcp.json:1:31: mcpServers.a.command: ${CMD}: variable CMD in loadHostConfig()'s env option is not a string (got number)",
    )
  })

  test('another kind of variable is named, with the kinds that are substituted', async () => {
    expect(await messageOf('{"mcpServers":{"a":{"command":"node","args":["${workspaceFolder:x}"]}}}')).toBe(
      '/app/.mcp.json:1:46: mcpServers.a.args.0: ${workspaceFolder:x} is not a variable this loader substitutes (it knows ${env:NAME}, ${NAME} and ${NAME:-default})',
    )
  })
})

describe('every problem: "<file>:<line>:<column>: <key path>: <what to fix>"', () => {
  const one = (entry: string) => `{\n  "mcpServers": {\n    "weather": ${entry}\n  }\n}`
  test.each([
    [
      'an empty command (from the validation of the result)',
      one('{ "command": "" }'),
      '3:29: mcpServers.weather.command: expected a non-empty string',
    ],
    [
      'an argument that is not a string',
      one('{ "command": "node", "args": ["a", 5] }'),
      '3:51: mcpServers.weather.args.1: expected every argument to be a string',
    ],
    [
      'type stdio without a command: at the entry',
      one('{ "type": "stdio" }'),
      '3:16: mcpServers.weather.command: expected a non-empty string',
    ],
    [
      'a url that is not http(s)',
      one('{ "url": "ftp://x" }'),
      '3:25: mcpServers.weather.url: expected an http:// or https:// URL',
    ],
    [
      'a header name with a space',
      one('{ "url": "https://x/mcp", "headers": { "Bad Name": "v" } }'),
      '3:53: mcpServers.weather.headers: "Bad Name" is not a valid header name',
    ],
    [
      'type sse',
      one('{ "type": "sse", "url": "https://x/sse" }'),
      '3:26: mcpServers.weather.type: "sse" (HTTP with Server-Sent Events, deprecated by MCP) is not supported: point "url" at the server\'s Streamable HTTP endpoint and write "type": "http"',
    ],
    [
      'an unknown type',
      one('{ "type": "websocket", "url": "wss://x" }'),
      '3:26: mcpServers.weather.type: expected "stdio", "http" or "streamable-http"',
    ],
    [
      'an unknown key: at the key',
      one('{ "command": "node", "timeout": 30 }'),
      '3:37: mcpServers.weather.timeout: unknown key "timeout" (stdio entries take command, args, env, cwd; http entries url, headers)',
    ],
    [
      'a key of the other transport',
      one('{ "command": "node", "headers": {} }'),
      '3:37: mcpServers.weather.headers: a stdio entry (one with "command") does not take "headers"',
    ],
    [
      'cwd on an http entry',
      one('{ "type": "http", "url": "https://x/mcp", "cwd": "/" }'),
      '3:58: mcpServers.weather.cwd: an http entry (one with "url") does not take "cwd"',
    ],
    [
      'envFile',
      one('{ "command": "node", "envFile": ".env" }'),
      '3:37: mcpServers.weather.envFile: "envFile" is not supported: put the variables in "env" (values may use ${env:NAME})',
    ],
    [
      'both command and url',
      one('{ "command": "node", "url": "https://x/mcp" }'),
      '3:37: mcpServers.weather.url: give "command" (a server to start) or "url" (a running server), not both',
    ],
    [
      'neither command nor url',
      one('{ "args": [] }'),
      '3:16: mcpServers.weather: expected "command" (a server to start) or "url" (a running Streamable HTTP server)',
    ],
    [
      'an entry that is not an object',
      one('"node server.js"'),
      '3:16: mcpServers.weather: expected a server entry object ({ "command": ... } or { "url": ... })',
    ],
    [
      'disabled that is not a boolean',
      one('{ "command": "node", "disabled": "yes" }'),
      '3:49: mcpServers.weather.disabled: expected true or false',
    ],
    [
      'a key written twice: at the second',
      one('{ "command": "node", "command": "python" }'),
      '3:37: mcpServers.weather.command: duplicate key "command"',
    ],
    [
      'servers that are not an object',
      '{\n  "mcpServers": []\n}',
      '2:17: mcpServers: expected an object of named server entries',
    ],
    [
      'no servers at all',
      '{ "servers_": {} }',
      '1:1: expected an object with "mcpServers" (Claude, Cursor) or "servers" (VS Code)',
    ],
    [
      'a file that is no object',
      '[1, 2]',
      '1:1: expected an object with "mcpServers" (Claude, Cursor) or "servers" (VS Code)',
    ],
    [
      'both keys',
      '{ "mcpServers": {}, "servers": {} }',
      '1:32: servers: has both "mcpServers" and "servers": keep one',
    ],
  ])('%s', async (_, text, expected) => {
    expect(await messageOf(text)).toBe(`/app/.mcp.json:${expected}`)
  })

  test('the path names the key in the file: ConfigError.path', async () => {
    const error = await configErrorOf(load(one('{ "command": "" }')))
    expect(error.path).toBe('mcpServers.weather.command')
    expect(error.issues).toEqual([
      { path: 'mcpServers.weather.command', message: 'expected a non-empty string', line: 3, column: 29 },
    ])
  })

  test('several problems are listed together, in file order, each line with its position', async () => {
    const text = `{
  "mcpServers": {
    "b": { "type": "sse", "url": "https://x/sse" },
    "a": { "command": "" },
    "c": { "command": "node", "env": { "K": "\${NOPE}" } }
  }
}`
    expect(await messageOf(text)).toBe(
      [
        '/app/.mcp.json: 3 problems:',
        '  /app/.mcp.json:3:20: mcpServers.b.type: "sse" (HTTP with Server-Sent Events, deprecated by MCP) is not supported: point "url" at the server\'s Streamable HTTP endpoint and write "type": "http"',
        '  /app/.mcp.json:4:23: mcpServers.a.command: expected a non-empty string',
        "  /app/.mcp.json:5:45: mcpServers.c.env.K: ${NOPE}: environment variable NOPE is not set; set it, or pass it in loadHostConfig()'s env option (in a fixture: hostManager(() => loadHostConfig(file, { env })))",
      ].join('\n'),
    )
  })
})

describe('what a file must not hold', () => {
  test('a url with credentials: a ConfigError saying to use headers, without the password', async () => {
    const error = await configErrorOf(
      load('{"mcpServers":{"api":{"url":"https://alice:s3cret@example.com/mcp"}}}'),
    )
    expect(error.message).toBe(
      `/app/.mcp.json:1:29: mcpServers.api.url: must not contain credentials ("user:password@"): send them in headers instead (e.g. headers: { Authorization: 'Basic ' + btoa('user:password') })`,
    )
  })

  test('a header value beyond Latin-1 is named: it could not be sent', async () => {
    const text = '{"servers":{"api":{"url":"https://x/mcp","headers":{"X-User":"${NAME}"}}}}'
    expect(await messageOf(text, { NAME: 'Zoë 🙂' })).toBe(
      '/app/.mcp.json:1:62: servers.api.headers.X-User: must hold only Latin-1 characters (U+0000 to U+00FF), as HTTP header values are bytes: percent-encode or base64 the value',
    )
  })

  test('a file of many mistakes: the first 20 in the message, in file order, and how many more; all in issues', async () => {
    const entries = Array.from({ length: 1000 }, (_, i) =>
      i % 2 === 0 ? `"s${i}": { "command": "" }` : `"s${i}": { "command": "node", "bogus": 1 }`,
    )
    const error = await configErrorOf(load(`{ "mcpServers": {\n${entries.join(',\n')}\n} }`))
    expect(error.issues).toHaveLength(1000)
    expect(error.issues[999]).toEqual({
      path: 'mcpServers.s999.bogus',
      message: 'unknown key "bogus" (stdio entries take command, args, env, cwd; http entries url, headers)',
      line: 1001,
      column: 30,
    })
    const lines = error.message.split('\n')
    expect(lines).toHaveLength(22)
    expect(lines[0]).toBe('/app/.mcp.json: 1000 problems:')
    expect(lines[1]).toBe('  /app/.mcp.json:2:20: mcpServers.s0.command: expected a non-empty string')
    expect(lines[2]).toMatch(/^ {2}\/app\/\.mcp\.json:3:28: mcpServers\.s1\.bogus: unknown key "bogus"/)
    expect(lines[21]).toBe("  and 980 more (all 1000 are in the error's issues)")
  })
})

describe('syntax: the first error, at its position', () => {
  test.each([
    ['a missing comma', '{\n  "mcpServers": {}\n  "x": 1\n}', '3:3: expected "," (JSON with comments)'],
    [
      'an unclosed block comment',
      '{ "mcpServers": {} } /* end',
      '1:22: a comment is not closed ("*/" missing) (JSON with comments)',
    ],
    ['an empty file', '', '1:1: expected a value (JSON with comments)'],
    ['a single-quoted key', "{ 'mcpServers': {} }", '1:3: unexpected character (JSON with comments)'],
    ['an unclosed string', '{ "mcpServers": {"a', '1:18: a string is not closed (JSON with comments)'],
    [
      'CRLF line ends',
      '{\r\n  "mcpServers": {\r\n    "a": { "command": "node" }\r\n  }\r\n',
      '5:1: expected "}" (JSON with comments)',
    ],
  ])('%s', async (_, text, expected) => {
    expect(await messageOf(text)).toBe(`/app/.mcp.json:${expected}`)
  })

  test('nesting deeper than the parser can recurse is a ConfigError at where it gets too deep', async () => {
    const deep = `{\n  "mcpServers": {},\n  "other": ${'['.repeat(10_000)}${']'.repeat(10_000)}\n}`
    const error = await configErrorOf(load(deep))
    expect(error.issues).toEqual([
      {
        path: '',
        message:
          'nested deeper than 512 objects and arrays: no config needs that; is the file generated wrongly?',
        line: 3,
        column: 12 + 511,
      },
    ])
    expect(error.message).toMatch(/^\/app\/\.mcp\.json:3:523: nested deeper than 512/)
  })

  test('brackets in strings and comments are no nesting; 512 deep is still read', async () => {
    const text = `{ "mcpServers": {}, "s": "${'['.repeat(2000)}", /* ${'{'.repeat(2000)} */ "d": ${'['.repeat(510)}${']'.repeat(510)} }`
    expect(await load(text)).toEqual({ servers: {} })
  })
})

describe('reading the file', () => {
  test('a missing file: the platform error as cause', async () => {
    const error = await configErrorOf(loadHostConfig('/app/.mcp.json', { fs: volume({}) }))
    expect(error.message).toBe('/app/.mcp.json: cannot read the config file: no such file (ENOENT)')
    expect(error.file).toBe('/app/.mcp.json')
    expect(error.path).toBe('')
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT')
  })

  test('a missing file by a relative path: the message says where it looked', async () => {
    const error = await configErrorOf(loadHostConfig('conf/.mcp.json', { fs: volume({}) }))
    expect(error.message).toBe(
      `conf/.mcp.json: cannot read the config file: no such file (ENOENT) at ${path.resolve('conf/.mcp.json')}`,
    )
    expect(error.file).toBe('conf/.mcp.json')
  })

  test('a directory', async () => {
    const error = await configErrorOf(loadHostConfig('/app', { fs: volume({ '/app/x': '' }) }))
    expect(error.message).toBe('/app: cannot read the config file: it is a directory (EISDIR)')
  })

  test('an fs that throws something else, or answers neither text nor bytes', async () => {
    const throwing = { promises: { readFile: () => Promise.reject('nope') } }
    const odd = { promises: { readFile: async () => 42 as unknown as string } }
    expect((await configErrorOf(loadHostConfig('x.json', { fs: throwing }))).message).toBe(
      'x.json: cannot read the config file: nope',
    )
    expect((await configErrorOf(loadHostConfig('x.json', { fs: odd }))).message).toBe(
      'x.json: fs.promises.readFile returned neither text nor bytes',
    )
  })

  test("loadHostConfig's own arguments", async () => {
    const bad = (file: unknown, options: unknown) =>
      configErrorOf(loadHostConfig(file as string, options as never))
    expect((await bad('', {})).message).toBe('file: expected the path of a config file')
    expect((await bad('a.json', { fs: {} })).message).toBe(
      'fs: expected an object with promises.readFile (node:fs, or a memfs volume)',
    )
    expect((await bad('a.json', { env: 'A=1' })).message).toBe('env: expected an object of variables')
    expect((await bad('a.json', { cwd: '' })).message).toBe('cwd: expected a non-empty string')
  })
})
