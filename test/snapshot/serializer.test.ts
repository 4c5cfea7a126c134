// The MCP snapshot serializer: sorted keys, volatile protocol fields replaced, the user's redactions.
import { afterEach, describe, expect, test } from 'vitest'
import {
  configureRedaction,
  isMcpResult,
  mcpSnapshotSerializer,
  normalizeResult,
  serializeRedaction,
} from '../../src/snapshot/serializer.js'

afterEach(() => configureRedaction([]))

describe('normalizeResult', () => {
  test('orders keys and replaces volatile protocol fields', () => {
    const message = {
      result: { content: [{ type: 'text', text: 'hi' }], _meta: { serverInfo: { version: '1.2.3' }, b: 1 } },
      jsonrpc: '2.0',
      id: 17,
    }
    expect(JSON.stringify(normalizeResult(message))).toBe(
      '{"id":"[id]","jsonrpc":"2.0","result":{"_meta":{"b":1,"serverInfo":"[serverInfo]"},"content":[{"text":"hi","type":"text"}]}}',
    )
    const progress = { _meta: { progressToken: 4, 'io.modelcontextprotocol/related-task': { taskId: 'a1' } } }
    expect(normalizeResult(progress)).toEqual({
      _meta: { 'io.modelcontextprotocol/related-task': '[related-task]', progressToken: '[progressToken]' },
    })
    expect(normalizeResult({ task: { taskId: 'x-9', status: 'working' } })).toEqual({
      task: { status: 'working', taskId: '[taskId]' },
    })
  })

  test('redacts by key path, by bare key name and by value pattern', () => {
    configureRedaction(serializeRedaction(['structuredContent.time', 'token', /\d{2}:\d{2}:\d{2}/]))
    const result = {
      content: [{ type: 'text', text: 'Current time: 10:00:00 GMT' }],
      structuredContent: { time: '10:00:00', zone: 'GMT', nested: { token: 's3cret' } },
    }
    expect(normalizeResult(result)).toEqual({
      content: [{ text: 'Current time: [redacted] GMT', type: 'text' }],
      structuredContent: { nested: { token: '[redacted]' }, time: '[redacted]', zone: 'GMT' },
    })
  })

  test('`*` stands for one segment, array indexes included', () => {
    configureRedaction(['content.*.text'])
    expect(
      normalizeResult({
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      }),
    ).toEqual({
      content: [
        { text: '[redacted]', type: 'text' },
        { text: '[redacted]', type: 'text' },
      ],
    })
  })
})

describe('the serializer in a snapshot', () => {
  test('takes MCP results and messages, not other objects nor its own output', () => {
    expect(isMcpResult({ content: [] })).toBe(true)
    expect(isMcpResult({ jsonrpc: '2.0', method: 'ping' })).toBe(true)
    expect(isMcpResult({ tools: [] })).toBe(true)
    expect(isMcpResult({ a: 1 })).toBe(false)
    expect(isMcpResult(normalizeResult({ content: [] }))).toBe(false)
  })

  test('an inline snapshot of a result is in sorted order with volatile fields replaced', () => {
    expect.addSnapshotSerializer(mcpSnapshotSerializer)
    const result = { structuredContent: { b: 2, a: 1 }, content: [], _meta: { progressToken: 'p-81' } }
    expect(result).toMatchInlineSnapshot(`
      {
        "_meta": {
          "progressToken": "[progressToken]",
        },
        "content": [],
        "structuredContent": {
          "a": 1,
          "b": 2,
        },
      }
    `)
  })
})
