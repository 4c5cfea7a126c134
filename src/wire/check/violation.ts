/**
 * A violation: one broken rule, in one message, by one side. Data, not a message: the error's text
 * is built from these in one place (violation-error.ts).
 */
import type { ViolationSeverity } from './rules.js'

export type ViolationDirection = 'server' | 'host'

export interface Violation {
  /** A stable rule id (rules.ts): `tool.output-schema`. */
  readonly rule: string
  readonly severity: ViolationSeverity
  /** Who sent the message that broke it: the server, or the host (its requests and its answers). */
  readonly direction: ViolationDirection
  readonly server: string
  /** The message's method, or for a response the method of the request it answers. */
  readonly method?: string
  /** JSON path inside the message: `result.structuredContent.temperature`. */
  readonly path?: string
  /** What is wrong, in one sentence. */
  readonly message: string
  /** The spec section (rules.ts `specLink`). */
  readonly spec: string
  /** A short excerpt of the offending value (at most EXCERPT_CHARS). */
  readonly excerpt?: string
}

export const EXCERPT_CHARS = 120

/** `value` as short JSON; a value JSON cannot show (a cycle, a BigInt) as its type. */
export function excerptOf(value: unknown): string {
  let text: string
  try {
    text = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value))
  } catch {
    text = `(${typeof value})`
  }
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS - 1)}…` : text
}

/** `result.tools[0].name` from a base and zod/JSON path segments. */
export function joinPath(base: string, segments: readonly PropertyKey[]): string {
  let path = base
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$]*$/.test(segment))
      path += path ? `.${segment}` : segment
    else path += `[${JSON.stringify(String(segment))}]`
  }
  return path
}

/** The value at `segments` under `root` (undefined where the path leaves the object). */
export function valueAt(root: unknown, segments: readonly PropertyKey[]): unknown {
  let value = root
  for (const segment of segments) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<PropertyKey, unknown>)[segment]
  }
  return value
}
