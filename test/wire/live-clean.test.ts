// Zero violations on clean real traffic, checked live: server-everything over stdio (a real
// third-party server, 2025-11-25) and a v2 McpServer served by serveStdio over the in-memory pair
// on both revisions. Every message both ways, the host's answers to sampling/elicitation/roots included.
import { InMemoryTransport } from '@modelcontextprotocol/client'
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio'
import { serveStdio } from '@modelcontextprotocol/server/stdio'
import { expect, test } from 'vitest'
import { createWireChecker, type Violation } from '../../src/wire/check/index.js'
import { waitDead } from '../launchers/process-helpers.js'
import { everythingEntry } from '../support/server-everything.js'
import { makeV2Server } from './fixtures/v2-server.mjs'
import { call, checked, hostClient } from './live.js'

test('server-everything over stdio, 2025-11-25: no violations in a session using every kind of message', async () => {
  const found: Violation[] = []
  let messages = 0
  const checker = createWireChecker({ server: 'everything', report: (v) => found.push(v) })
  const counting: typeof checker = {
    revision: undefined,
    inbound: (e) => (messages++, checker.inbound(e)),
    outbound: (e) => checker.outbound(e),
    era: (v) => checker.era(v),
    nonJsonLine: (line) => checker.nonJsonLine(line),
    nonRpcLine: (line) => checker.nonRpcLine(line),
  }
  const client = hostClient('legacy')
  const stdio = new StdioClientTransport({
    command: process.execPath,
    args: [everythingEntry, 'stdio'],
    stderr: 'ignore',
  })
  await client.connect(checked(stdio, counting))
  const pid = stdio.pid
  try {
    await client.listTools()
    await call(client, 'echo', { message: 'hi' })
    await call(client, 'get-structured-content', { location: 'New York' })
    await call(client, 'get-sum', { a: 2, b: 3 })
    await call(client, 'get-tiny-image')
    await call(client, 'get-annotated-message', { messageType: 'error', includeImage: true })
    await call(client, 'get-resource-links', { count: 2 })
    await call(client, 'get-resource-reference', { resourceType: 'Text', resourceId: 1 })
    await call(client, 'trigger-sampling-request', { prompt: 'hi', maxTokens: 5 })
    await call(client, 'trigger-elicitation-request')
    await call(client, 'get-roots-list')
    await call(client, 'trigger-long-running-operation', { duration: 0.2, steps: 2 })
    await call(client, 'no-such-tool')
    await client.listPrompts()
    await client.getPrompt({ name: 'args-prompt', arguments: { city: 'Paris' } }).catch(() => {})
    const { resources } = await client.listResources()
    for (const r of resources.slice(0, 2)) await client.readResource({ uri: r.uri })
    await client.listResourceTemplates()
    await client
      .complete({
        ref: { type: 'ref/prompt', name: 'completable-prompt' },
        argument: { name: 'department', value: 'E' },
      })
      .catch(() => {})
    await client.setLoggingLevel('debug')
    await client.ping()
  } finally {
    await client.close()
    // The SDK's close signals the server (stdin end, SIGTERM after 2 s) and returns without waiting.
    if (pid) expect(await waitDead(pid, 10_000)).toBe(true)
  }
  expect(messages).toBeGreaterThan(30)
  expect(found).toEqual([])
}, 60_000)

test.for(['legacy', '2026-07-28'] as const)(
  'a v2 McpServer (serveStdio over the in-memory pair) on %s: no violations',
  async (revision) => {
    const found: Violation[] = []
    const checker = createWireChecker({ server: 'v2', report: (v) => found.push(v) })
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
    const served = serveStdio(() => makeV2Server(), { transport: serverSide })
    const client = hostClient(revision === 'legacy' ? 'legacy' : { pin: revision })
    try {
      await client.connect(checked(clientSide, checker))
      expect(checker.revision).toBe(revision === 'legacy' ? '2025-11-25' : '2026-07-28')
      await client.listTools()
      for (const tool of ['weather', 'fails', 'confirm', 'sample', 'roots', 'no-such-tool'])
        await call(client, tool, tool === 'weather' ? { city: 'Oslo' } : {})
      await call(client, 'echo', { text: 'x' })
      await client.listPrompts()
      await client.getPrompt({ name: 'greet', arguments: { who: 'Ada' } })
      await client.listResources()
      await client.readResource({ uri: 'demo://r1' })
    } finally {
      await client.close()
      await served.close()
    }
    expect(found).toEqual([])
  },
)
