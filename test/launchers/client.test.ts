// The host's SDK Client builds its JSON Schema validator (Ajv, ~1 ms) only when a tool's output
// schema needs it: the client's own validation of structured content is unchanged.
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js'
import { expect, test } from 'vitest'
import { HostManager } from '../../src/host/host-manager.js'

/** A low-level server (no server-side output validation) whose `forecast` answers `answer`. */
function typedServer(answer: Record<string, unknown>) {
  return {
    transport: 'memory' as const,
    server: () => {
      const server = new Server({ name: 'typed', version: '1.0.0' }, { capabilities: { tools: {} } })
      server.setRequestHandler(ListToolsRequestSchema, () => ({
        tools: [
          {
            name: 'forecast',
            inputSchema: { type: 'object' as const },
            outputSchema: {
              type: 'object' as const,
              properties: { celsius: { type: 'number' } },
              required: ['celsius'],
            },
          },
        ],
      }))
      server.setRequestHandler(CallToolRequestSchema, () => ({
        content: [{ type: 'text', text: 'typed' }],
        structuredContent: answer,
      }))
      return server as never
    },
  }
}

test("structured content matching the tool's output schema passes; a mismatch is the client's validation error", async () => {
  await using good = await HostManager.start({ servers: { typed: typedServer({ celsius: 15 }) } })
  await good.listTools()
  expect((await good.callTool('forecast', {})).structuredContent).toEqual({ celsius: 15 })
  await using bad = await HostManager.start({ servers: { typed: typedServer({ celsius: 'warm' }) } })
  // The SDK client validates against the schemas of the tools it has listed.
  await bad.listTools()
  await expect(bad.callTool('forecast', {})).rejects.toThrow(/Structured content does not match/i)
})
