// `files`: a worker server's fs is an in-memory volume, whichever way its modules hold fs (named,
// default and namespace imports, destructured requires, fs/promises and FileHandles, streams, taken
// before or after the server started): nothing is read from or written to the real disk.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'
import type { WorkerServerConfig } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'
import { workerPool } from '../../src/launchers/transports/worker/worker-pool.js'

const HOLDERS = fileURLToPath(new URL('../support/worker-servers/fs-holders.mjs', import.meta.url))
/** A real file the server must not see. */
const REAL_FILE = fileURLToPath(import.meta.url)
/** A real folder the server must not write into. */
const REAL_DIR = mkdtempSync(join(tmpdir(), 'vitest-mcp-host-volume-'))
afterAll(() => rmSync(REAL_DIR, { recursive: true, force: true }))

const config: WorkerServerConfig = {
  transport: 'worker',
  module: HOLDERS,
  export: 'fsHolders',
  files: { '/data/in.txt': 'hello from memory' },
}

const textOf = (result: { content?: unknown }) => (result.content as Array<{ text: string }>)[0]?.text ?? ''

// 88 calls, and a start that also starts the thread's module loader hooks: seconds on a loaded machine.
describe('files: every way a module holds fs reaches the volume, never the disk', { timeout: 60_000 }, () => {
  test('each way reads the volume, cannot read a real file, writes to the volume only', async () => {
    const host = await HostManager.start({ servers: { f: config } })
    try {
      const ways = JSON.parse(textOf(await host.callTool('ways'))) as string[]
      expect(ways).toHaveLength(22)
      const seen: Record<string, Record<string, string>> = {}
      const expected: Record<string, Record<string, string>> = {}
      for (const [index, way] of ways.entries()) {
        const call = async (tool: string, args: Record<string, string>) =>
          textOf(await host.callTool(tool, { way, ...args }))
        seen[way] = {
          volume: await call('read', { path: '/data/in.txt' }),
          disk: await call('read', { path: REAL_FILE }),
          'write to the volume': await call('write', { path: `/data/out-${index}.txt`, content: way }),
          'write to the disk': await call('write', { path: join(REAL_DIR, `${index}.txt`), content: way }),
        }
        expected[way] = {
          volume: 'ok hello from memory',
          disk: 'ENOENT',
          'write to the volume': 'ok',
          'write to the disk': 'ENOENT',
        }
      }
      expect(seen).toEqual(expected)
      const written = Object.fromEntries(ways.map((way, index) => [`/data/out-${index}.txt`, way]))
      expect(host.server('f').files()).toEqual({ '/data/in.txt': 'hello from memory', ...written })
    } finally {
      await host.shutdown()
    }
    expect(existsSync('/data')).toBe(false)
    expect(existsSync(REAL_DIR) && (await import('node:fs')).readdirSync(REAL_DIR)).toEqual([])
  })

  test("process.loadEnvFile reads the volume; process.binding('fs') (the raw binding) is refused, saying why", async () => {
    const files = { ...config.files, '/app/.env': 'FROM_ENV_FILE=from the volume\n' }
    const host = await HostManager.start({ servers: { f: { ...config, files } } })
    try {
      expect(textOf(await host.callTool('env-file', { path: '/app/.env' }))).toBe('ok from the volume')
      expect(textOf(await host.callTool('env-file', { path: REAL_FILE }))).toBe('ENOENT')
      expect(textOf(await host.callTool('binding'))).toBe(
        "process.binding('fs') is not available to a worker server with `files`: it would reach the real disk (vitest-mcp-host)",
      )
    } finally {
      await host.shutdown()
    }
  })

  test('the same server without files reads and writes the disk (the test sees what it checks)', async () => {
    const host = await HostManager.start({ servers: { d: { ...config, files: undefined } } })
    try {
      const way = "import { readFileSync } from 'node:fs'"
      expect(textOf(await host.callTool('read', { way, path: REAL_FILE }))).toMatch(/^ok \/\/ `files`/)
      const file = join(REAL_DIR, 'plain.txt')
      expect(textOf(await host.callTool('write', { way, path: file, content: 'x' }))).toBe('ok')
      expect(existsSync(file)).toBe(true)
      rmSync(file)
      expect(textOf(await host.callTool('binding'))).toBe('ok function')
    } finally {
      await host.shutdown()
    }
    expect(workerPool(true).threads).toEqual([])
  })
})
