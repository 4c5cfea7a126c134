// The ownership core (scope/) knows neither MCP nor Vitest: its advice comes from above. Loading
// report/leak-advice.ts (the host does) makes every later CrossContextDisposalError end with the
// host's advice; leak hints are looked up by kind there too.
import { afterAll, expect, test } from 'vitest'
import { hintFor, OWNERSHIP_ADVICE } from '../../src/report/leak-advice.js'
import { CrossContextDisposalError, setOwnershipAdvice } from '../../src/scope/index.js'

const site = (context: string) => ({ context, at: 'a.test.ts:1:1' })
const disposal = () =>
  new CrossContextDisposalError({ kind: 'server', label: 'w' }, site('test "a"'), site('afterAll'))

afterAll(() => setOwnershipAdvice(OWNERSHIP_ADVICE))

test("a misplaced disposal ends with the host's advice, set from above", () => {
  expect(disposal().message.split('\n').at(-1)).toBe(OWNERSHIP_ADVICE)
  expect(OWNERSHIP_ADVICE).toContain('hostManager.shutdown()')
  setOwnershipAdvice('Close it from its owner.')
  expect(disposal().message.split('\n').at(-1)).toBe('Close it from its owner.')
})

test('leak hints by kind, with a default for a kind nobody named', () => {
  expect(hintFor('request')).toBe(
    'await the request before the test ends, or pass an AbortSignal and abort it.',
  )
  expect(hintFor('process')).toMatch(/^the server started a process it did not stop/)
  expect(hintFor('something else')).toBe('dispose it before the test ends.')
})
