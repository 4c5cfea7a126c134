// 2025-11-25's lifecycle order on recorded real traffic, reordered on purpose.
import { describe, expect, test } from 'vitest'
import { check, type Entry, indexOf, isRequest, responseIndex, traffic } from './replay.js'

const rules = (t: Entry[]) => check(t).map((v) => [v.rule, v.severity, v.direction, v.method])
const isInitialized = (e: { message: Record<string, unknown> }) =>
  e.message.method === 'notifications/initialized'

describe('lifecycle (2025-11-25)', () => {
  test('lifecycle.initialize-first: a request before initialize (flagged once)', () => {
    const t = traffic('everything-legacy')
    t.splice(indexOf(t, isRequest('initialize')), 2)
    const found = rules(t).filter(([rule]) => String(rule).startsWith('lifecycle'))
    expect(found).toEqual([['lifecycle.initialize-first', 'error', 'host', 'tools/list']])
  })

  test('lifecycle.request-before-initialize-result: a request while initialize is unanswered', () => {
    const t = traffic('everything-legacy')
    const [list] = t.splice(indexOf(t, isRequest('tools/list')), 1) as [Entry]
    t.splice(indexOf(t, isRequest('initialize')) + 1, 0, list)
    expect(rules(t)).toEqual([['lifecycle.request-before-initialize-result', 'warn', 'host', 'tools/list']])
  })

  test('lifecycle.initialized: requests after initialize without notifications/initialized', () => {
    const t = traffic('everything-legacy')
    t.splice(indexOf(t, isInitialized), 1)
    expect(rules(t)).toEqual([
      ['lifecycle.initialized', 'error', 'host', 'tools/list'],
      ['lifecycle.server-request-before-initialized', 'warn', 'server', 'sampling/createMessage'],
    ])
  })

  test('lifecycle.server-request-before-initialized: a server request before notifications/initialized', () => {
    const t = traffic('everything-legacy')
    const roots = t.splice(indexOf(t, isRequest('roots/list')), 1)[0] as Entry
    const answer = t.splice(
      indexOf(t, (e) => e.dir === 'out' && 'result' in e.message && 'roots' in (e.message.result as object)),
      1,
    )[0] as Entry
    t.splice(responseIndex(t, 'initialize') + 1, 0, roots, answer)
    expect(rules(t)).toEqual([
      ['lifecycle.server-request-before-initialized', 'warn', 'server', 'roots/list'],
    ])
  })

  test("the SDK's era probe (server/discover answered -32601) before initialize is allowed", () => {
    const t = traffic('everything-legacy')
    t.unshift(
      {
        dir: 'out',
        message: { jsonrpc: '2.0', id: 'server-discover-probe-1', method: 'server/discover', params: {} },
      },
      {
        dir: 'in',
        message: {
          jsonrpc: '2.0',
          id: 'server-discover-probe-1',
          error: { code: -32601, message: 'Method not found' },
        },
      },
    )
    expect(check(t)).toEqual([])
  })

  test('no lifecycle rule applies on 2026-07-28 (no initialize there)', () => {
    const t = traffic('v2-modern')
    expect(check(t)).toEqual([])
  })
})
