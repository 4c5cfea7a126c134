/**
 * A test's protocol violations, as the error that fails it (API.md "Wire check"). No imports but
 * types and the class brand: the host's error list re-exports it without loading the checker.
 */

import { brandClass } from '../../scope/class-brand.js'
import type { Violation } from './violation.js'

/** Violations a message lists in full; the rest are counted (all are in `violations`). */
export const LISTED_VIOLATIONS = 10

/** One line: `server "weather" sent tools/call result: structuredContent.temp: … [tool.output-schema]`. */
export function describeViolation(v: Violation): string {
  const who = v.direction === 'server' ? `server "${v.server}"` : `the host (to server "${v.server}")`
  const what = v.method ? ` ${v.method}` : ''
  const where = v.path ? ` at ${v.path}` : ''
  const excerpt = v.excerpt === undefined ? '' : ` (got ${v.excerpt})`
  return `${v.severity}: ${who} broke ${v.rule}${what ? ` in${what}` : ''}${where}: ${v.message}${excerpt}. See ${v.spec}`
}

/**
 * Messages on the wire broke the MCP spec during this test. `violations` lists each: rule id,
 * severity, who sent it (`server` or `host`), server, method, JSON path, message and spec link.
 * @example
 * expect(error).toBeInstanceOf(ProtocolViolationError)
 * expect(error.violations[0]).toMatchObject({ rule: 'tool.output-schema', server: 'weather' })
 */
export class ProtocolViolationError extends Error {
  static {
    brandClass(this, 'ProtocolViolationError')
  }

  override readonly name = 'ProtocolViolationError'
  readonly violations: readonly Violation[]

  constructor(violations: readonly Violation[]) {
    const lines = violations.slice(0, LISTED_VIOLATIONS).map(describeViolation)
    const more = violations.length - lines.length
    if (more > 0) lines.push(`and ${more} more (all ${violations.length} are in the error's violations)`)
    const first = violations[0]
    const head =
      violations.length === 1 && first
        ? `Protocol violation on the wire${first.method ? ` (${first.method})` : ''}: `
        : `${violations.length} protocol violations on the wire:\n  `
    const fix =
      'Fix the side named (a server bug is the server\'s; "the host" means a handler in client config returned it), ' +
      "or skip the rule for a server you cannot fix with its config's wire: { ignore: ['<rule>'] }."
    super(`${head}${lines.join('\n  ')}\n${fix}`)
    this.violations = violations
  }
}
