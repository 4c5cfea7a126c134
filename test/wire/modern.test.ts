// 2026-07-28's own rules on recorded real traffic (the v2 test server, pinned modern), broken on purpose.
import { describe, expect, test } from 'vitest'
import { at, check, type Entry, indexOf, responseIndex, traffic } from './replay.js'

type Message = Record<string, unknown>
const rules = (t: Entry[]) => check(t).map((v) => [v.rule, v.direction, v.method, v.path])
const isRetry = (tool: string) => (e: { dir: string; message: Message }) =>
  e.dir === 'out' &&
  e.message.method === 'tools/call' &&
  (e.message.params as { name?: string; inputResponses?: unknown }).name === tool &&
  (e.message.params as { inputResponses?: unknown }).inputResponses !== undefined

describe('2026-07-28', () => {
  test('modern.result-type: a result without resultType; one with a type nobody advertised', () => {
    const t = traffic('v2-modern')
    delete (at(t, responseIndex(t, 'tools/list')).result as Message).resultType
    ;(at(t, responseIndex(t, 'prompts/list')).result as Message).resultType = 'later'
    expect(rules(t)).toEqual([
      ['modern.result-type', 'server', 'tools/list', 'result.resultType'],
      ['modern.result-type', 'server', 'prompts/list', 'result.resultType'],
    ])
  })

  test('the same result without resultType passes on 2025-11-25 (no such field there)', () => {
    const t = traffic('v2-legacy')
    expect((at(t, responseIndex(t, 'tools/list')).result as Message).resultType).toBeUndefined()
    expect(check(t)).toEqual([])
  })

  test('modern.request-meta: a host request without the protocol version in _meta', () => {
    const t = traffic('v2-modern')
    const meta = (
      at(
        t,
        indexOf(t, (e) => e.message.method === 'prompts/list'),
      ).params as { _meta: Message }
    )._meta
    delete meta['io.modelcontextprotocol/protocolVersion']
    expect(rules(t)).toEqual([['modern.request-meta', 'host', 'prompts/list', 'params._meta']])
  })

  test('modern.input-required: on a method that cannot have it; with neither inputRequests nor requestState; a bad input request', () => {
    const t = traffic('v2-modern')
    const list = at(t, responseIndex(t, 'prompts/list')).result as Message
    at(t, responseIndex(t, 'prompts/list')).result = {
      _meta: list._meta,
      resultType: 'input_required',
      requestState: 'x',
    }
    const asked = at(t, responseIndex(t, 'tools/call', 'sample')).result as Message
    delete asked.inputRequests
    const confirm = at(t, responseIndex(t, 'tools/call', 'confirm')).result as {
      inputRequests: Record<string, Message>
    }
    ;(confirm.inputRequests.confirm as Message).method = 'tools/list'
    expect(rules(t)).toEqual([
      ['modern.input-required', 'server', 'tools/call', 'result.inputRequests["confirm"].method'],
      ['modern.input-required', 'server', 'tools/call', 'result'],
      ['modern.input-required', 'server', 'prompts/list', 'result.resultType'],
    ])
  })

  test('an embedded URL elicitation has no elicitationId on 2026-07-28 (its schema.ts); its url is still checked', () => {
    const t = traffic('v2-modern')
    const confirm = at(t, responseIndex(t, 'tools/call', 'confirm')).result as {
      inputRequests: Record<string, Message>
    }
    const url = { mode: 'url', message: 'Sign in', url: 'https://example.com/login' }
    confirm.inputRequests.confirm = { method: 'elicitation/create', params: url }
    expect(rules(t)).toEqual([])
    confirm.inputRequests.confirm = { method: 'elicitation/create', params: { ...url, url: 'not a url' } }
    expect(rules(t)).toEqual([
      ['modern.input-required', 'server', 'tools/call', 'result.inputRequests["confirm"].params.url'],
    ])
  })

  test("modern.input-responses: the host's answer to an input request is invalid (the host's violation)", () => {
    const t = traffic('v2-modern')
    const retry = at(t, indexOf(t, isRetry('confirm'))).params as { inputResponses: Record<string, Message> }
    ;(retry.inputResponses.confirm as Message).action = 'maybe'
    const roots = at(t, indexOf(t, isRetry('roots'))).params as { inputResponses: Record<string, Message> }
    roots.inputResponses.r = { roots: [{ uri: 'https://example.com' }] }
    expect(rules(t)).toEqual([
      ['modern.input-responses', 'host', 'tools/call', 'params.inputResponses["confirm"].action'],
      ['modern.input-responses', 'host', 'tools/call', 'params.inputResponses["r"].roots[0].uri'],
    ])
  })

  test('modern.server-request: the server sends a request (legacy style) on 2026-07-28', () => {
    const t = traffic('v2-modern')
    t.push({ dir: 'in', message: { jsonrpc: '2.0', id: 0, method: 'roots/list' } })
    expect(rules(t)).toEqual([['modern.server-request', 'server', 'roots/list', undefined]])
  })

  test('modern.subscription-id: a list-changed notification that names no listen stream', () => {
    const t = traffic('v2-modern')
    t.push(
      { dir: 'in', message: { jsonrpc: '2.0', method: 'notifications/tools/list_changed' } },
      {
        dir: 'in',
        message: {
          jsonrpc: '2.0',
          method: 'notifications/tools/list_changed',
          params: { _meta: { 'io.modelcontextprotocol/subscriptionId': 'listen:0' } },
        },
      },
    )
    expect(rules(t)).toEqual([
      [
        'modern.subscription-id',
        'server',
        'notifications/tools/list_changed',
        'params._meta["io.modelcontextprotocol/subscriptionId"]',
      ],
    ])
  })

  test('era(): checks follow the landed version (rules of 2026-07-28 only after it landed)', () => {
    const t = traffic('v2-modern').filter((e) => !('era' in e))
    delete (at(t, responseIndex(t, 'tools/list')).result as Message).resultType
    // Without the era signal the checker follows 2025-11-25's rules: no resultType rule, but the
    // requests' 2026-only methods are still found in the other table.
    expect(check(t).filter((v) => v.rule === 'modern.result-type')).toEqual([])
    expect(check(t, { revision: '2026-07-28' }).map((v) => v.rule)).toEqual(['modern.result-type'])
  })
})
