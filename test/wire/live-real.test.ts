// Item 4 of issue 22: the wire check on real servers, live. Each server runs over stdio with a raw
// SDK v2 client whose transport is a WireTap with the checker listening (what a host does), through
// a session calling every tool; the test asserts exactly the violations found, each one real (the
// README's "Wire check" lists them per server).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Client } from '@modelcontextprotocol/client'
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio'
import { afterAll, expect, test } from 'vitest'
import { createWireChecker, type Violation } from '../../src/wire/check/index.js'
import { WireTap } from '../../src/wire/tap.js'
import { waitDead } from '../launchers/process-helpers.js'
import { call, hostClient } from './live.js'

const require = createRequire(import.meta.url)
const entry = (pkg: string) =>
  path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'dist', 'index.js')
const dir = mkdtempSync(path.join(tmpdir(), 'wire-real-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Session {
  found: Violation[]
  messages: number
}

/** Starts `args` over stdio behind a checked WireTap, runs `use`, closes, and returns what was found. */
async function session(
  server: string,
  args: string[],
  use: (client: Client) => Promise<void>,
  options: { mode?: 'legacy' | { pin: string }; env?: Record<string, string> } = {},
): Promise<Session> {
  const found: Violation[] = []
  let messages = 0
  const checker = createWireChecker({ server, report: (v) => found.push(v) })
  const stdio = new StdioClientTransport({
    command: process.execPath,
    args,
    stderr: 'ignore',
    env: { ...(process.env as Record<string, string>), ...options.env },
  })
  const tap = new WireTap(stdio)
  tap.listen(checker)
  tap.listen({ inbound: () => void messages++, outbound: () => void messages++ })
  const client = hostClient(options.mode ?? 'legacy')
  client.setRequestHandler('roots/list', async () => ({ roots: [{ uri: `file://${dir}`, name: 'tmp' }] }))
  await client.connect(tap)
  const pid = stdio.pid
  try {
    await use(client)
  } finally {
    await client.close()
    if (pid) expect(await waitDead(pid, 10_000)).toBe(true)
  }
  return { found, messages }
}

/** Every violation as `rule severity direction method: message` (stable, readable in a diff). */
const lines = (found: Violation[]) =>
  found.map((v) => `${v.rule} ${v.severity} ${v.direction} ${v.method ?? '-'}: ${v.message}`)

/**
 * The one real finding on these servers: a SHOULD of the spec (server/tools#structured-content: a
 * tool returning structuredContent SHOULD also return it serialized as JSON in a text block), broken
 * by tools whose text block is prose, or JSON of a part of the structured value.
 */
const noJsonText = (tools: string[]) =>
  tools.map(
    (tool) =>
      `tool.structured-content-text warn server tools/call ${tool}: structuredContent should also be returned serialized as JSON in a text content block`,
  )

test('server-filesystem: every tool', async () => {
  writeFileSync(path.join(dir, 'a.txt'), 'alpha\nbeta\n')
  const f = (name: string) => path.join(dir, name)
  const { found, messages } = await session(
    'filesystem',
    [entry('@modelcontextprotocol/server-filesystem'), dir],
    async (client) => {
      await client.listTools()
      await call(client, 'list_allowed_directories')
      await call(client, 'read_file', { path: f('a.txt') })
      await call(client, 'read_text_file', { path: f('a.txt'), head: 1 })
      await call(client, 'read_media_file', { path: f('a.txt') })
      await call(client, 'read_multiple_files', { paths: [f('a.txt'), f('missing.txt')] })
      await call(client, 'write_file', { path: f('b.txt'), content: 'gamma' })
      await call(client, 'edit_file', { path: f('b.txt'), edits: [{ oldText: 'gamma', newText: 'delta' }] })
      await call(client, 'create_directory', { path: f('sub') })
      await call(client, 'list_directory', { path: dir })
      await call(client, 'list_directory_with_sizes', { path: dir, sortBy: 'size' })
      await call(client, 'directory_tree', { path: dir })
      await call(client, 'move_file', { source: f('b.txt'), destination: f('sub/b.txt') })
      await call(client, 'search_files', { path: dir, pattern: '**/*.txt' })
      await call(client, 'get_file_info', { path: f('a.txt') })
      await call(client, 'read_file', { path: '/etc/passwd' })
      await client.ping()
    },
  )
  expect(messages).toBeGreaterThan(30)
  // Every tool answers `{ content: <its text> }` (or a content array) beside a prose text block.
  expect(lines(found)).toEqual(
    noJsonText([
      'list_allowed_directories',
      'read_file',
      'read_text_file',
      'read_media_file',
      'read_multiple_files',
      'write_file',
      'edit_file',
      'create_directory',
      'list_directory',
      'list_directory_with_sizes',
      'directory_tree',
      'move_file',
      'search_files',
      'get_file_info',
    ]),
  )
}, 60_000)

test('server-memory: every tool, and its resources', async () => {
  const { found, messages } = await session(
    'memory',
    [entry('@modelcontextprotocol/server-memory')],
    async (client) => {
      await client.listTools()
      await call(client, 'create_entities', {
        entities: [
          { name: 'Ada', entityType: 'person', observations: ['wrote notes'] },
          { name: 'Engine', entityType: 'machine', observations: [] },
        ],
      })
      await call(client, 'create_relations', {
        relations: [{ from: 'Ada', to: 'Engine', relationType: 'programs' }],
      })
      await call(client, 'add_observations', { observations: [{ entityName: 'Ada', contents: ['counted'] }] })
      await call(client, 'read_graph')
      await call(client, 'search_nodes', { query: 'Ada' })
      await call(client, 'open_nodes', { names: ['Ada', 'Nobody'] })
      await call(client, 'delete_observations', {
        deletions: [{ entityName: 'Ada', observations: ['counted'] }],
      })
      await call(client, 'delete_relations', {
        relations: [{ from: 'Ada', to: 'Engine', relationType: 'programs' }],
      })
      await call(client, 'delete_entities', { entityNames: ['Engine'] })
      await call(client, 'add_observations', { observations: [{ entityName: 'Nobody', contents: ['x'] }] })
      const { resources } = await client.listResources().catch(() => ({ resources: [] }))
      for (const r of resources.slice(0, 2)) await client.readResource({ uri: r.uri })
      await client.ping()
    },
    { env: { MEMORY_FILE_PATH: path.join(dir, 'memory.jsonl') } },
  )
  expect(messages).toBeGreaterThan(20)
  // The writing tools wrap their JSON text's array in an object (`{ entities: [...] }`) or answer
  // prose; the reading ones (read_graph, search_nodes, open_nodes) send the same JSON both ways.
  expect(lines(found)).toEqual(
    noJsonText([
      'create_entities',
      'create_relations',
      'add_observations',
      'delete_observations',
      'delete_relations',
      'delete_entities',
    ]),
  )
}, 60_000)

test('server-sequential-thinking: a chain of thoughts, a revision, a branch, a bad call', async () => {
  const { found, messages } = await session(
    'thinking',
    [entry('@modelcontextprotocol/server-sequential-thinking')],
    async (client) => {
      await client.listTools()
      const base = { nextThoughtNeeded: true, totalThoughts: 3 }
      await call(client, 'sequentialthinking', { ...base, thought: 'first', thoughtNumber: 1 })
      await call(client, 'sequentialthinking', { ...base, thought: 'second', thoughtNumber: 2 })
      await call(client, 'sequentialthinking', {
        ...base,
        thought: 'first again',
        thoughtNumber: 3,
        isRevision: true,
        revisesThought: 1,
      })
      await call(client, 'sequentialthinking', {
        ...base,
        thought: 'branch',
        thoughtNumber: 3,
        branchFromThought: 2,
        branchId: 'b',
        nextThoughtNeeded: false,
      })
      await call(client, 'sequentialthinking', { thought: 'no numbers' })
      await client.ping()
    },
  )
  expect(messages).toBeGreaterThan(10)
  expect(lines(found)).toEqual([])
}, 60_000)

const notesServer = fileURLToPath(new URL('../fixtures/v2-server/server.mjs', import.meta.url))

test.for(['legacy', '2026-07-28'] as const)(
  'the v2 notes server over stdio on %s: every tool',
  { timeout: 60_000 },
  async (rev) => {
    const { found, messages } = await session(
      'notes',
      [notesServer, 'stdio'],
      async (client) => {
        await client.listTools()
        await call(client, 'add', { a: 2, b: 3 })
        await call(client, 'log_steps', { steps: 2 })
        await call(client, 'touch_note', { name: 'todo', text: 'buy bread' })
        for (const tool of ['ask_name', 'open_link', 'list_roots']) await call(client, tool)
        await call(client, 'summarize', { text: 'a long text' })
        await call(client, 'no-such-tool')
        await client.listPrompts()
        await client.getPrompt({ name: 'review_note', arguments: { name: 'todo' } })
        await client.listResources()
        await client.listResourceTemplates()
        await client.readResource({ uri: 'notes://index' })
        await client.readResource({ uri: 'notes://note/ideas' })
        await client.setLoggingLevel('debug').catch(() => {})
      },
      { mode: rev === 'legacy' ? 'legacy' : { pin: rev } },
    )
    expect(messages).toBeGreaterThan(20)
    // `add` answers the text "5" beside `{ sum: 5 }`: the fixture is written as third parties write them.
    expect(lines(found)).toEqual(noJsonText(['add']))
  },
)
