// server-everything's last three tools, which it registers only for a client that declares URL-mode
// elicitation or client-side tasks: trigger-url-elicitation (its request path and its -32042 error
// path), trigger-sampling-request-async and trigger-elicitation-request-async (the host runs the
// scripted handler as a task the server polls). Over stdio and spawned Streamable HTTP.
import type { ElicitRequest } from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, test } from 'vitest'
import type { ClientConfig } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'
import { everythingServer } from '../support/server-everything.js'

function texts(result: { content?: unknown }): string {
  return ((result.content ?? []) as Array<{ text?: string }>).map((c) => c.text ?? '').join('\n')
}

describe.each(['stdio', 'http'] as const)(
  'server-everything over %s: URL elicitation and client tasks',
  (transport) => {
    test('trigger-url-elicitation: the handler gets the URL (request path); -32042 then a retry (error path)', async () => {
      const asked: ElicitRequest['params'][] = []
      const client: ClientConfig = {
        elicitation: (params) => {
          asked.push(params)
          return { action: 'accept' }
        },
      }
      await using host = await HostManager.start({
        servers: { everything: everythingServer(transport) },
        client,
      })
      const url = 'https://example.com/authorize'

      const accepted = await host.callTool('trigger-url-elicitation', { url, elicitationId: 'e-1' })
      expect(texts(accepted)).toContain(
        `✅ User completed the URL elicitation flow.\nElicitation ID: e-1\nURL: ${url}`,
      )
      expect(asked).toEqual([
        { mode: 'url', url, elicitationId: 'e-1', message: 'Please open the link to complete this action.' },
      ])

      // The error path: the call fails with the server's URL elicitation (MCP error -32042, as the SDK
      // client gives it), and the same call again goes through the request path.
      const args = { url, elicitationId: 'e-2', errorPath: true }
      const failed = await host.callTool('trigger-url-elicitation', args).then(
        () => undefined,
        (error: unknown) => error,
      )
      expect(failed).toMatchObject({
        code: -32042,
        elicitations: [
          { mode: 'url', url: 'https://modelcontextprotocol.io', elicitationId: expect.any(String) },
        ],
      })
      expect(texts(await host.callTool('trigger-url-elicitation', args))).toContain('Elicitation ID: e-2')
      expect(asked.map((p) => (p as { elicitationId?: string }).elicitationId)).toEqual(['e-1', 'e-2'])
    }, 20_000)

    test('trigger-sampling-request-async and trigger-elicitation-request-async: the handlers run as tasks it polls', async () => {
      const client: ClientConfig = {
        sampling: (params) => {
          const content = params.messages[0]?.content
          const prompt = content && 'text' in content ? content.text : ''
          return {
            role: 'assistant',
            content: { type: 'text', text: `answered: ${prompt}` },
            model: 'scripted',
          }
        },
        elicitation: () => ({ action: 'accept', content: { name: 'Ada', favoriteColor: 'green' } }),
      }
      await using host = await HostManager.start({
        servers: { everything: everythingServer(transport) },
        client,
      })

      // It polls once a second: the handler answered at once, so the first poll finds it completed.
      const [sampled, elicited] = await Promise.all([
        host.callTool('trigger-sampling-request-async', { prompt: 'rain?' }),
        host.callTool('trigger-elicitation-request-async'),
      ])
      const sampledText = texts(sampled)
      expect(sampledText).toMatch(/^\[COMPLETED\] Async sampling completed!/)
      expect(sampledText).toMatch(/Task created: vitest-mcp-host-task-\d+\nPoll 1: completed/)
      expect(sampledText).toContain('answered: Resource trigger-sampling-request-async context: rain?')
      const elicitedText = texts(elicited)
      expect(elicitedText).toContain('[COMPLETED] User provided the requested information!')
      expect(elicitedText).toMatch(/name.*Ada/)
    }, 20_000)

    test('a failing handler: the server sees its task fail with the handler’s message', async () => {
      const client: ClientConfig = {
        sampling: () => {
          throw new Error('no model in this test')
        },
      }
      await using host = await HostManager.start({
        servers: { everything: everythingServer(transport) },
        client,
      })
      const result = texts(await host.callTool('trigger-sampling-request-async', { prompt: 'x' }))
      expect(result).toMatch(/^\[FAILED\] no model in this test/)
    }, 20_000)
  },
)
