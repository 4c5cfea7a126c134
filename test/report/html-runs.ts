// Runs as the HTML report's builder receives them: a small known one, and many tests for size.

import type { TimelineEventName } from '../../src/launchers/timeline.js'
import type { HostSummary } from '../../src/report/host-summary.js'
import type { HtmlTestInput } from '../../src/report/html/model.js'

const T0 = 1_780_000_000_000

/** Two servers, one request of each outcome, notifications, a violation, an unknown event kind, shutdowns. */
function failingHost(): HostSummary {
  return {
    host: 'fixture "hostManager" of test "checks the weather"',
    teardownMs: 25,
    startedAt: T0,
    requests: [
      { at: 120, event: 'request tools/call weather_lookup', detail: '40 ms, ok', server: 'weather' },
      { at: 200, event: 'request tools/call current_time', detail: '30 ms, McpError: boom', server: 'clock' },
      {
        at: 400,
        event: 'request tools/call slow',
        detail: '150 ms, McpError: MCP error -32001: Request timed out after 150 ms (tools/call slow)',
        server: 'weather',
      },
      {
        at: 600,
        event: 'request tools/call weather_lookup',
        detail: '90 ms, Error: abandoned by vitest-mcp-host: the test ended while it was pending',
        server: 'clock',
      },
    ],
    servers: [
      {
        name: 'weather',
        transport: 'stdio',
        pid: 4121,
        state: 'exited',
        exitCode: 0,
        stderrTail: 'weather server listening on stdio\n',
        startedAt: T0 + 2,
        events: [
          { at: 0, event: 'spawn', detail: 'node weather.js' },
          { at: 50, event: 'initialized', detail: 'weather' },
          // Kinds the page does not know (an older or a newer version's) are drawn all the same.
          {
            at: 130,
            event: 'violation' as TimelineEventName,
            detail: 'result-schema: tools/call result has no content',
          },
          { at: 140, event: 'brand-new-kind' as TimelineEventName, detail: 'its detail' },
          { at: 700, event: 'state stopping' },
          { at: 701, event: 'stdin-close' },
          { at: 720, event: 'exit', detail: 'code 0' },
        ],
      },
      {
        name: 'clock',
        transport: 'memory',
        state: 'exited',
        stderrTail: '',
        startedAt: T0 + 3,
        events: [
          { at: 10, event: 'initialized', detail: 'clock' },
          { at: 690, event: 'state stopping' },
          { at: 695, event: 'stopped' },
        ],
      },
    ],
    problems: ['LeakError: 1 resource outlived test "checks the weather"'],
    notifications: [
      { server: 'weather', method: 'notifications/progress', at: 110 },
      { server: 'weather', method: 'notifications/message', at: 115 },
    ],
  }
}

function simpleHost(name: string, n: number): HostSummary {
  return {
    host: `fixture "hostManager" of test "${name}"`,
    teardownMs: 9,
    startedAt: T0 + n,
    requests: [
      { at: 60, event: 'request tools/list', detail: '3 ms, ok', server: 'weather' },
      { at: 90, event: 'request tools/call weather_lookup', detail: '20 ms, ok', server: 'weather' },
    ],
    servers: [
      {
        name: 'weather',
        transport: 'stdio',
        pid: 5000 + (n % 1000),
        state: 'exited',
        exitCode: 0,
        stderrTail: '',
        startedAt: T0 + n,
        events: [
          { at: 0, event: 'spawn', detail: 'node weather.js' },
          { at: 50, event: 'initialized', detail: 'weather' },
          { at: 100, event: 'state stopping' },
          { at: 101, event: 'stdin-close' },
          { at: 110, event: 'exit', detail: 'code 0' },
        ],
      },
    ],
    problems: [],
  }
}

export function knownRun(): HtmlTestInput[] {
  return [
    {
      file: 'weather.test.ts',
      fullName: 'checks the weather',
      state: 'failed',
      durationMs: 812,
      errors: [
        { name: 'LeakError', message: '1 resource outlived test "checks the weather":\n  - request ...' },
        { name: 'ProtocolViolationError', message: 'server "weather" sent a result without content' },
      ],
      hosts: [failingHost()],
    },
    {
      file: 'weather.test.ts',
      fullName: 'london is rainy',
      state: 'passed',
      durationMs: 120,
      errors: [],
      hosts: [simpleHost('london is rainy', 1)],
    },
    { file: 'other.test.ts', fullName: 'a test without hosts', state: 'passed', errors: [], hosts: [] },
  ]
}

/** `count` tests in files of 100, one in 100 failed, each with one host of one server. */
export function manyTests(count: number): HtmlTestInput[] {
  return Array.from({ length: count }, (_, i) => {
    const failed = i % 100 === 7
    return {
      file: `suite/file-${Math.floor(i / 100)}.test.ts`,
      fullName: `group ${i % 7} > case ${i}`,
      state: failed ? 'failed' : 'passed',
      durationMs: 100 + (i % 50),
      errors: failed ? [{ name: 'AssertionError', message: `expected ${i} to be ${i + 1}` }] : [],
      hosts: [simpleHost(`case ${i}`, i)],
    }
  })
}
