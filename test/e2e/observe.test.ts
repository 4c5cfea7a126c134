// End-to-end: mcpHost({ observe: 'all' }) in a real nested Vitest, on test files that make their own
// SDK v1 and v2 clients (no hostManager): a tool breaking its outputSchema fails the test it
// travelled in with ProtocolViolationError, a request left pending is that test's LeakError (and is
// aborted: the client's promise rejects), a clean
// test passes, and the calls count in tool coverage under the server's own name.
import { describe, test } from 'vitest'
import type { ToolCoverageSummary } from '../../src/report/tool-coverage.js'
import { onlyError, outcomes, run, TEST_TIMEOUT_MS } from './harness.js'

describe("observe: 'all' in a real nested Vitest", { timeout: TEST_TIMEOUT_MS }, () => {
  test('v1 and v2 clients: violations and pending requests charged to their tests, calls counted', async ({
    expect,
    signal,
  }) => {
    const result = await run('plugin-observe', { signal })
    expect(outcomes(result)).toEqual({
      'no sdk: nothing of the observer loaded': 'passed',
      'v1 clean: listed and called': 'passed',
      'v1 bad output: fails even though the rejection is caught': 'failed: ProtocolViolationError',
      'v1 pending at the end': 'failed: LeakError',
      'v2 clean: listed and called': 'passed',
      'v2 bad output: fails even though the rejection is caught': 'failed: ProtocolViolationError',
      'v2 pending at the end': 'failed: LeakError',
    })
    for (const sdk of ['v1', 'v2']) {
      const violation = onlyError(result.test(`${sdk} bad output: fails even though the rejection is caught`))
      expect(violation.message).toContain('server "fake"')
      expect(violation.message).toContain('tool.output-schema')
      expect(violation.message).toContain('result.structuredContent.sum')
      const leak = onlyError(result.test(`${sdk} pending at the end`))
      expect(leak.message).toContain('tools/call hang to "fake" (a client the test made)')
      expect(leak.message).toContain('; aborted)')
    }
    // The client's own promise rejected when its test ended: nothing waits 60 s into later tests.
    const aborted = (result.outFiles.aborted ?? '').trim().split('\n').sort()
    expect(aborted).toEqual([
      'v1: MCP error -32000: abandoned by vitest-mcp-host: the test ended while it was pending',
      'v2: abandoned by vitest-mcp-host: the test ended while it was pending',
    ])
    const summary = JSON.parse(result.outFiles['tool-coverage.json'] ?? 'null') as ToolCoverageSummary
    const fake = summary.servers.find((s) => s.label.startsWith('fake'))
    expect(fake?.called).toEqual(['add', 'bad_add', 'hang'])
  })
})
