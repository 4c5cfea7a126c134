// How a worker server's thread ends while in use, as its host reports it: process.exit with its code,
// an uncaught error with its message, the heap limit (resourceLimits) reached, in real tinypool threads.
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import type { WorkerServerConfig } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'
import { ServerExitError } from '../../src/launchers/errors.js'
import { rejectionOf } from '../support/assertions.js'

const SERVERS = fileURLToPath(new URL('../support/worker-servers/servers.mjs', import.meta.url))

function misbehaving(extra: Partial<WorkerServerConfig> = {}): WorkerServerConfig {
  return { transport: 'worker', module: SERVERS, export: 'misbehaving', ...extra }
}

/** Starts a host with `config` as server "w", calls `tool`, and returns what the call rejected with. */
async function crashOf(config: WorkerServerConfig, tool: string, args: Record<string, unknown>) {
  const host = await HostManager.start({ servers: { w: config } })
  try {
    const error = await rejectionOf(host.callTool(tool, args))
    return {
      error: error as ServerExitError,
      state: host.server('w').state,
      stderr: host.server('w').stderr(),
    }
  } finally {
    await host.shutdown()
  }
}

describe('a worker server ending while in use: ServerExitError with its code and why', () => {
  test('process.exit(7): "exited with code 7"', async () => {
    const { error, state } = await crashOf(misbehaving(), 'exit', { code: 7 })
    expect(error).toBeInstanceOf(ServerExitError)
    expect(error).toMatchObject({ server: 'w', exitCode: 7, signal: undefined })
    expect(error.message.split('\n')[0]).toBe(
      'Server "w" exited with code 7 while in use (during tools/call exit).',
    )
    expect(state).toBe('crashed')
  })

  test.for([
    {
      tool: 'throw-later',
      what: 'an error thrown from a timer',
      at: /at Timeout\._onTimeout \(.*servers\.mjs:\d+:\d+\)/,
    },
    { tool: 'reject-later', what: 'an unhandled rejection', at: /at .*servers\.mjs:\d+:\d+/ },
  ])('$what: its code and its message, the stack in stderr()', async ({ tool, at }) => {
    const { error, state, stderr } = await crashOf(misbehaving(), tool, { message: 'no more disk' })
    expect(error).toBeInstanceOf(ServerExitError)
    expect(error).toMatchObject({ server: 'w', exitCode: 1 })
    expect(error.message.split('\n')[0]).toBe(
      `Server "w" exited with code 1 (uncaught Error: no more disk) while in use (during tools/call ${tool}).`,
    )
    expect(stderr).toMatch(/^Uncaught Error: no more disk\n {4}at /)
    expect(stderr.split('\n')[1]).toMatch(at)
    expect(state).toBe('crashed')
  })
})

// Filling a heap to its limit takes seconds on a loaded machine (V8 collects hard before giving up).
describe('resourceLimits: the heap a worker server may use', { timeout: 30_000 }, () => {
  test('by default 128 MB: a server holding 400 MB ends, saying it ran out of memory', async () => {
    const { error, state } = await crashOf(misbehaving(), 'allocate', { mb: 400 })
    expect(error).toBeInstanceOf(ServerExitError)
    expect(error).toMatchObject({ server: 'w', exitCode: 1 })
    expect(error.message.split('\n')[0]).toBe(
      'Server "w" exited with code 1 (out of memory: its heap reached ' +
        'resourceLimits.maxOldGenerationSizeMb = 128 MB; raise it if the server needs more) ' +
        'while in use (during tools/call allocate).',
    )
    expect(state).toBe('crashed')
  })

  test('a limit of its own: 32 MB is reached by 64 MB, 256 MB holds 64 MB', async () => {
    const small = await crashOf(misbehaving({ resourceLimits: { maxOldGenerationSizeMb: 32 } }), 'allocate', {
      mb: 64,
    })
    expect(small.error.message).toMatch(
      /^Server "w" exited with code 1 \(out of memory: its heap reached resourceLimits\.maxOldGenerationSizeMb = 32 MB;/,
    )
    const host = await HostManager.start({
      servers: { w: misbehaving({ resourceLimits: { maxOldGenerationSizeMb: 256 } }) },
    })
    try {
      const held = await host.callTool('allocate', { mb: 64 })
      expect(held.content).toEqual([{ type: 'text', text: 'holding 64 MB' }])
    } finally {
      await host.shutdown()
    }
  })

  test('the thread that ran out is gone; the next server of that pool starts and serves', async () => {
    await crashOf(misbehaving({ resourceLimits: { maxOldGenerationSizeMb: 32 } }), 'allocate', { mb: 64 })
    const host = await HostManager.start({
      servers: { w: misbehaving({ resourceLimits: { maxOldGenerationSizeMb: 32 } }) },
    })
    try {
      const held = await host.callTool('allocate', { mb: 1 })
      expect(held.content).toEqual([{ type: 'text', text: 'holding 1 MB' }])
    } finally {
      await host.shutdown()
    }
  })
})
