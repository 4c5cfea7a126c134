// What every rule family gets: the landed revision and one way to flag a broken rule.
import type { Sender } from './methods.js'
import type { ProtocolRevision, RuleId } from './rules.js'

export interface Flag {
  method?: string | undefined
  /** JSON path in the message (`result.tools[0].name`). */
  path?: string
  message: string
  /** The offending value, shown as a short excerpt; absent: no excerpt. */
  value?: unknown
}

export interface CheckContext {
  /** undefined until the connection landed (the probe, initialize); rules then follow 2025-11-25's. */
  readonly revision: ProtocolRevision | undefined
  flag(rule: RuleId, sender: Sender, flag: Flag): void
}

export type Message = Record<string, unknown>

export function isObject(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A JSON-RPC id as map key: numbers and strings stay apart (Map keys by SameValueZero). */
export type IdKey = string | number
