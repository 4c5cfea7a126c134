// The end-of-run section, pure: rows sorted into its lists as hosts and findings are added, then
// formatted; information left out on request, nothing printed when nothing is left.
import { expect, test } from 'vitest'
import type { HostSummary } from '../../src/report/host-summary.js'
import { brief, RunSection } from '../../src/report/run-section.js'

const host = (teardownMs: number, servers: HostSummary['servers']): HostSummary => ({
  host: 'host',
  teardownMs,
  requests: [],
  servers,
  problems: [],
})
const server = { transport: 'stdio', state: 'exited', stderrTail: '', events: [] }

test('hosts: an abnormal end fails nothing but is listed; a needed signal is information; teardowns slowest first', () => {
  const section = new RunSection()
  section.addHosts('a.test.ts > one', [
    host(12, [{ ...server, name: 'w', abnormal: 'crashed while in use', exitCode: 3 }]),
  ])
  section.addHosts('a.test.ts > two', [host(40, [{ ...server, name: 'v', stopSignal: 'SIGKILL' }])])
  const lines = section.format(undefined)
  expect(lines[0]).toBe(' vitest-mcp-host ')
  expect(lines).toContain('  Servers that ended abnormally:')
  expect(lines).toContain('        server "w" crashed while in use (exit 3)')
  expect(lines).toContain('  Servers that needed a signal to stop (information):')
  expect(lines.slice(-3)).toEqual([
    '  Slowest teardowns:',
    '        40 ms  host (a.test.ts > two)',
    '        12 ms  host (a.test.ts > one)',
  ])
  expect(lines.some((line) => line.startsWith('  The run fails'))).toBe(false)
})

test('information: false leaves out the information, and the whole section when nothing else is left', () => {
  const section = new RunSection()
  section.addHosts('a.test.ts > one', [host(5, [{ ...server, name: 'v', stopSignal: 'SIGTERM' }])])
  section.cutOff.push({ where: 'a.test.ts > one', text: 'tools/call slow' })
  expect(section.format(true).join('\n')).toContain('Cut off by a timeout (information)')
  expect(section.format(false)).toEqual([])
})

test('a problem is listed with a ✗; brief() keeps the first line and the leak list, not the hints', () => {
  const message =
    '1 resource outlived test "t":\n  - request "x", created at t.ts:1:1\n    hint: await it\nThe harness cleaned it up.'
  expect(brief(message)).toBe('1 resource outlived test "t":\n  - request "x", created at t.ts:1:1')
  const section = new RunSection()
  section.problems.push({ where: 'a.test.ts > t', name: 'LeakError', text: `LeakError: ${brief(message)}` })
  expect(section.format(false)).toEqual([
    ' vitest-mcp-host ',
    '  Leaks, cross-context disposals, teardown timeouts and dead workers:',
    '    ✗ a.test.ts > t',
    '        LeakError: 1 resource outlived test "t":',
    '          - request "x", created at t.ts:1:1',
  ])
})
