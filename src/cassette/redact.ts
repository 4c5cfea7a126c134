/**
 * `redact` (API.md "Cassettes"): what never reaches a cassette file. A string names a key, anywhere
 * (`'apiKey'`), or a dotted path in a message (`'params.arguments.token'`, `*` for any one key or
 * index); its value becomes `'[redacted]'`. A RegExp is applied to every string value, each match
 * replaced. The replay applies the same rules to a live request before matching it, so a request
 * whose secret was redacted still finds its recording.
 */
import type { Json } from './canonical.js'

/** A key path (`structuredContent.time`, `*` for one segment, a bare name for that key anywhere) or a value pattern. */
export type RedactRule = string | RegExp

export const REDACTED = '[redacted]'

/** A redacting copy function for `rules` (identity-free: the input is never changed). */
export function redactor(rules: readonly RedactRule[]): (value: unknown) => Json {
  const keys = new Set<string>()
  const paths: string[][] = []
  const patterns: RegExp[] = []
  for (const rule of rules) {
    if (rule instanceof RegExp)
      patterns.push(new RegExp(rule.source, rule.flags.includes('g') ? rule.flags : `${rule.flags}g`))
    else if (rule.includes('.')) paths.push(rule.split('.'))
    else keys.add(rule)
  }
  const pathHit = (at: readonly string[]) =>
    paths.some((p) => p.length === at.length && p.every((seg, i) => seg === '*' || seg === at[i]))
  const walk = (value: unknown, at: string[]): Json => {
    if (at.length > 0 && (keys.has(at[at.length - 1] as string) || pathHit(at))) return REDACTED
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...at, String(i)]))
    if (value !== null && typeof value === 'object') {
      const out: { [key: string]: Json } = {}
      for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = walk(v, [...at, k])
      return out
    }
    if (typeof value === 'string') {
      let text = value
      for (const pattern of patterns) text = text.replace(pattern, REDACTED)
      return text
    }
    return (value ?? null) as Json
  }
  return (value) => walk(value, [])
}
