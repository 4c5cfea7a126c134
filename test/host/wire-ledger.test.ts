// Which test a recorded violation is charged to (issue 22): the one it travelled for; a shared
// host's traffic of no test, to the test running when it travelled; and the errors made of them.
import { describe, expect, test } from 'vitest'
import {
  chargedTo,
  isListedOnly,
  type RecordedViolation,
  violationErrors,
  WireLedger,
} from '../../src/host/records/wire-ledger.js'
import type { Attribution } from '../../src/scope/index.js'
import { ProtocolViolationError, type Violation } from '../../src/wire/check/index.js'

const violation = (rule: string): Violation => ({
  rule,
  severity: 'error',
  direction: 'server',
  server: 's',
  message: 'broken',
  spec: 'https://example.test/spec',
})
const entry = (
  rule: string,
  attribution: Attribution | undefined,
  at: number,
  listed = false,
): RecordedViolation => ({ violation: violation(rule), attribution, at, listed })

describe('chargedTo', () => {
  const run = { label: 'test "b"', shared: false }
  const other = { label: 'test "a"', shared: false }
  const owner = { label: 'the file-scoped hostManager', shared: true }

  test("a test takes its own, and a shared owner's or nobody's from its start on; nothing else", () => {
    const ledger = new WireLedger()
    ledger.record(entry('mine', run, 5))
    ledger.record(entry('other test', other, 20))
    ledger.record(entry('shared before', owner, 9))
    ledger.record(entry('shared during', owner, 11))
    ledger.record(entry('nobody during', undefined, 12))
    const taken = ledger.take(chargedTo(run, 10)).map((r) => r.violation.rule)
    expect(taken).toEqual(['mine', 'shared during', 'nobody during'])
    expect(ledger.list().map((r) => r.violation.rule)).toEqual(['other test', 'shared before'])
  })
})

describe('violationErrors', () => {
  test('one error that fails for the MUSTs at error, one listed for the rest; none for nothing', () => {
    expect(violationErrors([])).toEqual([])
    const [failing, listed, ...rest] = violationErrors([
      entry('a', undefined, 0),
      entry('b', undefined, 0, true),
      entry('c', undefined, 0),
    ])
    expect(rest).toEqual([])
    expect(failing).toBeInstanceOf(ProtocolViolationError)
    expect((failing as ProtocolViolationError).violations.map((v) => v.rule)).toEqual(['a', 'c'])
    expect(isListedOnly(failing as Error)).toBe(false)
    expect((listed as ProtocolViolationError).violations.map((v) => v.rule)).toEqual(['b'])
    expect(isListedOnly(listed as Error)).toBe(true)
  })
})

test('a ledger keeps at most 1000 violations and counts the rest', () => {
  const ledger = new WireLedger()
  for (let i = 0; i < 1005; i++) ledger.record(entry('r', undefined, i))
  expect(ledger.list()).toHaveLength(1000)
  expect(ledger.dropped).toBe(5)
})
