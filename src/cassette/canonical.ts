/**
 * The shape two requests are compared in (API.md "Cassettes"): keys sorted, `_meta` dropped at every
 * depth (progress tokens and the revision's per-request envelope live there), and the client's
 * name/version left out of `initialize` (a new release of the host must not miss every cassette).
 * Request ids are not params, so they never take part.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** A deep copy with sorted keys and no `_meta`. */
export function canonical(value: unknown): Json {
  if (Array.isArray(value)) return value.map(canonical)
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Json } = {}
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key]
      if (key === '_meta' || v === undefined) continue
      out[key] = canonical(v)
    }
    return out
  }
  return (value ?? null) as Json
}

/** The params of `method` as matched: canonical, and `initialize` without `clientInfo`. */
export function canonicalParams(method: string, params: unknown): Json {
  const c = canonical(params ?? {})
  if (method === 'initialize' && c !== null && typeof c === 'object' && !Array.isArray(c)) {
    const { clientInfo: _ignored, ...rest } = c
    return rest
  }
  return c
}

/** Stable JSON of a canonical value (keys already sorted). */
export const keyOf = (method: string, params: unknown): string =>
  `${method} ${JSON.stringify(canonicalParams(method, params))}`

/** Where `a` and `b` differ, as JSON paths with both values (at most `limit`): `arguments.city: "Paris" ≠ "London"`. */
export function differences(a: Json | undefined, b: Json | undefined, limit = 5, at = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return []
  const bothObjects =
    a !== null &&
    b !== null &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    Array.isArray(a) === Array.isArray(b)
  if (!bothObjects) return [`${at || '(params)'}: ${show(a)} (sent) ≠ ${show(b)} (recorded)`]
  const out: string[] = []
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  for (const key of keys) {
    const path = Array.isArray(a) ? `${at}[${key}]` : at ? `${at}.${key}` : key
    out.push(...differences((a as Record<string, Json>)[key], (b as Record<string, Json>)[key], limit, path))
    if (out.length >= limit) return out.slice(0, limit)
  }
  return out
}

function show(value: Json | undefined): string {
  if (value === undefined) return '(absent)'
  const text = JSON.stringify(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
