// The `expect` matchers for MCP results, tool lists and hosts.
import type { CallToolResult, Tool } from '@modelcontextprotocol/client'
import { isHostManager } from '../host/brand.js'
import type { SurfaceSnapshotOptions } from '../snapshot/surface-matcher.js'
import type { MatcherResult } from './matcher-result.js'
import { requireResult } from './tool-result.js'

/** A schema with zod's `safeParse` (any zod version, or anything shaped like it). */
export interface SafeParser {
  safeParse(value: unknown): { success: boolean; error?: { message: string } }
}

/** The text of every text content block of a tool result, joined by newlines. */
export function toolText(result: CallToolResult): string {
  return result.content
    .filter((block): block is { type: 'text'; text: string } => block.type === 'text')
    .map((block) => block.text)
    .join('\n')
}

function contains(text: string, expected: string | RegExp): boolean {
  return typeof expected === 'string' ? text.includes(expected) : expected.test(text)
}

export const mcpMatchers = {
  toContainToolText(received: unknown, expected: string | RegExp): MatcherResult {
    const text = toolText(requireResult(received, 'toContainToolText'))
    const pass = contains(text, expected)
    return {
      pass,
      message: () =>
        `expected tool result text ${JSON.stringify(text)} ${pass ? 'not ' : ''}to contain ${String(expected)}`,
    }
  },

  toBeToolError(received: unknown, expected?: string | RegExp): MatcherResult {
    const result = requireResult(received, 'toBeToolError')
    const text = toolText(result)
    const pass = result.isError === true && (expected === undefined || contains(text, expected))
    const what = expected === undefined ? 'a tool error' : `a tool error containing ${String(expected)}`
    return {
      pass,
      message: () =>
        `expected tool result (isError: ${result.isError ?? false}, text ${JSON.stringify(text)}) ${pass ? 'not ' : ''}to be ${what}`,
    }
  },

  async toHaveTool(received: unknown, name: string): Promise<MatcherResult> {
    let tools: Array<Pick<Tool, 'name'>>
    if (isHostManager(received)) tools = await received.listTools()
    else if (Array.isArray(received)) tools = received as Tool[]
    else throw new TypeError('toHaveTool() expects a HostManager or a tool list')
    const names = tools.map((tool) => tool.name)
    const pass = names.includes(name)
    return {
      pass,
      message: () => `expected tools [${names.join(', ')}] ${pass ? 'not ' : ''}to include "${name}"`,
    }
  },

  toMatchToolSchema(received: unknown, schema: SafeParser): MatcherResult {
    const result = requireResult(received, 'toMatchToolSchema')
    let value: unknown = result.structuredContent
    if (value === undefined) {
      try {
        value = JSON.parse(toolText(result))
      } catch {
        value = toolText(result)
      }
    }
    const parsed = schema.safeParse(value)
    return {
      pass: parsed.success,
      message: () =>
        parsed.success
          ? `expected tool result ${JSON.stringify(value)} not to match the schema`
          : `expected tool result ${JSON.stringify(value)} to match the schema: ${parsed.error?.message}`,
    }
  },
}

/** `R`: what a synchronous matcher returns (`void`). `toHaveTool` on a HostManager must be awaited. */
export interface McpMatchers<R = void> {
  /** The result's text content includes `text` (or matches the RegExp). */
  toContainToolText(text: string | RegExp): R
  /** The result has `isError: true` (and its text includes `text`, when given). */
  toBeToolError(text?: string | RegExp): R
  /** A HostManager or a tool list offers a tool named `name`. Await it (a HostManager is asked). */
  toHaveTool(name: string): Promise<R>
  /** The result's structured content (or its JSON text) satisfies the zod schema. */
  toMatchToolSchema(schema: SafeParser): R
  /**
   * The host's surface (tools, prompts, resources, templates) matches its stored snapshot, one per
   * landed revision; a mismatch lists each change, breaking or compatible. Await it.
   */
  toMatchSurfaceSnapshot(options?: SurfaceSnapshotOptions): Promise<R>
}
