// Shared test helpers: call-site matchers for lines tagged in a test file, awaiting a rejection, and
// the ConfigError a call throws.
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import { ConfigError } from '../../src/host/errors.js'

/**
 * For the test file at `fileUrl`, a function mapping a marker to a RegExp matching
 * `<that file>:<line>:<column>`, where `<line>` is the one line ending in `// site:<marker>`.
 */
export function siteMatcher(fileUrl: string): (marker: string) => RegExp {
  const file = relative(process.cwd(), fileURLToPath(fileUrl))
  const sourceLines = readFileSync(fileURLToPath(fileUrl), 'utf8').split('\n')
  return (marker) => {
    const tag = `// site:${marker}`
    const lines = sourceLines.flatMap((line, i) => (line.trimEnd().endsWith(tag) ? [i + 1] : []))
    if (lines.length !== 1) throw new Error(`marker ${tag} found on ${lines.length} lines`)
    const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    return new RegExp(`^${escaped}:${lines[0]}:\\d+$`)
  }
}

/** The error `promise` (or the promise `fn` returns) rejects with; throws if it resolves. */
export async function rejectionOf(promise: Promise<unknown> | (() => Promise<unknown>)): Promise<unknown> {
  try {
    await (typeof promise === 'function' ? promise() : promise)
  } catch (error) {
    return error
  }
  throw new Error('expected the promise to reject, it resolved')
}

/** The ConfigError `fn` throws; fails the test if it throws something else, or nothing. */
export function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error('expected a ConfigError, nothing was thrown')
}

/** A whole number of 0 or more from the environment variable `name` (a fuzz seed, a case count). */
export function numberFromEnv(name: string): number | undefined {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return undefined
  const value = Number(raw)
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`)
  }
  return value
}
