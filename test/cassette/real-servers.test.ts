// Cassettes of real servers over stdio (the bundled weather server on both revisions, the third-party
// server-everything on 2025-11-25): replayed without a process, notifications and progress included.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { CallToolResult, Client } from '@modelcontextprotocol/client'
import { afterAll, describe, expect, test } from 'vitest'
import { cassettePath, readCassette, writeCassette } from '../../src/cassette/format.js'
import { weatherServer } from '../../src/servers/index.js'
import { everythingEntry } from '../support/server-everything.js'
import { childPids, MODES, record, replay, stdioServer } from './cassette-client.js'

const text = (r: unknown) => ((r as CallToolResult).content[0] as { text: string }).text
const dir = mkdtempSync(path.join(tmpdir(), 'cassettes-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.for(MODES)('the bundled weather server over stdio on $revision', ({ revision, mode }) => {
  test('recorded to a file, read back and replayed with no process started', async () => {
    const weather = async (client: Client) => ({
      tools: (await client.listTools()).tools.map((t) => t.name),
      london: text(await client.callTool({ name: 'weather_lookup', arguments: { location: 'London' } })),
    })
    const { cassette, value } = await record(stdioServer(weatherServer().args ?? []), mode, weather)
    expect(cassette.revision).toBe(revision)
    expect(value.london).toContain('Rainy')
    const file = cassettePath(path.join(dir, 'weather.test.ts'), `weather ${revision}`, 'weather')
    writeCassette(file, cassette)
    const read = readCassette(file)
    if (!read) throw new Error(`no cassette at ${file}`)
    const before = childPids()
    const replayed = await replay(read, mode, async (client) => {
      const again = await weather(client)
      // Proof that nothing was spawned: this process has no child it did not have before.
      expect(childPids().filter((pid) => !before.includes(pid))).toEqual([])
      return again
    })
    expect(replayed).toEqual(value)
  })
})

test('server-everything: progress under the live token, no process', async () => {
  const mode = 'legacy' as const
  const body = async (client: Client) => {
    const progress: number[] = []
    const done = await client.callTool(
      { name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } },
      { onprogress: (p) => void progress.push(p.progress) },
    )
    const sum = text(await client.callTool({ name: 'get-sum', arguments: { a: 19, b: 23 } }))
    return { progress, done: text(done), sum }
  }
  const { cassette, value } = await record(stdioServer([everythingEntry, 'stdio']), mode, body)
  // What was on the wire before the first result. Live, the SDK handles a response at once and a
  // notification a microtask later, so a last progress read in the same chunk as the result is
  // dropped; the replay delivers each recorded message on its own, so it reports every one.
  const call = cassette.messages.find((m) => m.dir === 'out' && m.message.method === 'tools/call')?.message
  const onWire: number[] = []
  for (const { dir, message } of cassette.messages) {
    if (dir === 'in' && message.method === undefined && message.id === call?.id) break
    if (message.method === 'notifications/progress')
      onWire.push((message.params as { progress: number }).progress)
  }
  expect(onWire).toEqual([1, 2, 3].slice(0, onWire.length))
  expect(onWire.slice(0, value.progress.length)).toEqual(value.progress)
  expect(value.progress.length).toBeGreaterThan(0)
  expect({ ...value, progress: [] }).toEqual({
    progress: [],
    done: 'Long running operation completed. Duration: 0.3 seconds, Steps: 3.',
    sum: 'The sum of 19 and 23 is 42.',
  })
  const before = childPids()
  const started = performance.now()
  const replayed = await replay(cassette, mode, async (client, transport) => {
    const again = await body(client)
    expect(transport.mismatches()).toEqual([])
    expect(childPids().filter((pid) => !before.includes(pid))).toEqual([])
    return again
  })
  expect(replayed).toEqual({ ...value, progress: onWire })
  // No 0.3 s operation runs on replay (bounded loosely: a loaded machine must not fail it).
  expect(performance.now() - started).toBeLessThan(3_000)
})
