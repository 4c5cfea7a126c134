// ProtocolViolationError: its message names rule, side, method, path, excerpt and link; it is
// recognised across bundled copies by its brand.
import { expect, test } from 'vitest'
import { ProtocolViolationError as FromIndex } from '../../src/index.js'
import { ProtocolViolationError, type Violation } from '../../src/wire/check/index.js'

const violation: Violation = {
  rule: 'tool.output-schema',
  severity: 'error',
  direction: 'server',
  server: 'weather',
  method: 'tools/call weather_lookup',
  path: 'result.structuredContent.temperature',
  message: "structuredContent does not match the tool's outputSchema: must be number",
  spec: 'https://modelcontextprotocol.io/specification/2025-11-25/server/tools#output-schema',
  excerpt: '{"temperature":"15"}',
}

test('one violation: the message names everything needed to find and fix it', () => {
  const error = new ProtocolViolationError([violation])
  expect(error.name).toBe('ProtocolViolationError')
  expect(error.violations).toEqual([violation])
  expect(error.message).toBe(
    'Protocol violation on the wire (tools/call weather_lookup): error: server "weather" broke tool.output-schema in ' +
      "tools/call weather_lookup at result.structuredContent.temperature: structuredContent does not match the tool's " +
      'outputSchema: must be number (got {"temperature":"15"}). ' +
      'See https://modelcontextprotocol.io/specification/2025-11-25/server/tools#output-schema\n' +
      'Fix the side named (a server bug is the server\'s; "the host" means a handler in client config returned it), ' +
      "or skip the rule for a server you cannot fix with its config's wire: { ignore: ['<rule>'] }.",
  )
})

test('many violations: the first ten listed, the rest counted; the host side is named as such', () => {
  const many = Array.from({ length: 12 }, (_, i) => ({
    ...violation,
    direction: 'host' as const,
    path: `p${i}`,
  }))
  const error = new ProtocolViolationError(many)
  const lines = error.message.split('\n')
  expect(lines[0]).toBe('12 protocol violations on the wire:')
  expect(lines[1]).toContain('the host (to server "weather") broke tool.output-schema')
  expect(lines[11]).toBe("  and 2 more (all 12 are in the error's violations)")
})

test('instanceof holds across copies (brand), and the package entry exports the class', () => {
  expect(FromIndex).toBe(ProtocolViolationError)
  // Another bundled copy of the class: a different constructor with the same Symbol.for brand.
  class Copy extends Error {
    get [Symbol.for('vitest-mcp-host.ProtocolViolationError')]() {
      return true
    }
  }
  expect(new Copy('x') instanceof ProtocolViolationError).toBe(true)
  expect(new Error('x') instanceof ProtocolViolationError).toBe(false)
})
