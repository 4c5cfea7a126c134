// The snapshot serializer for MCP results: stable key order, volatile protocol fields replaced, the
// user's own secrets and dynamic values redacted, so `toMatchSnapshot()` of a result is stable across runs.
import type { SnapshotSerializer } from 'vitest'
import type { RedactRule } from '../cassette/redact.js'
import { processWide } from '../scope/process-wide.js'

// One type for the snapshot's and the cassettes' `redact`: they take the same rules.
export type { RedactRule }

/** A RegExp as it crosses from the plugin (main process) to the workers. */
export interface SerializedRedactRule {
  source: string
  flags?: string
}

export const REDACTED = '[redacted]'

/** Protocol fields that differ from run to run, by key anywhere in a result or message. */
const VOLATILE_KEYS: Record<string, string> = {
  progressToken: '[progressToken]',
  taskId: '[taskId]',
  requestId: '[requestId]',
  sessionId: '[sessionId]',
}
/** `_meta` entries that name the peer or the task (their versions change with every upgrade). */
const VOLATILE_META: Record<string, string> = {
  serverInfo: '[serverInfo]',
  clientInfo: '[clientInfo]',
  'io.modelcontextprotocol/related-task': '[related-task]',
}

const redaction = processWide('snapshot redaction', () => ({ rules: [] as RedactRule[] }))

/** Set by the plugin's setup file from `mcpHost({ snapshot: { redact } })`; replaces earlier rules. */
export function configureRedaction(rules: ReadonlyArray<RedactRule | SerializedRedactRule>): void {
  redaction.rules = rules.map((rule) =>
    typeof rule === 'string' || rule instanceof RegExp ? rule : new RegExp(rule.source, rule.flags),
  )
}

/** What the main process sends a worker for each rule (a RegExp does not survive the trip). */
export function serializeRedaction(rules: readonly RedactRule[]): Array<string | SerializedRedactRule> {
  return rules.map((rule) => (typeof rule === 'string' ? rule : { source: rule.source, flags: rule.flags }))
}

const RESULT_ARRAYS = [
  'content',
  'messages',
  'contents',
  'tools',
  'prompts',
  'resources',
  'resourceTemplates',
]

/** An MCP result (tool call, prompt, resource read, a list) or a JSON-RPC message. */
export function isMcpResult(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || normalized.has(value)) {
    return false
  }
  const record = value as Record<string, unknown>
  if (record.jsonrpc === '2.0') return true
  if (Object.keys(record).some((key) => RESULT_ARRAYS.includes(key) && Array.isArray(record[key])))
    return true
  return 'structuredContent' in record || 'isError' in record
}

/** The objects this module produced: the serializer must not take them again. */
const normalized = new WeakSet<object>()

function pathMatches(rule: string, path: readonly string[]): boolean {
  if (!rule.includes('.')) return path[path.length - 1] === rule
  const parts = rule.split('.')
  return parts.length === path.length && parts.every((part, i) => part === '*' || part === path[i])
}

function redactString(value: string): string {
  let text = value
  for (const rule of redaction.rules) {
    if (rule instanceof RegExp) {
      const global = rule.flags.includes('g') ? rule : new RegExp(rule.source, `${rule.flags}g`)
      text = text.replace(global, REDACTED)
    }
  }
  return text
}

function keyRedacted(path: readonly string[]): boolean {
  return redaction.rules.some((rule) => typeof rule === 'string' && pathMatches(rule, path))
}

/** A copy of `value` with sorted keys, volatile fields replaced and the user's rules applied. */
export function normalizeResult(value: unknown, path: readonly string[] = [], inMeta = false): unknown {
  if (path.length > 0 && keyRedacted(path)) return REDACTED
  if (typeof value === 'string') return redactString(value)
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) {
    const copy = value.map((item, i) => normalizeResult(item, [...path, String(i)], false))
    normalized.add(copy)
    return copy
  }
  const record = value as Record<string, unknown>
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(record).sort()) {
    const item = record[key]
    const at = [...path, key]
    if (item === undefined) continue
    if (key in VOLATILE_KEYS && item !== null) copy[key] = VOLATILE_KEYS[key]
    else if (inMeta && key in VOLATILE_META) copy[key] = VOLATILE_META[key]
    // The id of a JSON-RPC message is the client's counter: its value depends on what ran before.
    else if (key === 'id' && path.length === 0 && record.jsonrpc === '2.0') copy[key] = '[id]'
    else copy[key] = normalizeResult(item, at, key === '_meta')
  }
  normalized.add(copy)
  return copy
}

/**
 * The serializer `expect.addSnapshotSerializer()` takes (Vitest's pretty-format plugin shape).
 *
 * @example
 * expect.addSnapshotSerializer(mcpSnapshotSerializer)
 */
export const mcpSnapshotSerializer: SnapshotSerializer = {
  test: isMcpResult,
  // Six positional parameters: the shape pretty-format's SnapshotSerializer dictates.
  serialize: (val, config, indentation, depth, refs, printer) =>
    printer(normalizeResult(val), config, indentation, depth, refs),
}
