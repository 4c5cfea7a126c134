// Test-side server configs: an in-memory weather server whose factory counts its calls, servers that
// never answer or never stop paging, and one with a resource template.

import { fileURLToPath } from 'node:url'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js'
import {
  CallToolRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js'
import { z } from 'zod'
import { createWeatherServer } from '../../example-servers/weather/service.js'
import type { MemoryServerConfig, StdioServerConfig } from '../../src/host/config/config-types.js'
import type { Arrivals } from './arrivals.js'

/** A memory-transport weather server config, and how many servers its factory has created. */
export function countingWeatherServer(): { config: MemoryServerConfig; created: () => number } {
  let created = 0
  const config: MemoryServerConfig = {
    transport: 'memory',
    server: () => {
      created++
      return createWeatherServer()
    },
  }
  return { config, created: () => created }
}

/**
 * A memory-transport server that answers `initialize` and then never answers anything (`'silent'`),
 * or pages its tools forever: a new `nextCursor` on every page (`'endless-pages'`) or the same
 * one again (`'repeated-cursor'`). Each request it leaves unanswered is noted in `received` by method.
 */
export function badlyBehavedServer(
  mode: 'silent' | 'endless-pages' | 'repeated-cursor',
  received?: Arrivals,
): MemoryServerConfig {
  return {
    transport: 'memory',
    server: () => {
      const mcp = new McpServer({ name: `bad-${mode}`, version: '1.0.0' })
      mcp.registerTool('weather_lookup', { description: 'never answers' }, () => ({ content: [] }))
      mcp.registerPrompt('weather_assistant', { description: 'never answers' }, () => ({ messages: [] }))
      mcp.registerResource('cities', 'weather://cities', {}, () => ({ contents: [] }))
      const never = (request: { method: string }) => {
        received?.note(request.method)
        return new Promise<never>(() => {})
      }
      let page = 0
      const pages = () => ({
        tools: [{ name: `tool_${page}`, inputSchema: { type: 'object' as const } }],
        nextCursor: mode === 'repeated-cursor' ? 'again' : String(++page),
      })
      mcp.server.setRequestHandler(ListToolsRequestSchema, mode === 'silent' ? never : pages)
      mcp.server.setRequestHandler(CallToolRequestSchema, never)
      mcp.server.setRequestHandler(GetPromptRequestSchema, never)
      mcp.server.setRequestHandler(ReadResourceRequestSchema, never)
      mcp.server.setRequestHandler(ListPromptsRequestSchema, never)
      mcp.server.setRequestHandler(ListResourcesRequestSchema, never)
      return mcp
    },
  }
}

/** A memory-transport server with one resource template, `demo://item/{id}`; `demo://item/missing` fails. */
export function templateServer(): MemoryServerConfig {
  return {
    transport: 'memory',
    server: () => {
      const mcp = new McpServer({ name: 'templates', version: '1.0.0' })
      mcp.registerResource(
        'item',
        new ResourceTemplate('demo://item/{id}', { list: undefined }),
        { description: 'an item by id' },
        (uri, { id }) => {
          if (id === 'missing') throw new Error(`no item ${String(id)}`)
          return { contents: [{ uri: uri.href, text: `item ${String(id)}` }] }
        },
      )
      return mcp
    },
  }
}

/** A low-level server with one resource, `plain://one`, and no resources/templates/list handler. */
export function resourcesWithoutTemplates(): MemoryServerConfig {
  return {
    transport: 'memory',
    server: () => {
      const server = new Server(
        { name: 'no-templates', version: '1.0.0' },
        { capabilities: { resources: {} } },
      )
      server.setRequestHandler(ListResourcesRequestSchema, () => ({
        resources: [{ uri: 'plain://one', name: 'one' }],
      }))
      server.setRequestHandler(ReadResourceRequestSchema, ({ params }) => ({
        contents: [{ uri: params.uri, text: 'one' }],
      }))
      return server as unknown as McpServer
    },
  }
}

/** A memory-transport server whose tool `slow_echo` answers its `text` after `delayMs` (its own pace). */
export function slowServer(delayMs: number): MemoryServerConfig {
  return {
    transport: 'memory',
    server: () => {
      const mcp = new McpServer({ name: 'slow', version: '1.0.0' })
      mcp.registerTool('slow_echo', { inputSchema: { text: z.string() } }, async ({ text }) => {
        await new Promise((resolve) => setTimeout(resolve, delayMs))
        return { content: [{ type: 'text', text }] }
      })
      return mcp
    },
  }
}

/** A stdio config for `test/support/raw-stdio-server.mjs` (a bare server, no SDK) run with `args`. */
export function rawStdioServer(args: readonly string[], env: Record<string, string>): StdioServerConfig {
  const script = fileURLToPath(new URL('./raw-stdio-server.mjs', import.meta.url))
  return { transport: 'stdio', command: process.execPath, args: [script, ...args], env }
}
