// The v2-built notes server (test/fixtures/v2-server) through today's host, on 2025-11-25 over stdio:
// the host's own client-side handlers answer each multi-round-trip kind, which a v2 server sends there
// as ordinary server→client requests; logging, subscriptions, prompts, resources and templates.
// (The same through the host on 2026-07-28 comes with the host's move to the v2 client.)
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import type { ServerConfig } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'
import { textOf } from './v2-clients.js'

const SERVER = fileURLToPath(new URL('../fixtures/v2-server/server.mjs', import.meta.url))
const NOTES: ServerConfig = { transport: 'stdio', command: process.execPath, args: [SERVER, 'stdio'] }

async function withHost(body: (host: HostManager) => Promise<void>): Promise<void> {
  const host = await HostManager.start({
    servers: { notes: NOTES },
    client: {
      elicitation: (params) =>
        params.mode === 'url' ? { action: 'accept' } : { action: 'accept', content: { name: 'Ada' } },
      sampling: () => ({ role: 'assistant', content: { type: 'text', text: 'milk' }, model: 'test-model' }),
      roots: [{ uri: 'file:///work', name: 'work' }],
    },
  })
  try {
    await body(host)
  } finally {
    await host.shutdown()
  }
}

test('each multi-round-trip kind, answered by the host’s handlers', { timeout: 30_000 }, async () => {
  await withHost(async (host) => {
    expect(textOf(await host.callTool('ask_name'))).toBe('Hello, Ada')
    expect(textOf(await host.callTool('open_link'))).toBe('link accept')
    expect(textOf(await host.callTool('summarize', { text: 'buy milk' }))).toBe('summary: milk')
    expect(textOf(await host.callTool('list_roots'))).toBe('file:///work')
  })
})

test('tools with an output schema, a prompt, resources, a template, logging and a subscription', {
  timeout: 30_000,
}, async () => {
  await withHost(async (host) => {
    expect((await host.callTool('add', { a: 1, b: 2 })).structuredContent).toEqual({ sum: 3 })
    const prompt = await host.getPrompt('review_note', { name: 'todo' })
    expect(prompt.messages[0]?.content).toMatchObject({ text: 'Review this note: buy milk' })
    expect((await host.listResourceTemplates()).map((template) => template.uriTemplate)).toEqual([
      'notes://note/{name}',
    ])
    expect((await host.readResource('notes://note/ideas')).contents[0]).toMatchObject({
      text: 'a harness for MCP servers',
    })

    await host.setLoggingLevel('info')
    await host.callTool('log_steps', { steps: 1 })
    const logs = host.notifications({ method: 'notifications/message' }).map((n) => n.params)
    expect(logs).toEqual([expect.objectContaining({ level: 'info', data: 'step 1' })])

    await host.subscribeResource('notes://note/todo')
    await host.callTool('touch_note', { name: 'todo', text: 'buy oat milk' })
    const updated = await host.waitForNotification({ method: 'notifications/resources/updated' })
    expect(updated.params).toEqual({ uri: 'notes://note/todo' })
  })
})
