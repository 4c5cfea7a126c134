// The revision's schema per method, for requests, results, notifications, and the host's own
// answers to server requests (direction 'host'), each on recorded real traffic broken on purpose.
import { describe, expect, test } from 'vitest'
import { at, check, indexOf, isRequest, responseIndex, traffic } from './replay.js'

const rules = (t: Parameters<typeof check>[0]) => check(t).map((v) => [v.rule, v.direction, v.method, v.path])

describe('schema', () => {
  test('schema.result: a tools/list tool whose inputSchema is not an object schema', () => {
    const t = traffic('everything-legacy')
    const result = at(t, responseIndex(t, 'tools/list')).result as { tools: Array<{ inputSchema: object }> }
    result.tools[1] = { ...result.tools[1], inputSchema: { type: 'string' } } as never
    expect(rules(t)).toEqual([['schema.result', 'server', 'tools/list', 'result.tools[1].inputSchema.type']])
  })

  test('schema.result: a tool result without content (core defaults it; the spec requires it)', () => {
    const t = traffic('everything-legacy')
    delete (at(t, responseIndex(t, 'tools/call', 'echo')).result as { content?: unknown }).content
    expect(rules(t)).toEqual([['schema.result', 'server', 'tools/call', 'result.content']])
  })

  test('schema.result: a content block of an unknown type names the block', () => {
    const t = traffic('v2-modern')
    const result = at(t, responseIndex(t, 'tools/call', 'echo')).result as { content: unknown[] }
    result.content[0] = { type: 'text', text: 42 }
    expect(rules(t)).toEqual([['schema.result', 'server', 'tools/call', 'result.content[0].text']])
  })

  test('schema.request: the host sends tools/call without a name', () => {
    const t = traffic('everything-legacy')
    delete (at(t, indexOf(t, isRequest('tools/call'))).params as { name?: string }).name
    const found = check(t)
    expect(found[0]).toMatchObject({
      rule: 'schema.request',
      direction: 'host',
      method: 'tools/call',
      path: 'params.name',
    })
  })

  test('schema.notification: a log message with a level the spec does not have', () => {
    const t = traffic('everything-legacy')
    ;(
      at(
        t,
        indexOf(t, (e) => e.message.method === 'notifications/message'),
      ).params as { level: string }
    ).level = 'loud'
    expect(rules(t)).toEqual([['schema.notification', 'server', 'notifications/message', 'params.level']])
  })

  test('schema.method: a server sending a client method; a legacy method on 2026-07-28', () => {
    const legacy = traffic('everything-legacy')
    legacy.push({ dir: 'in', message: { jsonrpc: '2.0', id: 50, method: 'tools/list' } })
    expect(rules(legacy)).toEqual([['schema.method', 'server', 'tools/list', undefined]])
    const modern = traffic('v2-modern')
    modern.push({ dir: 'out', message: { jsonrpc: '2.0', id: 50, method: 'ping' } })
    modern.push({ dir: 'out', message: { jsonrpc: '2.0', method: 'notifications/initialized' } })
    expect(rules(modern)).toEqual([
      ['schema.method', 'host', 'ping', undefined],
      ['schema.method', 'host', 'notifications/initialized', undefined],
    ])
  })

  test('methods of no revision (extensions) are not flagged', () => {
    const t = traffic('everything-legacy')
    t.push({ dir: 'in', message: { jsonrpc: '2.0', method: 'notifications/vendor/thing', params: { x: 1 } } })
    expect(check(t)).toEqual([])
  })
})

describe("the host's own answers to server requests are the host's violations", () => {
  test('a sampling answer with a role the spec does not have', () => {
    const t = traffic('everything-legacy')
    ;(at(t, responseIndex(t, 'sampling/createMessage')).result as { role: string }).role = 'robot'
    expect(rules(t)).toEqual([['schema.result', 'host', 'sampling/createMessage', 'result.role']])
  })

  test('an elicitation answer with an action the spec does not have', () => {
    const t = traffic('everything-legacy')
    ;(at(t, responseIndex(t, 'elicitation/create')).result as { action: string }).action = 'maybe'
    expect(rules(t)).toEqual([['schema.result', 'host', 'elicitation/create', 'result.action']])
  })

  test('a roots answer whose root is not a file:// URI', () => {
    const t = traffic('everything-legacy')
    ;(at(t, responseIndex(t, 'roots/list')).result as { roots: Array<{ uri: string }> }).roots[0] = {
      uri: 'https://example.com',
    }
    expect(rules(t)).toEqual([['schema.result', 'host', 'roots/list', 'result.roots[0].uri']])
  })
})
