// `vitest-mcp-host/matchers`: importing it registers the MCP matchers on Vitest's `expect`.
import { expect } from 'vitest'
import { type McpMatchers, mcpMatchers } from './matchers.js'

expect.extend(mcpMatchers)

declare module 'vitest' {
  interface Assertion<T = any> extends McpMatchers<T> {}
  interface AsymmetricMatchersContaining extends McpMatchers {}
}

export { type McpMatchers, mcpMatchers, toolText } from './matchers.js'
