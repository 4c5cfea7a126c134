// Worker servers in real tinypool threads: the weather service, every way a start fails, a thread that
// exits or spins, its output, its in-memory files; and the weather service in memory.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import type { WorkerServerConfig } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'
import { ServerExitError, ServerStartError } from '../../src/launchers/errors.js'
import { workerPool } from '../../src/launchers/transports/worker/worker-pool.js'
import { pollUntil } from '../../src/launchers/util/wait.js'
import { weatherMemoryServer, weatherWorkerServer } from '../../src/servers/index.js'
import { rejectionOf } from '../support/assertions.js'

const SERVERS = fileURLToPath(new URL('../support/worker-servers/servers.mjs', import.meta.url))
const THIS_FILE = fileURLToPath(import.meta.url)

function worker(exported: string, extra: Partial<WorkerServerConfig> = {}): WorkerServerConfig {
  return { transport: 'worker', module: SERVERS, export: exported, ...extra }
}

async function withHost<T>(
  servers: Record<string, WorkerServerConfig | ReturnType<typeof weatherMemoryServer>>,
  body: (host: HostManager) => Promise<T>,
): Promise<T> {
  const host = await HostManager.start({ servers })
  try {
    return await body(host)
  } finally {
    await host.shutdown()
  }
}

const textOf = (result: { content?: unknown }) => (result.content as Array<{ text: string }>)[0]?.text

describe('the weather service in a worker thread', () => {
  test('serves its tools, prompt and resource', async () => {
    await withHost({ weather: weatherWorkerServer() }, async (host) => {
      expect(host.server('weather')).toMatchObject({ transport: 'worker', pid: undefined, state: 'ready' })
      expect((await host.listTools()).map((tool) => tool.name).sort()).toEqual([
        'current_time',
        'weather_lookup',
      ])
      const london = await host.callTool('weather_lookup', { location: 'London' })
      expect(textOf(london)).toBe('Weather for London: Temp 15°C, Rainy, Humidity 90%')
      const prompt = await host.getPrompt('weather_assistant', { user_name: 'Ada' })
      expect(prompt.messages.length).toBeGreaterThan(0)
      const cities = await host.readResource('weather://cities')
      expect(JSON.parse((cities.contents[0] as { text: string }).text)).toContain('Tokyo')
    })
  })

  test('also in memory (weatherMemoryServer)', async () => {
    await withHost({ weather: weatherMemoryServer() }, async (host) => {
      expect(host.server('weather').transport).toBe('memory')
      const tokyo = await host.callTool('weather_lookup', { location: 'Tokyo', units: 'imperial' })
      expect(textOf(tokyo)).toBe('Weather for Tokyo: Temp 77°F, Sunny, Humidity 50%')
    })
  })
})

describe('a worker server that does not start: ServerStartError carrying the original message', () => {
  test.for([
    {
      what: 'a module that does not exist',
      config: { transport: 'worker', module: '/no/such/server.mjs' } as WorkerServerConfig,
      cause: /Cannot find module '\/no\/such\/server\.mjs'/,
    },
    {
      what: 'a missing export',
      config: worker('nope'),
      cause: /has no function export "nope" \(it exports: .*misbehaving.*\)$/,
    },
    { what: 'a factory that throws', config: worker('throws'), cause: /^no database in this thread$/ },
    {
      what: 'a factory that returns no server',
      config: worker('nothing'),
      cause: /^the factory "nothing" returned \{ connect: 1 \}, not an McpServer \(or a Promise of one\)$/,
    },
  ])('$what', async ({ config, cause }) => {
    const error = await rejectionOf(HostManager.start({ servers: { w: config } }))
    expect(error).toBeInstanceOf(ServerStartError)
    expect(error).toMatchObject({ server: 'w', reason: 'protocol' })
    expect(((error as ServerStartError).cause as Error).message).toMatch(cause)
    expect((error as Error).message.split('\n')[0]).toMatch(/^Server "w" failed during initialize: /)
  })

  test('a factory slower than startupTimeout: "timeout", within about that time', async () => {
    const started = performance.now()
    const error = await rejectionOf(
      HostManager.start({
        servers: { w: worker('slow', { workerData: { delayMs: 5000 }, startupTimeout: 300 }) },
      }),
    )
    expect(error).toMatchObject({ name: 'ServerStartError', reason: 'timeout' })
    expect(performance.now() - started).toBeLessThan(2000)
  })
})

describe('a worker server that ends badly', () => {
  test('process.exit in a tool: the call fails with ServerExitError at once, the server crashed', async () => {
    await withHost({ w: worker('misbehaving') }, async (host) => {
      const started = performance.now()
      const error = await rejectionOf(host.callTool('exit', { code: 7 }))
      expect(performance.now() - started).toBeLessThan(1000)
      expect(error).toBeInstanceOf(ServerExitError)
      expect(error).toMatchObject({ server: 'w', exitCode: 7 })
      expect(host.server('w')).toMatchObject({ state: 'crashed', exitCode: 7 })
    })
  })

  test('a tool stuck in a busy loop: shutdown terminates the thread past the grace', async () => {
    const host = await HostManager.start({
      servers: { w: worker('misbehaving', { shutdown: { graceMs: 100, termMs: 2000 } }) },
    })
    const spinning = rejectionOf(host.callTool('spin'))
    expect(await pollUntil(() => host.server('w').stderr().includes('spinning'), 5000)).toBe(true)
    const started = performance.now()
    await host.shutdown()
    expect(performance.now() - started).toBeLessThan(2500)
    expect(host.server('w').state).toBe('exited')
    await spinning
  })
})

test('what the server writes to stdout and stderr is in its stderr() tail', async () => {
  await withHost({ n: worker('noisy', { workerData: { label: 'noisy-1' } }) }, async (host) => {
    expect(host.server('n').stderr()).toBe('starting noisy-1\na warning on stderr\n')
    await host.callTool('say', { words: 'hello' })
    expect(host.server('n').stderr()).toBe('starting noisy-1\na warning on stderr\nsaid: hello\n')
  })
})

test('the tail is bounded: 1 MiB of output keeps its last 16 KiB', async () => {
  await withHost({ n: worker('noisy', { workerData: { label: 'noisy-2' } }) }, async (host) => {
    await host.callTool('flood', { kib: 1024 })
    const kept = host.server('n').stderr()
    expect(kept.length).toBeLessThan(17 * 1024)
    expect(kept).toMatch(/^\[… \d+ earlier characters dropped\]\n/)
    expect(kept.endsWith(`${'1023'.padStart(1023, '.')}\n`)).toBe(true)
  })
})

// A volume's server starts a fresh thread and, on Node 20, that thread's module loader hooks thread:
// seconds on a loaded 2-core machine (BENCHMARKS.md).
describe('files: an in-memory volume for the thread', { timeout: 30_000 }, () => {
  test('its fs sees the files and not the disk; the main thread and the disk are untouched', async () => {
    const files = { '/data/in.txt': 'hello from memory' }
    await withHost({ f: worker('files', { files }) }, async (host) => {
      expect(textOf(await host.callTool('read', { path: '/data/in.txt' }))).toBe('hello from memory')
      expect(textOf(await host.callTool('exists', { path: THIS_FILE }))).toBe('false')
      expect(textOf(await host.callTool('write', { path: '/data/out.txt', content: 'written' }))).toBe(
        'written',
      )
      expect(host.server('f').files()).toEqual({
        '/data/in.txt': 'hello from memory',
        '/data/out.txt': 'written',
      })
      expect(existsSync('/data/in.txt') || existsSync('/data/out.txt')).toBe(false)
    })
  })

  test('files() after shutdown: as it was last', async () => {
    const host = await HostManager.start({ servers: { f: worker('files', { files: { '/a.txt': 'a' } }) } })
    await host.callTool('write', { path: '/b.txt', content: 'b' })
    await host.shutdown()
    expect(host.server('f').files()).toEqual({ '/a.txt': 'a', '/b.txt': 'b' })
  })

  test('a thread that had a volume is not reused: later servers see the disk, and no thread is left', async () => {
    await withHost({ f: worker('files', { files: { '/x.txt': 'x' } }) }, async () => {})
    await withHost({ plain: worker('files') }, async (host) => {
      expect(textOf(await host.callTool('exists', { path: THIS_FILE }))).toBe('true')
    })
    expect(workerPool(true).threads).toEqual([])
  })
})
