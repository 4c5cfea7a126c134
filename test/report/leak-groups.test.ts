// Grouping the end-of-run leaks by creation site: shared sites become one row naming the tests.
import { describe, expect, test } from 'vitest'
import { type Finding, groupLeaksBySite } from '../../src/report/leak-groups.js'

const leak = (label: string, at: string, detail?: string) => ({
  kind: label.startsWith('pid') ? 'process' : 'timer',
  label,
  createdIn: { at },
  ...(detail ? { detail } : {}),
})
const finding = (where: string, leaks: ReturnType<typeof leak>[]): Finding => ({
  where,
  name: 'LeakError',
  text: [
    `LeakError: ${leaks.length} outlived test "${where}":`,
    ...leaks.map((l) => `  - ${l.kind} "${l.label}", created at ${l.createdIn.at}`),
  ].join('\n'),
  leaks,
})

describe('groupLeaksBySite', () => {
  test('a site shared by several tests is one row; what is left of a test stays on its own row', () => {
    const rows = groupLeaksBySite([
      finding('a', [leak('t', 'x.ts:1:1', 'setInterval every 5 ms'), leak('own', 'a.ts:9:9')]),
      finding('b', [leak('t', 'x.ts:1:1', 'setInterval every 5 ms')]),
      finding('c', [leak('pid 11: sleep 9', 'h.ts:2:2', 'killed')]),
      finding('d', [leak('pid 12: sleep 9', 'h.ts:2:2', 'killed')]),
      { where: 'worker pid 4', name: 'worker', text: 'worker exited unexpectedly' },
    ])
    expect(rows).toEqual([
      { where: 'a', text: 'LeakError: 2 outlived test "a":\n  - timer "own", created at a.ts:9:9' },
      { where: 'worker pid 4', text: 'worker exited unexpectedly' },
      {
        where: 'timer "t" (setInterval every 5 ms), created at x.ts:1:1',
        text: 'LeakError in 2 tests:\n  a\n  b',
      },
      // Each spawn has its own pid: the site and command are what is shared.
      {
        where: 'process "pid …: sleep 9" (killed), created at h.ts:2:2',
        text: 'LeakError in 2 tests:\n  c\n  d',
      },
    ])
  })

  test('a site in one test only, or leaks not sent as data, stay as they are; long lists are cut', () => {
    const alone = finding('a', [leak('t', 'x.ts:1:1')])
    const untyped: Finding = { where: 'b', name: 'LeakError', text: alone.text }
    expect(groupLeaksBySite([alone, untyped])).toEqual([
      { where: 'a', text: alone.text },
      { where: 'b', text: alone.text },
    ])
    const many = Array.from({ length: 8 }, (_, i) => finding(`t${i}`, [leak('t', 'x.ts:1:1')]))
    expect(groupLeaksBySite(many)).toEqual([
      {
        where: 'timer "t", created at x.ts:1:1',
        text: 'LeakError in 8 tests:\n  t0\n  t1\n  t2\n  t3\n  t4\n  … and 3 more',
      },
    ])
  })
})
