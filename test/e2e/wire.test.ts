// End-to-end: the wire check on hosts in a real nested Vitest with the plugin (issue 22). The test a
// violating message travelled in fails with ProtocolViolationError naming rule, method and server;
// the others pass; a file-scoped host's violation goes to the test it travelled in; the host's own
// malformed answer is named as the host's; an ignored rule passes; `wire: 'warn'` lists and passes;
// the bundled weather servers (every transport) and server-everything have no false positive.
import { describe } from 'vitest'
import { onlyError, outcomes, section, TEST_TIMEOUT_MS, test } from './harness.js'

describe('the wire check in a real nested Vitest', { timeout: TEST_TIMEOUT_MS }, () => {
  test('each violation fails the test its message travelled in, with rule, method and server', async ({
    expect,
    runFixture,
  }) => {
    const result = await runFixture('plugin-wire')
    expect(outcomes(result)).toEqual({
      'stdio: a clean call passes': 'passed',
      'stdio: a broken outputSchema fails the test, though it caught the rejection':
        'failed: ProtocolViolationError',
      'stdio: a second response to one call': 'failed: ProtocolViolationError',
      'stdio: a line on stdout that is not JSON': 'failed: ProtocolViolationError',
      'stdio: a line on stdout that is JSON but no JSON-RPC message': 'failed: ProtocolViolationError',
      'memory: a clean call passes': 'passed',
      'memory: a broken outputSchema fails the test': 'failed: ProtocolViolationError',
      'ignore: the rule skipped for the server, the test passes': 'passed',
      "worker: the host's malformed elicitation answer is the host's violation":
        'failed: ProtocolViolationError',
      'a host the test starts and shuts down itself: its violation fails the test':
        'failed: ProtocolViolationError',
      'shared: a clean call before': 'passed',
      'shared: a notification that breaks its schema fails this test': 'failed: ProtocolViolationError',
      'shared: a broken outputSchema fails this test': 'failed: ProtocolViolationError',
      'shared: a clean call after': 'passed',
      'weather over stdio: no violation': 'passed',
      'weather over http: no violation': 'passed',
      'weather over memory: no violation': 'passed',
      'weather over worker: no violation': 'passed',
      'server-everything over stdio: no violation': 'passed',
    })
    const message = (name: string) => onlyError(result.test(name)).message
    for (const name of [
      'stdio: a broken outputSchema fails the test, though it caught the rejection',
      'memory: a broken outputSchema fails the test',
      'shared: a broken outputSchema fails this test',
      'a host the test starts and shuts down itself: its violation fails the test',
    ]) {
      expect(message(name)).toContain(
        'Protocol violation on the wire (tools/call bad_add): error: server "bad" broke tool.output-schema in tools/call bad_add at result.structuredContent.sum',
      )
    }
    expect(message('stdio: a second response to one call')).toContain(
      'error: server "bad" broke jsonrpc.duplicate-response',
    )
    expect(message('stdio: a line on stdout that is not JSON')).toContain(
      'error: server "bad" broke stdio.non-json-line: the server wrote a line to stdout that is not JSON (got "debug: computing the sum")',
    )
    expect(message('stdio: a line on stdout that is JSON but no JSON-RPC message')).toContain(
      'error: server "bad" broke jsonrpc.message: the server wrote a line to stdout that is JSON but not a JSON-RPC message',
    )
    // A notification of a file-scoped host: charged to the test running when it arrived, only.
    expect(message('shared: a notification that breaks its schema fails this test')).toContain(
      'error: server "bad" broke schema.notification in notifications/message',
    )
    expect(message("worker: the host's malformed elicitation answer is the host's violation")).toContain(
      'error: the host (to server "asking") broke schema.result in elicitation/create at result.action',
    )
    // Nothing was left for the file-scoped host's teardown: the run fails only by its tests.
    expect(section(result)).not.toContain('file-scoped')
  })

  test("wire: 'warn' lists the violation in the run's report and the test passes", async ({
    expect,
    runFixture,
  }) => {
    const result = await runFixture('plugin-wire-warn')
    expect(outcomes(result)).toEqual({ 'warn: a broken outputSchema is listed, the test passes': 'passed' })
    const report = section(result)
    expect(report).toContain('Warnings:')
    expect(report).toContain('ProtocolViolationError')
    expect(report).toContain('tool.output-schema')
    expect(result.exitCode).toBe(0)
  })
})
