// Errors the OS raises while spawning a server (synchronously or not) come out as ServerStartError
// "spawn" naming the errno code and what to fix, never raw; nothing is left running.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import type { ProcessSpec } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'
import { ServerStartError } from '../../src/launchers/errors.js'
import { descendantsOf } from '../../src/launchers/processes/process-table.js'
import { ServerProcess } from '../../src/launchers/processes/server-process.js'
import { rejectionOf } from '../support/assertions.js'

const dir = mkdtempSync(join(tmpdir(), 'vitest-mcp-host-spawn-'))
const file = join(dir, 'a-file')
writeFileSync(file, 'not a directory')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Case {
  what: string
  spec: ProcessSpec
  code: string
  explanation: string
}

const cases: Case[] = [
  {
    what: 'a file as cwd',
    spec: { command: 'true', cwd: file },
    code: 'ENOTDIR',
    explanation: `cwd "${file}" is not a directory (ENOTDIR)`,
  },
  {
    what: 'an argument longer than the OS allows',
    spec: { command: 'true', args: ['x'.repeat(200_000)] },
    code: 'E2BIG',
    explanation:
      'its arguments and environment are larger than the OS allows (E2BIG); pass large data in a file',
  },
  {
    what: 'a command name longer than the OS allows',
    spec: { command: `/tmp/${'x'.repeat(5000)}` },
    code: 'ENAMETOOLONG',
    explanation: 'its command or cwd is a longer path than the OS allows (ENAMETOOLONG)',
  },
  {
    what: 'a directory as command',
    spec: { command: dir },
    code: 'EACCES',
    explanation: `command "${dir}" is not an executable file, or cwd cannot be entered (EACCES)`,
  },
]

describe.skipIf(process.platform === 'win32')('spawn errors', () => {
  test.for(cases)('$what: ServerStartError "spawn" naming $code', async ({ spec, code, explanation }) => {
    const before = new Set(descendantsOf(process.pid).map((p) => p.pid))
    const error = await rejectionOf(ServerProcess.spawn('bad', spec))
    expect(error).toBeInstanceOf(ServerStartError)
    const startError = error as ServerStartError
    expect(startError).toMatchObject({
      server: 'bad',
      reason: 'spawn',
      exitCode: undefined,
      signal: undefined,
    })
    expect(startError.message.split('\n')[0]).toBe(`Server "bad" could not be spawned (${explanation}).`)
    // The platform's own error is kept, under the explanation.
    const cause = startError.cause as Error & { cause?: NodeJS.ErrnoException }
    expect(cause.message).toBe(explanation)
    expect(cause.cause?.code).toBe(code)
    expect(descendantsOf(process.pid).filter((p) => !before.has(p.pid))).toEqual([])
  })

  test('HostManager.start rejects with it (a rejection, not a raw throw), and the message stays short', async () => {
    const error = await rejectionOf(
      HostManager.start({
        servers: { big: { transport: 'stdio', command: 'true', args: ['x'.repeat(200_000)] } },
      }),
    )
    expect(error).toBeInstanceOf(ServerStartError)
    expect((error as ServerStartError).reason).toBe('spawn')
    // A 200 kB argument is shortened in the message's command line.
    expect((error as Error).message.length).toBeLessThan(500)
  })
})
