// Reads a config once into an inert copy for validation, and freezes what validation returns.
import { messageOf } from '../../launchers/output/kept-text.js'
import type { ConfigIssue } from '../errors.js'

/** host → servers → a server → its env, args, shutdown, exclude: nothing valid is deeper. */
const DEEPEST_OBJECT = 3

/** A plain object of this realm or another: not an array, a class instance, a Map or a function. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === null || Object.getPrototypeOf(proto) === null
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key)

/**
 * `value` as validation may read it without side effects: a plain object becomes a null-prototype
 * object of its own enumerable keys (any name: `__proto__` too), an array a new array, and every
 * getter is called exactly once, so what was validated is what runs. A getter that throws is an
 * issue at its path. Objects deeper than a config has are kept as they are (a cycle ends there).
 */
/** Where `readOnce()` is in a config: the dotted path, how deep, and where unreadable fields are noted. */
export interface ReadAt {
  readonly path: string
  readonly issues: ConfigIssue[]
  readonly depth?: number
}

export function readOnce(value: unknown, { path, issues, depth = 0 }: ReadAt): unknown {
  if (depth > DEEPEST_OBJECT || typeof value !== 'object' || value === null) return value
  try {
    if (Array.isArray(value)) {
      return Array.from({ length: value.length }, (_, i) =>
        readKey(value, String(i), { path, issues, depth }),
      )
    }
    if (!isPlainObject(value)) return value
    const copy: Record<string, unknown> = Object.create(null)
    for (const key of Object.keys(value)) copy[key] = readKey(value, key, { path, issues, depth })
    return copy
  } catch (error) {
    // A Proxy whose traps throw.
    issues.push({ path: path || '(config)', message: `could not be read (${messageOf(error)})` })
    return undefined
  }
}

function readKey(source: object, key: string, { path, issues, depth = 0 }: ReadAt): unknown {
  let item: unknown
  try {
    item = (source as Record<string, unknown>)[key]
  } catch (error) {
    issues.push({
      path: join(path, key),
      message: `could not be read (its getter threw: ${messageOf(error)})`,
    })
    return undefined
  }
  return readOnce(item, { path: join(path, key), issues, depth: depth + 1 })
}

/** Freezes a copy validation made, all the way down; functions (a memory server's factory) are left as they are. */
export function freezeCopy<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const item of Object.values(value)) freezeCopy(item)
  }
  return value
}
