// Records real MCP traffic for the wire-check tests: a raw SDK v2 Client over stdio, its transport
// wrapped to log every message both ways (and the landed version), against server-everything
// (legacy) and the v2 test server (both revisions). Rerun to refresh test/wire/traffic/*.json:
//   node test/wire/record-traffic.mjs
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Client } from '@modelcontextprotocol/client'
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio'

const here = path.dirname(fileURLToPath(import.meta.url))
const everything = path.join(
  path.dirname(
    createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/package.json'),
  ),
  'dist',
  'index.js',
)

/** The transport the Client sees: the SDK's stdio transport, every message logged as it passes. */
function recording(inner, log) {
  const copy = (m) => JSON.parse(JSON.stringify(m))
  const t = {
    start: () => inner.start(),
    send: (message, options) => {
      log.push({ dir: 'out', message: copy(message) })
      return inner.send(message, options)
    },
    close: () => inner.close(),
    setProtocolVersion: (version) => {
      log.push({ era: version })
      inner.setProtocolVersion?.(version)
    },
  }
  inner.onmessage = (message, extra) => {
    log.push({ dir: 'in', message: copy(message) })
    t.onmessage?.(message, extra)
  }
  inner.onclose = () => t.onclose?.()
  inner.onerror = (e) => t.onerror?.(e)
  return t
}

function hostClient(mode) {
  const client = new Client(
    { name: 'wire-recorder', version: '1.0.0' },
    {
      capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } },
      versionNegotiation: { mode },
    },
  )
  client.setRequestHandler('sampling/createMessage', async () => ({
    role: 'assistant',
    content: { type: 'text', text: 'sampled answer' },
    model: 'test-model',
  }))
  client.setRequestHandler('elicitation/create', async () => ({
    action: 'accept',
    content: { yes: true, name: 'Ada' },
  }))
  client.setRequestHandler('roots/list', async () => ({
    roots: [{ uri: 'file:///tmp/project', name: 'project' }],
  }))
  return client
}

async function record(name, params, mode, script) {
  const log = []
  const client = hostClient(mode)
  await client.connect(recording(new StdioClientTransport({ ...params, stderr: 'ignore' }), log))
  try {
    await script(client)
  } finally {
    await client.close()
  }
  writeFileSync(path.join(here, 'traffic', `${name}.json`), `${JSON.stringify(log, null, 1)}\n`)
  console.log(name, log.length, 'messages')
}

const call = (client, name, args = {}) => client.callTool({ name, arguments: args }).catch((e) => e)

await record(
  'everything-legacy',
  { command: process.execPath, args: [everything, 'stdio'] },
  'legacy',
  async (c) => {
    await c.listTools()
    await call(c, 'echo', { message: 'hello' })
    await call(c, 'get-structured-content', { location: 'Chicago' })
    await call(c, 'get-sum', { a: 1, b: 2 })
    await call(c, 'trigger-sampling-request', { prompt: 'hi', maxTokens: 10 })
    await call(c, 'trigger-elicitation-request')
    await call(c, 'get-roots-list')
    await call(c, 'no-such-tool')
    await c.listPrompts()
    await c.getPrompt({ name: 'simple-prompt' }).catch(() => {})
    const resources = await c.listResources()
    if (resources.resources[0]) await c.readResource({ uri: resources.resources[0].uri })
    await c.listResourceTemplates()
    await c.ping()
  },
)

for (const [name, mode] of [
  ['v2-legacy', 'legacy'],
  ['v2-modern', { pin: '2026-07-28' }],
]) {
  await record(
    name,
    { command: process.execPath, args: [path.join(here, 'fixtures', 'v2-server-stdio.mjs')] },
    mode,
    async (c) => {
      await c.listTools()
      await call(c, 'echo', { text: 'hello' })
      await call(c, 'weather', { city: 'London' })
      await call(c, 'fails')
      await call(c, 'confirm')
      await call(c, 'sample')
      await call(c, 'roots')
      await call(c, 'no-such-tool')
      await c.listPrompts()
      await c.getPrompt({ name: 'greet', arguments: { who: 'Ada' } })
      await c.listResources()
      await c.readResource({ uri: 'demo://r1' })
    },
  )
}
