// The memory launcher's factory: whatever it returns, throws or never returns, starting fails with a
// ServerStartError carrying the original problem, within the startup timeout.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { describe, expect, test } from 'vitest'
import { createWeatherServer } from '../../example-servers/weather/service.js'
import type { MemoryServerConfig } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'
import { ServerStartError } from '../../src/launchers/errors.js'
import type { LaunchOptions } from '../../src/launchers/launcher.js'
import { DEFAULT_SHUTDOWN } from '../../src/launchers/processes/terminate.js'
import { Timeline } from '../../src/launchers/timeline.js'
import { launchMemory } from '../../src/launchers/transports/memory.js'
import { pollUntil } from '../../src/launchers/util/wait.js'
import { rejectionOf } from '../support/assertions.js'

function options(startupTimeout = 5000): LaunchOptions {
  return { startupTimeout, shutdown: DEFAULT_SHUTDOWN, timeline: new Timeline(), onNoise: () => {} }
}

function memory(server: () => unknown): MemoryServerConfig {
  return { transport: 'memory', server: server as MemoryServerConfig['server'] }
}

async function startError(config: MemoryServerConfig, startupTimeout?: number): Promise<ServerStartError> {
  const error = await rejectionOf(launchMemory('mem', config, options(startupTimeout)))
  expect(error).toBeInstanceOf(ServerStartError)
  return error as ServerStartError
}

describe('a factory that returns no server', () => {
  test.for([
    { what: 'a number', value: 42, shown: '42' },
    { what: 'null', value: null, shown: 'null' },
    { what: 'undefined', value: undefined, shown: 'undefined' },
    { what: 'an object without connect() and close()', value: { connect: 1 }, shown: '{ connect: 1 }' },
    { what: 'a Promise of a string', value: Promise.resolve('server'), shown: "'server'" },
  ])('$what: ServerStartError "protocol" naming what it returned', async ({ value, shown }) => {
    const error = await startError(memory(() => value))
    expect(error).toMatchObject({ server: 'mem', reason: 'protocol', exitCode: undefined })
    const problem = `server() returned ${shown}, not an McpServer (or a Promise of one)`
    expect((error.cause as Error).message).toBe(problem)
    expect(error.message.split('\n')[0]).toBe(`Server "mem" failed during initialize: ${problem}.`)
  })
})

describe('a factory that fails', () => {
  test('one that rejects: ServerStartError "protocol" whose cause is the rejection', async () => {
    const cause = new Error('no database')
    const error = await startError(memory(() => Promise.reject(cause)))
    expect(error).toMatchObject({ reason: 'protocol' })
    expect(error.cause).toBe(cause)
  })

  test('one that throws a non-Error: it is the cause', async () => {
    const error = await startError(
      memory(() => {
        throw 'just a string'
      }),
    )
    expect(error.cause).toBe('just a string')
  })
})

describe('the startup timeout bounds the factory', () => {
  test('a factory that never returns: ServerStartError "timeout" at startupTimeout', async () => {
    const started = performance.now()
    const error = await startError(
      memory(() => new Promise(() => {})),
      100,
    )
    const took = performance.now() - started
    expect(error).toMatchObject({ server: 'mem', reason: 'timeout' })
    expect((error.cause as Error).message).toBe('server() did not return within 100 ms (startupTimeout)')
    expect(took).toBeGreaterThanOrEqual(95)
    expect(took).toBeLessThan(2000)
  })

  test('a server the factory returns too late is closed, never used', async () => {
    let closed = 0
    let returned = false
    let release: () => void = () => {}
    const late = new Promise<void>((resolve) => {
      release = resolve
    })
    const config = memory(async () => {
      await late
      const server: McpServer = createWeatherServer()
      const close = server.close.bind(server)
      server.close = async () => {
        closed++
        await close()
      }
      returned = true
      return server
    })
    const error = await startError(config, 50)
    expect(error.reason).toBe('timeout')
    release()
    expect(await pollUntil(() => closed === 1, 2000), 'the late server was not closed within 2 s').toBe(true)
    expect(returned).toBe(true)
  })

  test.for([
    { what: 'whose connect() never settles', connect: () => new Promise(() => {}) },
    {
      what: 'that never answers initialize',
      connect: (transport: { start(): Promise<void> }) => transport.start(),
    },
  ])('a server $what: ServerStartError "timeout" within the same budget', async ({ connect }) => {
    let closed = false
    const started = performance.now()
    const error = await startError(
      memory(() => ({
        connect,
        close: async () => {
          closed = true
        },
      })),
      100,
    )
    expect(error).toMatchObject({ server: 'mem', reason: 'timeout' })
    expect(performance.now() - started).toBeLessThan(2000)
    expect(closed).toBe(true)
  })

  test('through HostManager.start: the server-level startupTimeout, then the host-level one', async () => {
    const hang = memory(() => new Promise(() => {}))
    const own = await rejectionOf(HostManager.start({ servers: { mem: { ...hang, startupTimeout: 50 } } }))
    expect(own).toMatchObject({ name: 'ServerStartError', server: 'mem', reason: 'timeout' })
    const host = await rejectionOf(HostManager.start({ startupTimeout: 50, servers: { mem: hang } }))
    expect(host).toMatchObject({ name: 'ServerStartError', server: 'mem', reason: 'timeout' })
  })
})
