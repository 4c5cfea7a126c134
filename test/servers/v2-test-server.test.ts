// A third-party-style server built on SDK v2 (test/fixtures/v2-server) over stdio and HTTP, on both
// revisions, spoken to by a raw v2 client: tools (with an output schema), prompts, resources and
// templates, logging, subscriptions, and each multi-round-trip kind (form and URL elicitation,
// sampling, roots). Over HTTP on 2025-11-25 the SDK serves statelessly (createMcpHandler's default):
// no server→client requests and no subscriptions there, which is what the last case pins down.
import { fileURLToPath } from 'node:url'
import { Client, LOG_LEVEL_META_KEY, type LoggingMessageNotification } from '@modelcontextprotocol/client'
import { describe, expect, test } from 'vitest'
import { type Connection, overHttp, overStdio, REVISIONS, type Revision, textOf } from './v2-clients.js'

const SERVER = fileURLToPath(new URL('../fixtures/v2-server/server.mjs', import.meta.url))
const SPAWNED = { timeout: 30_000 }

/** A v2 client on `revision` with a handler for every server→client request kind. */
function fullClient({ mode }: Revision): { client: Client; logs: LoggingMessageNotification['params'][] } {
  const client = new Client(
    { name: 'notes-test', version: '1.0.0' },
    {
      versionNegotiation: { mode },
      capabilities: { elicitation: { form: {}, url: {} }, sampling: {}, roots: {} },
    },
  )
  client.setRequestHandler('elicitation/create', ({ params }) =>
    params.mode === 'url' ? { action: 'accept' } : { action: 'accept', content: { name: 'Ada' } },
  )
  client.setRequestHandler('sampling/createMessage', () => ({
    role: 'assistant',
    content: { type: 'text', text: 'milk' },
    model: 'test-model',
  }))
  client.setRequestHandler('roots/list', () => ({ roots: [{ uri: 'file:///work', name: 'work' }] }))
  const logs: LoggingMessageNotification['params'][] = []
  client.setNotificationHandler('notifications/message', (notification) => {
    logs.push(notification.params)
  })
  return { client, logs }
}

const TRANSPORTS = [
  { transport: 'stdio', connect: (client: Client) => overStdio([SERVER, 'stdio'], client) },
  { transport: 'http', connect: (client: Client) => overHttp([SERVER, 'http'], client) },
] as const

async function using(
  connecting: Promise<Connection>,
  body: (client: Client) => Promise<void>,
): Promise<void> {
  const connection = await connecting
  try {
    await body(connection.client)
  } finally {
    await connection.close()
  }
}

describe.for(TRANSPORTS)('the v2 notes server over $transport', ({ transport, connect }) => {
  test.for(REVISIONS)(
    'tools with an output schema, a prompt, resources and a template [$revision]',
    SPAWNED,
    async (revision) => {
      await using(connect(fullClient(revision).client), async (client) => {
        expect(client.getNegotiatedProtocolVersion()).toBe(revision.revision)
        const { tools } = await client.listTools()
        expect(tools.find((tool) => tool.name === 'add')?.outputSchema).toMatchObject({
          properties: { sum: {} },
        })
        const sum = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } })
        expect(sum.structuredContent).toEqual({ sum: 5 })
        const prompt = await client.getPrompt({ name: 'review_note', arguments: { name: 'todo' } })
        expect(prompt.messages[0]?.content).toMatchObject({ text: 'Review this note: buy milk' })
        const index = await client.readResource({ uri: 'notes://index' })
        expect(JSON.parse((index.contents[0] as { text: string }).text)).toEqual(['todo', 'ideas'])
        const { resourceTemplates } = await client.listResourceTemplates()
        expect(resourceTemplates.map((template) => template.uriTemplate)).toEqual(['notes://note/{name}'])
        const note = await client.readResource({ uri: 'notes://note/ideas' })
        expect(note.contents[0]).toMatchObject({ text: 'a harness for MCP servers' })
      })
    },
  )

  const full = transport === 'stdio' ? REVISIONS : REVISIONS.filter((revision) => revision.era === 'modern')

  test.for(full)(
    'each multi-round-trip kind: form and URL elicitation, sampling, roots [$revision]',
    SPAWNED,
    async (revision) => {
      await using(connect(fullClient(revision).client), async (client) => {
        expect(textOf(await client.callTool({ name: 'ask_name' }))).toBe('Hello, Ada')
        expect(textOf(await client.callTool({ name: 'open_link' }))).toBe('link accept')
        expect(textOf(await client.callTool({ name: 'summarize', arguments: { text: 'buy milk' } }))).toBe(
          'summary: milk',
        )
        expect(textOf(await client.callTool({ name: 'list_roots' }))).toBe('file:///work')
      })
    },
  )

  test.for(full)('logging at the level the client asked for [$revision]', SPAWNED, async (revision) => {
    const { client, logs } = fullClient(revision)
    await using(connect(client), async () => {
      const steps = { name: 'log_steps', arguments: { steps: 2 } }
      if (revision.era === 'legacy') {
        await client.setLoggingLevel('info')
        await client.callTool(steps)
      } else {
        // 2026-07-28 has no logging/setLevel: the level rides in each request's _meta.
        await client.callTool({ ...steps, _meta: { [LOG_LEVEL_META_KEY]: 'info' } })
      }
      expect(logs.map((log) => [log.level, log.data])).toEqual([
        ['info', 'step 1'],
        ['info', 'step 2'],
      ])
    })
  })

  test.for(full)('a subscribed resource: its update arrives [$revision]', SPAWNED, async (revision) => {
    const { client } = fullClient(revision)
    await using(connect(client), async () => {
      const uri = 'notes://note/todo'
      const updated = new Promise<string>((resolve) => {
        client.setNotificationHandler('notifications/resources/updated', (n) => resolve(n.params.uri))
      })
      const subscription =
        revision.era === 'legacy'
          ? (await client.subscribeResource({ uri }), undefined)
          : await client.listen({ resourceSubscriptions: [uri] })
      await client.callTool({ name: 'touch_note', arguments: { name: 'todo', text: 'buy oat milk' } })
      expect(await updated).toBe(uri)
      expect((await client.readResource({ uri })).contents[0]).toMatchObject({ text: 'buy oat milk' })
      await subscription?.close()
    })
  })
})

describe('over HTTP on 2025-11-25 (served statelessly by createMcpHandler)', () => {
  test('a multi-round-trip tool cannot ask: a tool error result, not a hang', SPAWNED, async () => {
    const [legacy] = REVISIONS as [Revision]
    await using(overHttp([SERVER, 'http'], fullClient(legacy).client), async (client) => {
      const result = await client.callTool({ name: 'ask_name' })
      expect(result.isError).toBe(true)
      expect(textOf(result)).toMatch(/input/i)
    })
  })
})
