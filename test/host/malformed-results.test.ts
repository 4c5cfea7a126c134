// A server answering with results that are not valid MCP: every host method rejects with a
// MalformedResultError naming the server and the request, the SDK's validation error as its cause.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { Protocol } from '@modelcontextprotocol/sdk/shared/protocol.js'
import {
  CallToolRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js'
import { describe, expect, test } from 'vitest'
import type { MemoryServerConfig } from '../../src/host/config/config-types.js'
import { MalformedResultError } from '../../src/host/errors.js'
import { HostManager } from '../../src/host/host-manager.js'
import { rejectionOf } from '../support/assertions.js'

type Handler = Parameters<Protocol<never, never, never>['setRequestHandler']>[1]

/**
 * A server offering `lookup`, `assistant` and `note://one` whose answers are malformed. Set through
 * Protocol's own method: the SDK's Server checks a tools/call result before sending it.
 */
function malformedServer(): MemoryServerConfig {
  return {
    transport: 'memory',
    server: () => {
      const mcp = new McpServer({ name: 'malformed', version: '1.0.0' })
      mcp.registerTool('lookup', { description: 'answers badly' }, () => ({ content: [] }))
      mcp.registerPrompt('assistant', { description: 'answers badly' }, () => ({ messages: [] }))
      mcp.registerResource('one', 'note://one', {}, () => ({ contents: [] }))
      const set = (schema: unknown, handler: Handler) =>
        Protocol.prototype.setRequestHandler.call(mcp.server, schema as never, handler as never)
      set(CallToolRequestSchema, () => ({ content: 'not a list' }) as never)
      set(
        GetPromptRequestSchema,
        () => ({ messages: [{ role: 'robot', content: { type: 'text', text: 'x' } }] }) as never,
      )
      set(ReadResourceRequestSchema, () => ({ contents: [{ uri: 42 }] }) as never)
      return mcp
    },
  }
}

/** A server whose listings are malformed. */
function badListServer(): MemoryServerConfig {
  return {
    transport: 'memory',
    server: () => {
      const mcp = new McpServer({ name: 'bad-lists', version: '1.0.0' })
      mcp.registerTool('lookup', {}, () => ({ content: [] }))
      mcp.registerPrompt('assistant', {}, () => ({ messages: [] }))
      mcp.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [{ name: 7 }] }) as never)
      mcp.server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: 'none' }) as never)
      return mcp
    },
  }
}

function expectMalformed(error: unknown, server: string, request: string, problem: RegExp): void {
  expect(error).toBeInstanceOf(MalformedResultError)
  expect(error).toMatchObject({ server, request, method: request.split(' ')[0] })
  expect((error as Error).message).toMatch(
    new RegExp(
      `^Server "${server}" answered ${request.replace(/[/.]/g, '\\$&')} with a result that is not valid MCP: `,
    ),
  )
  expect((error as Error).message).toMatch(problem)
  expect((error as Error).message).toMatch(
    /The server must answer as the MCP schema says \(the validation error is the cause\)\.$/,
  )
  expect((error as Error).cause).toMatchObject({ issues: expect.any(Array) })
}

describe('a result that is not valid MCP', () => {
  test('callTool, getPrompt, readResource: MalformedResultError naming the server and the request', async () => {
    await using host = await HostManager.start({ servers: { odd: malformedServer() } })
    expectMalformed(await rejectionOf(host.callTool('lookup')), 'odd', 'tools/call lookup', /: content: /)
    expectMalformed(
      await rejectionOf(host.getPrompt('assistant')),
      'odd',
      'prompts/get assistant',
      /messages\.0\.role: /,
    )
    expectMalformed(
      await rejectionOf(host.readResource('note://one')),
      'odd',
      'resources/read note://one',
      /contents\.0: /,
    )
    // The server still answers what it answers well.
    expect((await host.listTools()).map((tool) => tool.name)).toEqual(['lookup'])
  })

  test('listTools, listPrompts, and a call routed through a malformed listing', async () => {
    // Two servers: a call is routed by their listings (a sole server gets it at once).
    await using host = await HostManager.start({
      servers: { lists: badListServer(), odd: malformedServer() },
    })
    expectMalformed(await rejectionOf(host.listTools()), 'lists', 'tools/list', /tools\.0\.name: /)
    expectMalformed(await rejectionOf(host.listPrompts()), 'lists', 'prompts/list', /prompts: /)
    expectMalformed(await rejectionOf(host.callTool('lookup')), 'lists', 'tools/list', /tools\.0\.name: /)
  })
})
