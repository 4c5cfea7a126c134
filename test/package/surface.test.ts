// Guards the public surface (API.md). The import rules between the layers: scripts/dependency-cruiser*.cjs.
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import * as root from '../../src/index.js'
import * as matchers from '../../src/matchers/index.js'
import * as plugin from '../../src/plugin/index.js'
import * as servers from '../../src/servers/index.js'
import { HOST_INFO } from '../../src/version.js'

describe('public surface', () => {
  test('the main entry exports exactly the documented names', () => {
    expect(Object.keys(root).sort()).toEqual(
      [
        'AmbiguousToolError',
        'CassetteFileError',
        'CassetteMismatchError',
        'CassetteMissingError',
        'ConfigError',
        'CrossContextDisposalError',
        'HostClosedError',
        'HostManager',
        'InputRoundsError',
        'HttpResponseError',
        'LeakError',
        'MalformedResultError',
        'ResponseTooLargeError',
        'NotOfferedError',
        'PROTOCOL_REVISIONS',
        'ProtocolViolationError',
        'Scope',
        'ScopeClosedError',
        'ServerExitError',
        'ServerNotReadyError',
        'ServerStartError',
        'TeardownTimeoutError',
        'ToolNotFoundError',
        'defineHostConfig',
        'hostManager',
        'loadHostConfig',
      ].sort(),
    )
  })

  test('every exported error sets name to its class name', () => {
    const samples: Error[] = [
      new root.ConfigError([{ path: 'servers.x.command', message: 'expected a non-empty string' }]),
      new root.ToolNotFoundError('tool', 'x', []),
      new root.NotOfferedError('prompt', 'x', []),
      new root.AmbiguousToolError('tool', 'x', ['a', 'b']),
      new root.TeardownTimeoutError(10, []),
      new root.HostClosedError('host', 'callTool'),
      new root.InputRoundsError('s', 'tools/call x', 10),
      new root.MalformedResultError('s', 'tools/call x', { name: '$ZodError', issues: [] }),
      new root.LeakError('test "t"', []),
      new root.ScopeClosedError('Scope<"s" closed, 0 resources>', 'adopt server "x"'),
      new root.ServerExitError('s', { code: 1, signal: null }, ''),
      new root.ServerNotReadyError('s', 'starting', 'tools/call x'),
      new root.ProtocolViolationError([]),
      new root.CassetteMismatchError({ server: 's', request: {}, difference: '', file: 'f' }),
      new root.CassetteMissingError({ server: 's', file: 'f', why: 'w' }),
      new root.CassetteFileError('f', 'is not valid JSON'),
      new root.ResponseTooLargeError({ server: 's', part: 'body', during: 'tools/call x' }),
      new root.HttpResponseError({
        server: 's',
        status: 500,
        statusText: 'Internal Server Error',
        contentType: 'text/plain',
        body: 'oops',
        truncated: false,
      }),
      new root.ServerStartError({
        server: 's',
        reason: 'spawn',
        command: 'c',
        stderrTail: '',
        cause: new Error('x'),
      }),
      new root.CrossContextDisposalError(
        { kind: 'k', label: 'l' },
        { context: 'a', at: 'x' },
        { context: 'b', at: 'y' },
      ),
    ]
    const exported = Object.keys(root).filter((name) => name.endsWith('Error'))
    expect(samples.map((e) => e.constructor.name).sort()).toEqual(exported.sort())
    for (const error of samples) expect(error.name).toBe(error.constructor.name)
  })

  test('servers and matchers entries', () => {
    expect(Object.keys(servers)).toEqual(
      expect.arrayContaining([
        'weatherServer',
        'weatherHttpServer',
        'weatherWorkerServer',
        'weatherMemoryServer',
        'misbehavingServer',
      ]),
    )
    expect(Object.keys(matchers)).toEqual(expect.arrayContaining(['mcpMatchers', 'toolText']))
  })

  test('the plugin entry exports mcpHost, a Vitest plugin', () => {
    expect(Object.keys(plugin)).toEqual(['mcpHost'])
    const instance = plugin.mcpHost()
    expect(instance.name).toBe('vitest-mcp-host')
    expect(instance.configureVitest).toEqual(expect.any(Function))
  })

  test('every entry point in the exports map has its source module', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, unknown> }
    expect(Object.keys(pkg.exports).sort()).toEqual([
      '.',
      './matchers',
      './package.json',
      './plugin',
      './servers',
    ])
  })

  test('the identity announced to servers matches package.json', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string }
    expect(HOST_INFO).toEqual({ name: pkg.name, version: pkg.version })
  })
})
