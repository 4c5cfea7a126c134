// The cassette file: stable key order (a re-record is a reviewable diff), the revision and date
// stamped, redaction before anything is written (and redacted requests still match on replay),
// and named errors for a file that is unreadable or not a cassette.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { CallToolResult } from '@modelcontextprotocol/client'
import { afterAll, expect, test } from 'vitest'
import { CassetteFileError } from '../../src/cassette/errors.js'
import {
  type Cassette,
  cassettePath,
  readCassette,
  serializeCassette,
  writeCassette,
} from '../../src/cassette/format.js'
import { redactor } from '../../src/cassette/redact.js'
import { record, replay, v2Server } from './cassette-client.js'

const dir = mkdtempSync(path.join(tmpdir(), 'cassette-file-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const text = (r: unknown) => ((r as CallToolResult).content[0] as { text: string }).text

const cassette = (messages: Cassette['messages']): Cassette => ({
  format: 1,
  server: 'w',
  test: 't',
  revision: '2025-11-25',
  recordedAt: '2026-01-01T00:00:00.000Z',
  messages,
})

test('one file per test and server beside the test file, names kept apart by a hash', () => {
  const a = cassettePath('/p/test/w.test.ts', 'suite > london is rainy', 'weather')
  expect(a).toMatch(
    /^\/p\/test\/__cassettes__\/w\.test\.ts\/suite-london-is-rainy-[0-9a-f]{8}\.weather\.json$/,
  )
  expect(cassettePath('/p/test/w.test.ts', 'suite > london is rainy!', 'weather')).not.toBe(a)
  expect(cassettePath('/p/test/w.test.ts', 'suite > london is rainy', 'other')).not.toBe(a)
})

test('keys in a fixed order on top and sorted below: the same messages in any key order write the same text', () => {
  const one = cassette([
    { dir: 'out', message: { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { b: 1, a: 2 } } },
  ])
  const two = cassette([
    { dir: 'out', message: { params: { a: 2, b: 1 }, method: 'tools/list', id: 1, jsonrpc: '2.0' } },
  ])
  expect(serializeCassette(one)).toBe(serializeCassette(two))
  expect(Object.keys(JSON.parse(serializeCassette(one)))).toEqual([
    'format',
    'server',
    'test',
    'revision',
    'recordedAt',
    'messages',
  ])
  expect(serializeCassette(one)).toMatch(/"params": \{\n\s+"a": 2,\n\s+"b": 1/)
})

test('redact: key names anywhere, dotted paths with *, and value patterns', () => {
  const redact = redactor(['apiKey', 'params.arguments.*.token', /sk-[a-z0-9]+/])
  expect(
    redact({
      params: { apiKey: 'k', arguments: { x: { token: 't', keep: 1 }, note: 'key sk-abc123 here' } },
      result: { nested: [{ apiKey: 'k2' }] },
    }),
  ).toEqual({
    params: {
      apiKey: '[redacted]',
      arguments: { x: { token: '[redacted]', keep: 1 }, note: 'key [redacted] here' },
    },
    result: { nested: [{ apiKey: '[redacted]' }] },
  })
})

test('a secret never reaches the file, and the redacted request still replays', async () => {
  const redact = [/s3cr3t-\w+/]
  const { cassette: recorded } = await record(
    v2Server(),
    'legacy',
    (c) => c.callTool({ name: 'echo', arguments: { text: 'token s3cr3t-42' } }),
    redact,
  )
  const file = path.join(dir, 'secret.json')
  writeCassette(file, recorded)
  const written = readFileSync(file, 'utf8')
  expect(written).not.toContain('s3cr3t')
  expect(written).toContain('token [redacted]')
  expect(JSON.parse(written).recordedAt).toMatch(/^\d{4}-\d\d-\d\dT/)
  const read = readCassette(file) as Cassette
  const echoed = await replay(
    read,
    'legacy',
    async (c) => text(await c.callTool({ name: 'echo', arguments: { text: 'token s3cr3t-42' } })),
    {
      redact,
    },
  )
  expect(echoed).toBe('token [redacted]')
})

test('a missing cassette reads as none; an unreadable or corrupt one is a CassetteFileError saying what to do', () => {
  expect(readCassette(path.join(dir, 'none.json'))).toBeUndefined()
  const corrupt = path.join(dir, 'corrupt.json')
  writeFileSync(corrupt, '{"format": 1, "server": "w", "messa')
  expect(() => readCassette(corrupt)).toThrow(CassetteFileError)
  expect(() => readCassette(corrupt)).toThrow(
    /^Cassette .*corrupt\.json is not valid JSON: .*Delete it and re-record \(vitest -u\)/,
  )
  const wrong = path.join(dir, 'wrong.json')
  writeFileSync(
    wrong,
    JSON.stringify({ format: 1, server: 'w', messages: [{ dir: 'sideways', message: {} }] }),
  )
  expect(() => readCassette(wrong)).toThrow(
    /is not a cassette \(messages\[0\] is not \{ dir: 'out' \| 'in', message: \{…\} \}\)/,
  )
  const newer = path.join(dir, 'newer.json')
  writeFileSync(newer, JSON.stringify({ format: 2, server: 'w', messages: [] }))
  expect(() => readCassette(newer)).toThrow(/format 2, this version reads 1/)
  const aDir = path.join(dir, 'a-directory.json')
  mkdirSync(aDir)
  const error = (() => {
    try {
      readCassette(aDir)
    } catch (e) {
      return e
    }
  })() as CassetteFileError
  expect(error).toBeInstanceOf(CassetteFileError)
  expect(error.message).toMatch(/could not be read: EISDIR/)
  expect((error.cause as NodeJS.ErrnoException).code).toBe('EISDIR')
})
