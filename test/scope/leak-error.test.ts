// LeakError's message: each leak on its line, and a last line that says what the harness cleaned
// up and what it left running (trace only reports the handles it finds).
import { describe, expect, test } from 'vitest'
import { type Leak, LeakError } from '../../src/scope/index.js'

const leak = (kind: string, detail: string, cleanedUp?: boolean): Leak => ({
  kind,
  label: `a ${kind}`,
  createdIn: { context: 'test "t"', at: 't.test.ts:3:5' },
  detail,
  hint: 'fix it.',
  ...(cleanedUp === undefined ? {} : { cleanedUp }),
})

describe('LeakError', () => {
  test('what the harness stopped: "cleaned them up"', () => {
    expect(
      new LeakError('test "t"', [leak('process', 'killed'), leak('host', 'shut down now')]).message,
    ).toBe(
      '2 resources outlived test "t":\n' +
        '  - process "a process" (killed), created at t.test.ts:3:5\n    hint: fix it.\n' +
        '  - host "a host" (shut down now), created at t.test.ts:3:5\n    hint: fix it.\n' +
        'The harness cleaned them up.',
    )
  })

  test('what trace found: marked not cleared, and the last line says it is still active', () => {
    expect(new LeakError('test "t"', [leak('timer', 'setInterval every 5 ms', false)]).message).toBe(
      '1 resource outlived test "t":\n' +
        '  - timer "a timer" (setInterval every 5 ms; not cleared), created at t.test.ts:3:5\n    hint: fix it.\n' +
        'The harness did not clean it up (trace only reports the handles it finds): it is still ' +
        'active and may fire in later tests of this worker.',
    )
  })

  test('both: how many of each', () => {
    const message = new LeakError('test "t"', [
      leak('process', 'killed'),
      leak('timer', 'setTimeout of 9 ms', false),
      leak('socket', 'connected to 127.0.0.1:80', false),
    ]).message
    expect(message.split('\n').at(-1)).toBe(
      'The harness cleaned up 1 of them; the other 2 it did not (trace only reports the handles it ' +
        'finds): they are still active and may fire in later tests of this worker.',
    )
  })
})
