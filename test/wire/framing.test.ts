// JSON-RPC framing rules, each on one message of recorded real traffic broken on purpose.
import { describe, expect, test } from 'vitest'
import { at, check, type Entry, indexOf, isRequest, responseIndex, traffic } from './replay.js'

const SPEC = 'https://modelcontextprotocol.io/specification'

describe('framing', () => {
  test('jsonrpc.version: a response with jsonrpc "1.0"', () => {
    const t = traffic('everything-legacy')
    at(t, responseIndex(t, 'tools/list')).jsonrpc = '1.0'
    expect(check(t)).toEqual([
      {
        rule: 'jsonrpc.version',
        severity: 'error',
        direction: 'server',
        server: 'recorded',
        path: 'jsonrpc',
        message: 'jsonrpc must be "2.0"',
        spec: `${SPEC}/2025-11-25/basic#messages`,
        excerpt: '"1.0"',
      },
    ])
  })

  test('jsonrpc.message: something that is no request, notification or response; a batch array', () => {
    const t = traffic('everything-legacy')
    t.push({ dir: 'in', message: { jsonrpc: '2.0', id: 99 } }, { dir: 'in', message: [] as never })
    expect(check(t).map((v) => [v.rule, v.direction, v.excerpt])).toEqual([
      ['jsonrpc.message', 'server', '{"jsonrpc":"2.0","id":99}'],
      ['jsonrpc.message', 'server', '[]'],
    ])
  })

  test('jsonrpc.id: a request id that is null or not an integer', () => {
    const t = traffic('everything-legacy')
    at(t, indexOf(t, isRequest('prompts/list'))).id = null
    at(t, indexOf(t, isRequest('ping'))).id = 1.5
    expect(check(t).map((v) => [v.rule, v.direction, v.method, v.excerpt])).toEqual([
      ['jsonrpc.id', 'host', 'prompts/list', 'null'],
      ['jsonrpc.unknown-id', 'server', undefined, '9'],
      ['jsonrpc.id', 'host', 'ping', '1.5'],
      ['jsonrpc.unknown-id', 'server', undefined, '14'],
    ])
  })

  test('jsonrpc.id-reused: a server request reusing the id of one still in flight', () => {
    const t = traffic('everything-legacy')
    const ask = indexOf(t, isRequest('elicitation/create'))
    t.splice(ask + 1, 0, { dir: 'in', message: structuredClone(at(t, ask)) })
    const found = check(t)
    expect(found.map((v) => [v.rule, v.direction, v.method])).toEqual([
      ['jsonrpc.id-reused', 'server', 'elicitation/create'],
    ])
  })

  test('jsonrpc.result-or-error: a response with both', () => {
    const t = traffic('everything-legacy')
    at(t, responseIndex(t, 'ping')).error = { code: -32603, message: 'and an error' }
    expect(check(t).map((v) => [v.rule, v.path])).toEqual([['jsonrpc.result-or-error', 'result']])
  })

  test('jsonrpc.unknown-id and jsonrpc.duplicate-response: an id never sent; an answer sent twice', () => {
    const t = traffic('everything-legacy')
    const answer = at(t, responseIndex(t, 'tools/call', 'echo'))
    t.push(
      { dir: 'in', message: { ...structuredClone(answer), id: 999 } },
      { dir: 'in', message: structuredClone(answer) },
    )
    expect(check(t).map((v) => [v.rule, v.message, v.excerpt])).toEqual([
      ['jsonrpc.unknown-id', 'no request with this id was sent by the client', '999'],
      ['jsonrpc.duplicate-response', 'this request was already answered', '2'],
    ])
  })

  test('an error without an id (the request could not be read) is no unknown id', () => {
    const t = traffic('everything-legacy')
    t.push({
      dir: 'in',
      message: { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } },
    })
    expect(check(t)).toEqual([])
  })

  test('jsonrpc.error-object: a code that is no integer, a missing message', () => {
    const t = traffic('v2-legacy')
    const error = at(t, responseIndex(t, 'tools/call', 'no-such-tool'))
    // The v2 server answers an unknown tool with a JSON-RPC error; break it.
    expect(error.error).toBeDefined()
    error.error = { code: '-32602', message: 'Tool no-such-tool not found' }
    expect(check(t).map((v) => [v.rule, v.method, v.path])).toEqual([
      ['jsonrpc.error-object', 'tools/call', 'error'],
    ])
  })

  test('jsonrpc.error-code: a reserved code JSON-RPC does not define (2025-11-25)', () => {
    const t = traffic('v2-legacy')
    ;(at(t, responseIndex(t, 'tools/call', 'no-such-tool')).error as { code: number }).code = -32500
    expect(check(t).map((v) => [v.rule, v.severity, v.excerpt])).toEqual([
      ['jsonrpc.error-code', 'error', '-32500'],
    ])
  })

  test('jsonrpc.error-code on 2026-07-28: a retired code, an undefined MCP code; the legacy range warns', () => {
    const run = (code: number) => {
      const t: Entry[] = traffic('v2-modern')
      ;(at(t, responseIndex(t, 'tools/call', 'no-such-tool')).error as { code: number }).code = code
      return check(t).map((v) => [v.rule, v.severity])
    }
    expect(run(-32002)).toEqual([['jsonrpc.error-code', 'error']])
    expect(run(-32050)).toEqual([['jsonrpc.error-code', 'error']])
    expect(run(-32010)).toEqual([['jsonrpc.error-code-legacy', 'warn']])
    expect(run(-32021)).toEqual([])
    expect(run(-1)).toEqual([])
  })
})
