// `observe: 'all'` on a test's own client, without a nested run: a server that never answers
// `initialize` is named by its command (not "StdioClientTransport"), and the pending `initialize`
// is a leak created at the line of the test's `connect()` (not "unknown location"). Real: the SDK v1
// client module this file imports, patched as the plugin patches it, and a real child process.
import { createRequire } from 'node:module'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { expect, test } from 'vitest'
import { patchClientModule, problemsOf } from '../../src/plugin/worker/observed-client.js'
import { testEnded, testStarted } from '../../src/plugin/worker/observed-runs.js'
import type { TestAttempt as TestRun } from '../../src/plugin/worker/test-attempt.js'
import { captureCallSite, LeakError } from '../../src/scope/index.js'
import { Arrivals } from '../support/arrivals.js'

// The ESM build this file imports (require.resolve names the CJS one).
const clientModule = createRequire(import.meta.url)
  .resolve('@modelcontextprotocol/sdk/client/index.js')
  .replace(/([\\/])cjs([\\/])/, '$1esm$2')

test("a pending initialize: a leak at the test's connect() line, the server named by its command", async () => {
  await patchClientModule(clientModule, { wire: 'error', toolCoverage: false })
  const run = { label: 'test "connects"', shared: false, task: {}, token: 'observed-client' } as TestRun
  testStarted(run)
  const client = new Client({ name: 'c', version: '1.0.0' }, {})
  // Reads its stdin and never answers: initialize stays pending.
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['-e', 'process.stdin.resume()'],
    stderr: 'ignore',
  })
  // What the client sends, as it reaches the transport (under the plugin's tap).
  const sent = new Arrivals()
  const send = transport.send.bind(transport)
  transport.send = (message) => {
    sent.note((message as { method?: string }).method ?? 'response')
    return send(message)
  }
  let problems: Error[] = []
  try {
    // One line: the site captured here is the connect() call's.
    const [site, connecting] = [captureCallSite(), client.connect(transport).catch((e: unknown) => e)]
    await sent.reached('initialize')
    problems = problemsOf(run)
    // The plugin abandoned it: connect() rejects now, as the SDK does on a failed initialize.
    expect(String(await connecting)).toContain('abandoned by vitest-mcp-host')
    const leak = problems.find((p) => p instanceof LeakError)
    expect(leak?.message).toContain(
      `initialize to "${process.execPath} -e process.stdin.resume()" (a client the test made)`,
    )
    expect(leak?.message).toContain(`created at ${site.location.replace(/:\d+$/, ':')}`)
    expect(leak?.message).not.toContain('unknown location')
  } finally {
    testEnded(run)
    await client.close()
  }
})
