// A server's task on 2026-07-28 (the tasks extension) through a cassette: the host's own tasks/get
// and tasks/update are on the tap like any request, so the recording holds them and the replay
// answers them, with no process; the same handlers answer the task's input on replay.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, test } from 'vitest'
import { cassettePath } from '../../src/cassette/format.js'
import type { HostConfig } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'

const SERVER = fileURLToPath(new URL('../fixtures/v2-server/server.mjs', import.meta.url))
const dir = mkdtempSync(path.join(tmpdir(), 'host-cassettes-tasks-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const testFile = path.join(dir, 'tasks.test.ts')

test('a task with an input round: recorded, then replayed with no process', { timeout: 30_000 }, async () => {
  const asked: string[] = []
  const config = (command: string): HostConfig => ({
    servers: {
      tasks: {
        transport: 'stdio',
        command,
        args: [SERVER, 'stdio', 'tasks'],
        protocol: '2026-07-28',
        cassette: true,
      },
    },
    client: {
      elicitation: (params) => {
        asked.push(params.message)
        return { action: 'accept', content: { ok: true } }
      },
      roots: [{ uri: 'file:///reports' }],
    },
  })
  const name = 'tasks > report'
  const run = async (command: string) => {
    const cassettes = { test: { file: testFile, name }, settings: { mode: 'auto', update: 'new' } } as const
    const host = await HostManager.start(config(command), { cassettes })
    try {
      const result = await host.callTool('report', { topic: 'tides' })
      host.cassettes?.save()
      return result
    } finally {
      await host.shutdown()
    }
  }
  const recorded = await run(process.execPath)
  expect(recorded.content).toEqual([
    { type: 'text', text: 'report on tides: published=true roots=file:///reports' },
  ])
  const cassette = JSON.parse(readFileSync(cassettePath(testFile, name, 'tasks'), 'utf8'))
  const methods = cassette.messages.flatMap((m: { dir: string; message: { method?: string } }) =>
    m.dir === 'out' && m.message.method?.startsWith('tasks/') ? [m.message.method] : [],
  )
  expect(methods).toEqual(['tasks/get', 'tasks/get', 'tasks/update', 'tasks/get'])
  // The command cannot even run: the cassette answers.
  expect(await run('/nonexistent/tasks-server')).toEqual(recorded)
  expect(asked).toEqual(['Publish the report on tides?', 'Publish the report on tides?'])
})
