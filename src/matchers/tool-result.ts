// What the matchers on one tool result receive: a CallToolResult, checked once here for all of them.
import type { CallToolResult } from '@modelcontextprotocol/client'

/** `value` as a CallToolResult (an object with a `content` array), or a TypeError naming `matcher`. */
export function requireResult(value: unknown, matcher: string): CallToolResult {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as CallToolResult).content)) {
    throw new TypeError(`${matcher}() expects a CallToolResult (the value of hostManager.callTool())`)
  }
  return value as CallToolResult
}
