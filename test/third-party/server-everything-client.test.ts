// The host's client side against a real third-party server: @modelcontextprotocol/server-everything
// registers its sampling, elicitation and roots tools only for a client that declares those
// capabilities. Scripted handlers answer them, over stdio and over spawned Streamable HTTP.
import type { CreateMessageResult, ElicitResult } from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, test } from 'vitest'
import type { ClientConfig, ServerConfig } from '../../src/host/config/config-types.js'
import { ConfigError } from '../../src/host/errors.js'
import { HostManager } from '../../src/host/host-manager.js'
import { everythingLogged, everythingServer } from '../support/server-everything.js'

const SERVERS: Record<string, ServerConfig> = {
  stdio: everythingServer('stdio'),
  http: everythingServer('http'),
}

function texts(result: { content?: unknown }): string {
  return ((result.content ?? []) as Array<{ type: string; text?: string }>)
    .map((c) => c.text ?? '')
    .join('\n')
}

/** Handlers a test scripts: each answers with what the current script says, and records its calls. */
function scripted() {
  const calls: Array<{ method: string; params: unknown; ctx: unknown }> = []
  const script: {
    sampling: () => CreateMessageResult
    elicitation: () => ElicitResult
  } = {
    sampling: () => ({ role: 'assistant', content: { type: 'text', text: 'unused' }, model: 'none' }),
    elicitation: () => ({ action: 'cancel' }),
  }
  const client: ClientConfig = {
    name: 'scripted-client',
    version: '9.9.9',
    sampling: (params, ctx) => {
      calls.push({ method: 'sampling', params, ctx })
      return script.sampling()
    },
    elicitation: async (params, ctx) => {
      calls.push({ method: 'elicitation', params, ctx })
      return script.elicitation()
    },
    roots: [{ uri: 'file:///work/first', name: 'first' }],
  }
  return { calls, script, client }
}

describe.each(Object.keys(SERVERS))('server-everything over %s: the scripted client side', (transport) => {
  test('sampling, elicitation (accept, decline), a throwing handler, roots and setRoots', async () => {
    const { calls, script, client } = scripted()
    const host = await HostManager.start({
      servers: { everything: SERVERS[transport] as ServerConfig },
      client,
    })
    try {
      const tools = (await host.listTools()).map((t) => t.name)
      expect(tools).toEqual(
        expect.arrayContaining(['trigger-sampling-request', 'trigger-elicitation-request', 'get-roots-list']),
      )

      // Sampling: the tool reports what the handler answered; the handler saw the request and its server.
      script.sampling = () => ({
        role: 'assistant',
        content: { type: 'text', text: 'scripted answer 42' },
        model: 'scripted-model',
      })
      const sampled = await host.callTool('trigger-sampling-request', { prompt: 'tell me', maxTokens: 7 })
      expect(sampled.isError).toBeFalsy()
      expect(texts(sampled)).toContain('scripted answer 42')
      expect(texts(sampled)).toContain('scripted-model')
      const sampling = calls.find((c) => c.method === 'sampling')
      expect(sampling?.ctx).toEqual({ server: 'everything', signal: expect.any(AbortSignal) })
      expect(sampling?.params).toMatchObject({ maxTokens: 7 })
      expect(JSON.stringify(sampling?.params)).toContain('tell me')

      // Elicitation: accepted with content, then declined.
      script.elicitation = () => ({ action: 'accept', content: { name: 'Ada Lovelace', check: true } })
      const accepted = texts(await host.callTool('trigger-elicitation-request'))
      expect(accepted).toContain('- Name: Ada Lovelace')
      expect(accepted).toContain('- Agreed to terms: true')
      expect(calls.find((c) => c.method === 'elicitation')?.ctx).toEqual({
        server: 'everything',
        signal: expect.any(AbortSignal),
      })
      script.elicitation = () => ({ action: 'decline' })
      expect(texts(await host.callTool('trigger-elicitation-request'))).toContain('declined')

      // A handler that throws: the server gets a JSON-RPC error carrying its message, its tool
      // reports it, and the server's timeline keeps the handler's error.
      script.sampling = () => {
        throw new Error('no model in this test')
      }
      const failed = await host.callTool('trigger-sampling-request', { prompt: 'again' })
      expect(failed.isError).toBe(true)
      expect(texts(failed)).toContain('no model in this test')
      // A result that is not a CreateMessageResult is an error too.
      script.elicitation = () => ({ action: 'maybe' }) as unknown as ElicitResult
      const invalid = await host.callTool('trigger-elicitation-request')
      expect(invalid.isError).toBe(true)
      expect(texts(invalid)).toContain('invalid result')
      const errors = host.server('everything')
      const events = host.entries[0]?.timeline.events.filter((e) => e.event === 'handler-error') ?? []
      expect(errors.state).toBe('ready')
      expect(events.map((e) => e.detail)).toEqual([
        'sampling/createMessage: no model in this test',
        expect.stringMatching(
          /^elicitation\/create: the elicitation\/create handler returned an invalid result \(action: /,
        ),
      ])

      // Roots: the configured ones, then what setRoots() says (after list_changed the server asks again).
      // The roots tool answers from the server's cache, which it logs having filled (again after list_changed).
      await everythingLogged(host, 'Roots updated: 1 root(s) received from client')
      const first = texts(await host.callTool('get-roots-list'))
      expect(first).toContain('1. first\n   URI: file:///work/first')
      await host.setRoots([{ uri: 'file:///work/second', name: 'second' }, { uri: 'file:///work/third' }])
      await everythingLogged(host, 'Roots updated: 2 root(s) received from client')
      const after = texts(await host.callTool('get-roots-list'))
      expect(after).toContain('Current MCP Roots (2 total)')
      expect(after).toContain('1. second\n   URI: file:///work/second')
      expect(after).toContain('2. Unnamed Root\n   URI: file:///work/third')
      expect(host.entries[0]?.timeline.events.map((e) => e.event)).toContain('roots-list-changed')
    } finally {
      await host.shutdown()
    }
  })
})

describe('setRoots', () => {
  test('a host without client.roots: ConfigError at client.roots; bad roots: ConfigError; closed: HostClosedError', async () => {
    const memory: ServerConfig = {
      transport: 'memory',
      server: async () => {
        const { McpServer } = await import('@modelcontextprotocol/sdk/server/mcp.js')
        return new McpServer({ name: 'bare', version: '1.0.0' })
      },
    }
    const bare = await HostManager.start({ servers: { bare: memory } })
    const error = await bare.setRoots([{ uri: 'file:///x' }]).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).path).toBe('client.roots')
    expect(bare.client('bare').getServerCapabilities()).toBeDefined()
    await bare.shutdown()

    const host = await HostManager.start({ servers: { bare: memory }, client: { roots: [] } })
    const bad = await host.setRoots([{ uri: 'https://example.com' }]).catch((e: unknown) => e)
    expect(bad).toBeInstanceOf(ConfigError)
    expect((bad as ConfigError).message).toBe('roots.0.uri: expected a file:// URI')
    await host.setRoots([{ uri: 'file:///ok' }])
    await host.shutdown()
    await expect(host.setRoots([])).rejects.toMatchObject({ name: 'HostClosedError' })
  })
})
