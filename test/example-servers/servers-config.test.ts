// The config functions of `vitest-mcp-host/servers`: shapes and argument checks, nothing spawned.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import {
  type MisbehaviourKind,
  misbehavingServer,
  misbehaviourKinds,
  weatherHttpServer,
  weatherServer,
} from '../../src/servers/index.js'

describe('weatherServer', () => {
  test('runs the bundled weather.mjs with this Node, options copied in', () => {
    const config = weatherServer({ env: { TZ: 'UTC' }, startupTimeout: 2000, shutdown: { graceMs: 50 } })
    expect(config).toEqual({
      transport: 'stdio',
      command: process.execPath,
      args: [expect.stringMatching(/[/\\]dist[/\\]example-servers[/\\]weather\.mjs$/)],
      env: { TZ: 'UTC' },
      startupTimeout: 2000,
      shutdown: { graceMs: 50 },
    })
    const [bundle] = config.args ?? []
    expect(bundle !== undefined && path.isAbsolute(bundle) && existsSync(bundle)).toBe(true)
  })
})

describe('weatherHttpServer', () => {
  test('spawns the bundled weather-http.mjs with this Node over http, options copied in', () => {
    const config = weatherHttpServer({ env: { TZ: 'UTC' }, startupTimeout: 2000 })
    expect(config).toEqual({
      transport: 'http',
      command: process.execPath,
      args: [expect.stringMatching(/[/\\]dist[/\\]example-servers[/\\]weather-http\.mjs$/)],
      env: { TZ: 'UTC' },
      startupTimeout: 2000,
    })
    const [bundle] = config.args ?? []
    expect(bundle !== undefined && existsSync(bundle)).toBe(true)
  })
})

describe('misbehavingServer', () => {
  test('passes the kind, and --delay-ms only when given', () => {
    expect(misbehavingServer('hang').args?.slice(1)).toEqual(['hang'])
    const slow = misbehavingServer('slow-start', { delayMs: 250, requestTimeout: 100 })
    expect(slow.args?.slice(1)).toEqual(['slow-start', '--delay-ms=250'])
    expect(slow).toMatchObject({ transport: 'stdio', command: process.execPath, requestTimeout: 100 })
    expect(slow).not.toHaveProperty('delayMs')
  })

  test('knows every kind of the API', () => {
    expect(misbehaviourKinds).toEqual([
      'slow-start',
      'exit-early',
      'crash-on-call',
      'ignore-stdin-close',
      'ignore-sigterm',
      'grandchild',
      'noisy-stdout',
      'hang',
      'setsid-child',
      'close-stdout',
      'modern-only',
      'legacy-only',
      'exit-on-discover',
    ])
  })

  test('rejects an unknown kind and a bad delay before anything runs', () => {
    expect(() => misbehavingServer('sulk' as MisbehaviourKind)).toThrow(
      /unknown kind "sulk"; expected one of/,
    )
    expect(() => misbehavingServer('slow-start', { delayMs: -1 })).toThrow(/delayMs/)
  })
})
