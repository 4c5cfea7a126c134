// The checker's options and bounds: ignore, the per-rule report cap, revision-specific links.
import { describe, expect, test } from 'vitest'
import { createWireChecker, MAX_REPORTS_PER_RULE, RULES, type Violation } from '../../src/wire/check/index.js'
import { at, check, feed, responseIndex, traffic } from './replay.js'

describe('checker options', () => {
  test('ignore skips the named rules for this server only', () => {
    const t = traffic('v2-modern')
    delete (at(t, responseIndex(t, 'tools/list')).result as Record<string, unknown>).resultType
    expect(check(t, { ignore: ['modern.result-type'] })).toEqual([])
    expect(check(t).map((v) => v.rule)).toEqual(['modern.result-type'])
  })

  test('a flood of one broken rule is reported MAX_REPORTS_PER_RULE times, not once per message', () => {
    const found: Violation[] = []
    const checker = createWireChecker({ server: 's', revision: '2025-11-25', report: (v) => found.push(v) })
    for (let i = 0; i < MAX_REPORTS_PER_RULE * 3; i++)
      checker.inbound({ dir: 'in', message: { jsonrpc: '2.0', id: 10_000 + i, result: {} } as never, at: i })
    expect(found).toHaveLength(MAX_REPORTS_PER_RULE)
    expect(new Set(found.map((v) => v.rule))).toEqual(new Set(['jsonrpc.unknown-id']))
  })

  test('spec links follow the landed revision', () => {
    const found: Violation[] = []
    const checker = createWireChecker({ server: 's', report: (v) => found.push(v) })
    checker.nonJsonLine('hello')
    checker.era('2026-07-28')
    checker.nonJsonLine('hello')
    expect(found.map((v) => v.spec)).toEqual([
      'https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#stdio',
      'https://modelcontextprotocol.io/specification/2026-07-28/basic/transports/stdio',
    ])
    expect(checker.revision).toBe('2026-07-28')
  })

  test('rule ids are unique, severities follow MUST/SHOULD, every rule has a spec section', () => {
    const ids = RULES.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z]+\.[a-z-]+$/)
      expect(['error', 'warn']).toContain(rule.severity)
      expect(Object.keys(rule.spec).length).toBeGreaterThan(0)
    }
  })

  test('the checker never changes or consumes a message', () => {
    const t = traffic('everything-legacy')
    const before = JSON.stringify(t)
    const checker = createWireChecker({ server: 's', report: () => {} })
    for (const e of t)
      if (!('era' in e) && e.dir === 'in')
        expect(checker.inbound({ dir: 'in', message: e.message as never, at: 0 })).toBeUndefined()
    feed(createWireChecker({ server: 's', report: () => {} }), t)
    expect(JSON.stringify(t)).toBe(before)
  })
})
