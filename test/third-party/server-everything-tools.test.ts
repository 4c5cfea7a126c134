// Every tool of @modelcontextprotocol/server-everything 2026.8.31 that the other third-party tests do
// not call (echo, sampling, elicitation, roots, logging, progress, subscriptions, the research task,
// URL elicitation and the client-side tasks are theirs), each prompt once, and its resources (list, one text, one blob), over stdio and over
// spawned Streamable HTTP, with every client handler the host has declared. Nothing is left running,
// and the wire check finds nothing of severity error.
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import type { ClientConfig, ServerConfig } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'
import { markEnv, markedPids, markedServers, waitForMarked } from '../launchers/process-helpers.js'
import {
  EVERYTHING_BASE_TOOLS,
  EVERYTHING_CLIENT_TOOLS,
  everythingLogged,
  everythingServer,
} from '../support/server-everything.js'

const newMark = markedServers()

function config(transport: string, mark: string): ServerConfig {
  return everythingServer(transport === 'stdio' ? 'stdio' : 'http', {
    ...markEnv(mark),
    EVERYTHING_TEST_VAR: 'from the config',
  })
}

/** The local addresses of the sockets listening on TCP `port` (Linux: /proc/net/tcp, tcp6), in hex. */
function listeningAddresses(port: number): string[] {
  const found: string[] = []
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines: string[] = []
    try {
      lines = readFileSync(file, 'utf8').split('\n').slice(1)
    } catch {
      continue
    }
    for (const line of lines) {
      const [, local, , state] = line.trim().split(/\s+/)
      const [address, hexPort] = (local ?? '').split(':')
      if (state === '0A' && hexPort !== undefined && Number.parseInt(hexPort, 16) === port)
        found.push(address ?? '')
    }
  }
  return found
}

/** Every handler the host has: it declares sampling, elicitation (form and URL), tasks and roots. */
const client: ClientConfig = {
  sampling: () => ({ role: 'assistant', content: { type: 'text', text: 'unused' }, model: 'none' }),
  elicitation: () => ({ action: 'cancel' }),
  roots: [{ uri: 'file:///work', name: 'work' }],
}

/** What it registers for that client: all 19 of its tools. */
const TOOLS = [...EVERYTHING_BASE_TOOLS, ...EVERYTHING_CLIENT_TOOLS].sort()

type Item = { type: string; text?: string; [key: string]: unknown }

function itemsOf(result: { content?: unknown }): Item[] {
  return (result.content ?? []) as Item[]
}

function textOf(result: { content?: unknown }): string {
  return itemsOf(result)
    .map((c) => c.text ?? '')
    .join('\n')
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

async function tools(host: HostManager, transport: string): Promise<void> {
  const listed = await host.listTools()
  expect(listed.map((t) => t.name).sort()).toEqual(TOOLS)

  // get-sum adds.
  expect(textOf(await host.callTool('get-sum', { a: 19, b: 23 }))).toBe('The sum of 19 and 23 is 42.')

  // get-tiny-image: a PNG image between two texts.
  const image = itemsOf(await host.callTool('get-tiny-image'))
  expect(image.map((c) => c.type)).toEqual(['text', 'image', 'text'])
  expect(image[1]?.mimeType).toBe('image/png')
  expect(Buffer.from(String(image[1]?.data), 'base64').subarray(0, 8)).toEqual(PNG_SIGNATURE)

  // get-annotated-message: priority and audience per message type; the image is annotated too.
  const annotated = itemsOf(
    await host.callTool('get-annotated-message', { messageType: 'error', includeImage: true }),
  )
  expect(annotated).toEqual([
    {
      type: 'text',
      text: 'Error: Operation failed',
      annotations: { priority: 1, audience: ['user', 'assistant'] },
    },
    expect.objectContaining({
      type: 'image',
      mimeType: 'image/png',
      annotations: { priority: 0.5, audience: ['user'] },
    }),
  ])

  // get-structured-content: structuredContent that its outputSchema describes, and the same as text.
  const schema = listed.find((t) => t.name === 'get-structured-content')?.outputSchema as {
    properties: Record<string, { type: string }>
    required?: string[]
  }
  const structured = await host.callTool('get-structured-content', { location: 'Los Angeles' })
  expect(structured.structuredContent).toEqual({ temperature: 73, conditions: 'Sunny / Clear', humidity: 48 })
  const content = structured.structuredContent as Record<string, unknown>
  expect(Object.keys(content).sort()).toEqual(Object.keys(schema.properties).sort())
  expect([...(schema.required ?? [])].sort()).toEqual(Object.keys(content).sort())
  for (const [key, value] of Object.entries(content)) expect(typeof value).toBe(schema.properties[key]?.type)
  expect(JSON.parse(textOf(structured))).toEqual(structured.structuredContent)

  // get-resource-links: an intro, then resource_link items (even ids text, odd ids blob), each readable.
  const links = itemsOf(await host.callTool('get-resource-links', { count: 4 }))
  expect(links[0]?.text).toBe('Here are 4 resource links to resources available in this server:')
  expect(links.slice(1).map((c) => [c.type, c.uri])).toEqual([
    ['resource_link', 'demo://resource/dynamic/blob/1'],
    ['resource_link', 'demo://resource/dynamic/text/2'],
    ['resource_link', 'demo://resource/dynamic/blob/3'],
    ['resource_link', 'demo://resource/dynamic/text/4'],
  ])
  expect(links[1]?.name).toBe('Blob Resource 1')
  // Its own defect: a blob is served as text/plain (its template says application/octet-stream), so
  // every link, blob or not, is described as a plaintext resource.
  expect(links[1]?.mimeType).toBe('text/plain')
  expect(links[1]?.description).toBe('Resource 1: plaintext resource')
  const linked = await host.readResource(String(links[1]?.uri))
  expect(Buffer.from(String((linked.contents[0] as { blob?: string }).blob), 'base64').toString()).toMatch(
    /^Resource 1: This is a base64 blob created at /,
  )

  // get-resource-reference: an embedded resource between two texts.
  const reference = itemsOf(
    await host.callTool('get-resource-reference', { resourceType: 'Text', resourceId: 5 }),
  )
  expect(reference.map((c) => c.type)).toEqual(['text', 'resource', 'text'])
  expect(reference[1]?.resource).toEqual({
    uri: 'demo://resource/dynamic/text/5',
    mimeType: 'text/plain',
    text: expect.stringMatching(/^Resource 5: This is a plaintext resource created at /),
  })

  // gzip-file-as-resource, from a data: URI (no network): the gzip embedded, or linked as a session resource.
  const original = `gzip me over ${transport}\n`.repeat(20)
  const data = `data:text/plain;base64,${Buffer.from(original).toString('base64')}`
  const embedded = itemsOf(
    await host.callTool('gzip-file-as-resource', {
      name: `embedded-${transport}.gz`,
      data,
      outputType: 'resource',
    }),
  )
  expect(embedded).toHaveLength(1)
  const resource = embedded[0]?.resource as { uri: string; mimeType: string; blob: string }
  expect(resource.uri).toBe(`demo://resource/session/embedded-${transport}.gz`)
  expect(resource.mimeType).toBe('application/gzip')
  expect(gunzipSync(Buffer.from(resource.blob, 'base64')).toString()).toBe(original)

  const name = `linked-${transport}.gz`
  const [link, ...rest] = itemsOf(
    await host.callTool('gzip-file-as-resource', { name, data, outputType: 'resourceLink' }),
  )
  expect(rest).toEqual([])
  expect(link).toEqual({
    type: 'resource_link',
    uri: `demo://resource/session/${name}`,
    name,
    mimeType: 'application/gzip',
  })
  // The session resource is listed now (list_changed refreshed the host's list) and reads as the gzip.
  expect((await host.listResources()).map((r) => r.uri)).toContain(link?.uri)
  const read = await host.readResource(String(link?.uri))
  const blob = (read.contents[0] as { blob?: string }).blob
  expect(gunzipSync(Buffer.from(String(blob), 'base64')).toString()).toBe(original)

  // get-env: the host's minimal environment plus the config's env, not the test's.
  const env = JSON.parse(textOf(await host.callTool('get-env'))) as Record<string, string>
  expect(env.EVERYTHING_TEST_VAR).toBe('from the config')
  expect(env.VITEST_MCP_HOST_SERVER).toEqual(expect.any(String))
  expect(process.env.VITEST).toBeDefined()
  expect(env.VITEST).toBeUndefined()
  const allowed = [
    'HOME',
    'LOGNAME',
    'PATH',
    'SHELL',
    'TERM',
    'USER',
    'EVERYTHING_TEST_VAR',
    'VITEST_MCP_HOST_SERVER',
  ]
  allowed.push('VITEST_MCP_HOST_TEST_MARK', ...(transport === 'http' ? ['PORT', 'HOST'] : []))
  expect(Object.keys(env).filter((key) => !allowed.includes(key))).toEqual([])

  // The toggles toggle: started, then stopped.
  for (const tool of ['toggle-simulated-logging', 'toggle-subscriber-updates']) {
    expect(textOf(await host.callTool(tool))).toMatch(/^Started /)
    expect(textOf(await host.callTool(tool))).toMatch(/^Stopped /)
  }
}

async function prompts(host: HostManager): Promise<void> {
  const listed = (await host.listPrompts()).map((p) => p.name).sort()
  expect(listed).toEqual(['args-prompt', 'completable-prompt', 'resource-prompt', 'simple-prompt'])

  const simple = await host.getPrompt('simple-prompt')
  expect(simple.messages).toEqual([
    { role: 'user', content: { type: 'text', text: 'This is a simple prompt without arguments.' } },
  ])
  const args = await host.getPrompt('args-prompt', { city: 'Porto', state: 'Norte' })
  expect(args.messages[0]?.content).toEqual({ type: 'text', text: "What's weather in Porto, Norte?" })
  const completable = await host.getPrompt('completable-prompt', { department: 'Sales', name: 'Eve' })
  expect(completable.messages[0]?.content).toEqual({
    type: 'text',
    text: 'Please promote Eve to the head of the Sales team.',
  })
  const embedded = await host.getPrompt('resource-prompt', { resourceType: 'Blob', resourceId: '3' })
  expect(embedded.messages.map((m) => m.content.type)).toEqual(['text', 'resource'])
  expect(embedded.messages[1]?.content).toEqual({
    type: 'resource',
    resource: { uri: 'demo://resource/dynamic/blob/3', mimeType: 'text/plain', blob: expect.any(String) },
  })
}

async function resources(host: HostManager): Promise<void> {
  // Its static resources are the files of its docs/ folder (text), before any session resource.
  const listed = await host.listResources()
  const documents = listed.filter((r) => r.uri.startsWith('demo://resource/static/document/'))
  expect(documents.map((r) => r.name)).toContain('instructions.md')
  expect(documents.every((r) => r.mimeType === 'text/markdown')).toBe(true)

  const text = await host.readResource('demo://resource/static/document/instructions.md')
  expect(text.contents).toEqual([
    {
      uri: 'demo://resource/static/document/instructions.md',
      mimeType: 'text/markdown',
      text: expect.any(String),
    },
  ])
  expect((text.contents[0] as { text: string }).text.length).toBeGreaterThan(0)

  const templates = await host.listResourceTemplates()
  const blobTemplate = templates.find((t) => t.uriTemplate === 'demo://resource/dynamic/blob/{resourceId}')
  expect(blobTemplate?.mimeType).toBe('application/octet-stream')
  const blob = await host.readResource('demo://resource/dynamic/blob/9')
  const [item] = blob.contents as Array<{ uri: string; blob?: string; text?: string }>
  expect(item?.uri).toBe('demo://resource/dynamic/blob/9')
  expect(item?.text).toBeUndefined()
  // Its own defect: the content says text/plain, not its template's application/octet-stream.
  expect((item as { mimeType?: string }).mimeType).toBe('text/plain')
  expect(Buffer.from(String(item?.blob), 'base64').toString()).toMatch(
    /^Resource 9: This is a base64 blob created at /,
  )
}

describe.each(['stdio', 'http'])(
  'server-everything over %s: every tool, prompt and resource kind',
  (transport) => {
    test('calls each tool once, gets each prompt, lists and reads resources', async () => {
      const mark = newMark(`everything-tools-${transport}`)
      const host = await HostManager.start({ servers: { everything: config(transport, mark) }, client })
      try {
        expect(await waitForMarked(mark)).toBe(host.server('everything').pid)
        await resources(host)
        await tools(host, transport)
        await prompts(host)
        // 350 ms after initialize it asks for the roots (the host answers, it logs what it got). A
        // host shut down before that leaves it waiting 60 s for an answer from a client that is gone
        // (over stdio it exits only once its event loop is empty): wait for it, as a test should.
        await everythingLogged(host, 'Roots updated: 1 root(s) received from client')
        if (transport === 'http' && process.platform === 'linux') {
          // Its own defect: app.listen(PORT) binds every interface (0.0.0.0 / ::), not loopback only.
          const port = Number(/listening on port (\d+)/.exec(host.server('everything').stderr())?.[1])
          const addresses = listeningAddresses(port)
          expect(addresses.length).toBeGreaterThan(0)
          expect(addresses.every((a) => /^0+$/.test(a))).toBe(true)
        }
      } finally {
        await host.shutdown()
      }
      expect(host.server('everything').state).toBe('exited')
      const report = host.entries[0]?.stopReport
      expect(report?.leftovers).toEqual([])
      // Over stdio it exits once stdin closes; over HTTP it keeps serving, so SIGTERM ends it.
      expect(report?.exit).toEqual(
        transport === 'stdio' ? { code: 0, signal: null } : { code: null, signal: 'SIGTERM' },
      )
      expect(markedPids(mark)).toEqual([])
      // The wire check (issue 22) on all of it, both directions, the host's handlers' answers
      // included: no violation of a MUST (what a SHOULD finds is listed, and fails nothing).
      const failing = host.wireLedger.list().filter((r) => !r.listed)
      expect(failing.map((r) => r.violation)).toEqual([])
    }, 20_000)
  },
)
