// The host's one seam: per server and test, replay (a transport, no process), record (a tap
// listener, written by save()) or neither, decided like snapshots: -u and 'record' re-record, CI
// and 'replay' never write and fail on a missing cassette, VITEST_MCP_HOST_CASSETTES overrides the option.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { CallToolResult } from '@modelcontextprotocol/client'
import { afterAll, expect, test } from 'vitest'
import { type CassetteUse, cassetteFor } from '../../src/cassette/cassette-for.js'
import { CassetteMissingError } from '../../src/cassette/errors.js'
import {
  type CassetteSettings,
  cassetteMode,
  cassetteModeProblems,
  serverCassetteProblems,
} from '../../src/cassette/options.js'
import { WireTap } from '../../src/wire/tap.js'
import { hostClient } from '../wire/live.js'
import { childPids, v2Server } from './cassette-client.js'

const dir = mkdtempSync(path.join(tmpdir(), 'cassette-for-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const text = (r: unknown) => ((r as CallToolResult).content[0] as { text: string }).text
const LOCAL: CassetteSettings = { mode: 'auto', update: 'new' }

/** What the host will do with a use: connect its client through a tap to the replay or the server. */
async function run(use: CassetteUse | undefined, say: string): Promise<string> {
  const server = use?.kind === 'replay' ? undefined : v2Server()
  const tap = new WireTap(use?.kind === 'replay' ? use.transport : (server?.transport as never))
  if (use?.kind === 'record') tap.listen(use.listener)
  const client = hostClient('legacy')
  try {
    await client.connect(tap)
    return text(await client.callTool({ name: 'echo', arguments: { text: say } }))
  } finally {
    await client.close()
    await server?.close()
    if (use?.kind === 'record') use.save()
  }
}

test("'auto': recorded when missing, replayed after that with no process; -u re-records", async () => {
  const testInfo = { file: path.join(dir, 'a.test.ts'), name: 'echoes' }
  const first = cassetteFor('notes', true, testInfo, LOCAL)
  expect(first?.kind).toBe('record')
  expect(await run(first, 'one')).toBe('one')
  expect(existsSync(first?.file as string)).toBe(true)

  const second = cassetteFor('notes', true, testInfo, LOCAL)
  expect(second?.kind).toBe('replay')
  const before = childPids()
  expect(await run(second, 'one')).toBe('one')
  expect(childPids().filter((p) => !before.includes(p))).toEqual([])

  // vitest -u: recorded again, and the file says what changed.
  const updated = cassetteFor('notes', true, testInfo, { mode: 'auto', update: 'all' })
  expect(updated?.kind).toBe('record')
  expect(await run(updated, 'two')).toBe('two')
  expect(readFileSync(updated?.file as string, 'utf8')).toContain('"text": "two"')
  expect(cassetteFor('notes', true, testInfo, { mode: 'record', update: 'new' })?.kind).toBe('record')
})

test('CI: an existing cassette replays and nothing is written; a missing one fails, saying how to record it', async () => {
  const testInfo = { file: path.join(dir, 'ci.test.ts'), name: 'in ci' }
  const missing = () => cassetteFor('notes', true, testInfo, { mode: 'auto', update: 'none' })
  expect(missing).toThrow(CassetteMissingError)
  expect(missing).toThrow(
    /Server "notes" has no cassette at .*in-ci-[0-9a-f]{8}\.notes\.json, and in CI \(CI is set\) nothing is recorded\. Record it/,
  )
  const recorded = cassetteFor('notes', true, testInfo, LOCAL)
  await run(recorded, 'ci')
  const file = recorded?.file as string
  const written = statSync(file).mtimeMs
  const ci = cassetteFor('notes', true, testInfo, { mode: 'auto', update: 'none' })
  expect(ci?.kind).toBe('replay')
  expect(await run(ci, 'ci')).toBe('ci')
  expect(statSync(file).mtimeMs).toBe(written)
})

test("'replay' fails on a missing cassette; 'off' and servers without cassette use the real server", () => {
  const testInfo = { file: path.join(dir, 'r.test.ts'), name: 'replays' }
  expect(() => cassetteFor('notes', true, testInfo, { mode: 'replay', update: 'new' })).toThrow(
    /and the cassette mode is 'replay'/,
  )
  expect(cassetteFor('notes', true, testInfo, { mode: 'off', update: 'new' })).toBeUndefined()
  expect(cassetteFor('notes', false, testInfo, LOCAL)).toBeUndefined()
  expect(cassetteFor('notes', undefined, testInfo, LOCAL)).toBeUndefined()
})

test('VITEST_MCP_HOST_CASSETTES overrides the option; bad values are problems at their paths', () => {
  expect(cassetteMode('replay', 'record')).toBe('record')
  expect(cassetteMode('replay', undefined)).toBe('replay')
  expect(cassetteMode(undefined, '')).toBe('auto')
  expect(cassetteModeProblems('sometimes')).toEqual([
    { path: [], message: `expected 'auto', 'record', 'replay' or 'off', got "sometimes"` },
  ])
  expect(serverCassetteProblems({ redact: ['apiKey', /x/, 3, 'a..b'], keep: 1 })).toEqual([
    { path: ['keep'], message: 'unknown option "keep" (options: redact)' },
    {
      path: ['redact', 2],
      message: `expected a key name ('apiKey'), a dotted path ('params.arguments.token', * for any key) or a RegExp, got 3`,
    },
    {
      path: ['redact', 3],
      message: `expected a key name ('apiKey'), a dotted path ('params.arguments.token', * for any key) or a RegExp, got "a..b"`,
    },
  ])
  expect(serverCassetteProblems('yes')).toEqual([
    { path: [], message: 'expected true, false or { redact: [key paths or RegExps] }, got "yes"' },
  ])
})
