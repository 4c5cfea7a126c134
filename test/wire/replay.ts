// Feeds recorded traffic (test/wire/traffic/*.json) through a wire checker, as the tap would: each
// message once, in order, `era` when the connection landed. Tests mutate a copy to break one rule.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { JSONRPCMessage } from '@modelcontextprotocol/client'
import {
  createWireChecker,
  type ProtocolRevision,
  type Violation,
  type WireChecker,
} from '../../src/wire/check/index.js'

export type Entry = { dir: 'out' | 'in'; message: Record<string, unknown> } | { era: string }

const TRAFFIC = path.join(import.meta.dirname, 'traffic')

/** A fresh deep copy of a recording: tests may edit it. */
export function traffic(name: 'everything-legacy' | 'v2-legacy' | 'v2-modern'): Entry[] {
  return JSON.parse(readFileSync(path.join(TRAFFIC, `${name}.json`), 'utf8')) as Entry[]
}

export function feed(checker: WireChecker, entries: readonly Entry[]): void {
  let at = 0
  for (const entry of entries) {
    if ('era' in entry) checker.era?.(entry.era)
    else {
      const e = { dir: entry.dir, message: entry.message as JSONRPCMessage, at: at++ }
      if (entry.dir === 'out') checker.outbound?.(e)
      else checker.inbound?.(e)
    }
  }
}

/** The violations a checker reports for `entries`. */
export function check(
  entries: readonly Entry[],
  options: { revision?: ProtocolRevision; ignore?: string[] } = {},
): Violation[] {
  const violations: Violation[] = []
  feed(createWireChecker({ server: 'recorded', ...options, report: (v) => violations.push(v) }), entries)
  return violations
}

/** The first recorded message matching `where` (throws if none: a recording changed). */
export function find(
  entries: readonly Entry[],
  where: (e: { dir: string; message: Record<string, unknown> }) => boolean,
) {
  for (const entry of entries) if (!('era' in entry) && where(entry)) return entry.message
  throw new Error('no such message in the recording')
}

/** The response to the request `where` matches, in the same recording. */
export function responseTo(entries: readonly Entry[], where: (message: Record<string, unknown>) => boolean) {
  const request = find(entries, (e) => 'method' in e.message && 'id' in e.message && where(e.message))
  return find(entries, (e) => !('method' in e.message) && e.message.id === request.id)
}

type Message = Record<string, unknown>

/** The index of the first recorded message matching `where`. */
export function indexOf(
  entries: readonly Entry[],
  where: (e: { dir: string; message: Message }) => boolean,
): number {
  const at = entries.findIndex((e) => !('era' in e) && where(e))
  if (at === -1) throw new Error('no such message in the recording')
  return at
}

export const isRequest = (method: string) => (e: { message: Message }) =>
  e.message.method === method && 'id' in e.message

/** The index of the response to the first request `isRequest(method)` matches (and its name, for tools/call). */
export function responseIndex(entries: readonly Entry[], method: string, tool?: string): number {
  const request = entries[
    indexOf(
      entries,
      (e) =>
        isRequest(method)(e) && (tool === undefined || (e.message.params as { name?: string }).name === tool),
    )
  ] as { dir: string; message: Message }
  return indexOf(
    entries,
    (e) => e.dir !== request.dir && !('method' in e.message) && e.message.id === request.message.id,
  )
}

/** The message at `index` (a recorded one, not an era line). */
export function at(entries: readonly Entry[], index: number): Message {
  const entry = entries[index]
  if (!entry || 'era' in entry) throw new Error(`no message at ${index}`)
  return entry.message
}
