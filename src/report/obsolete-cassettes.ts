// Obsolete cassettes, like Vitest's obsolete snapshots: files in a test file's `__cassettes__/` that
// no test of this run used. Only a test that ran and passed can make its cassettes obsolete (a
// skipped or failed one may still need them); a cassette whose test is gone always is.
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { cassettePath, readCassette } from '../cassette/format.js'

export interface CassetteTestAttempt {
  /** `describe > test`, as the cassette's `test` records it. */
  readonly fullName: string
  readonly state: 'passed' | 'failed' | 'skipped' | 'pending'
  /** The cassette files its hosts replayed or recorded. */
  readonly used: readonly string[]
}

export interface ObsoleteCassette {
  readonly file: string
  /** Its recorded test and server; undefined when the file is not a readable cassette. */
  readonly test?: string
  readonly server?: string
}

/** The directory the cassettes of `testFile` are in. */
export const cassetteDirOf = (testFile: string): string => path.dirname(cassettePath(testFile, '', ''))

/** The obsolete cassettes of one test file whose tests ran as `tests`. */
export function obsoleteCassettes(
  testFile: string,
  tests: readonly CassetteTestAttempt[],
): ObsoleteCassette[] {
  const dir = cassetteDirOf(testFile)
  if (!existsSync(dir)) return []
  const used = new Set(tests.flatMap((t) => t.used))
  const obsolete: ObsoleteCassette[] = []
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name)
    if (!name.endsWith('.json') || used.has(file)) continue
    let recorded: { test: string; server: string } | undefined
    try {
      recorded = readCassette(file)
    } catch {
      // Not a cassette: nothing will ever use it.
    }
    if (!recorded) {
      obsolete.push({ file })
      continue
    }
    const test = tests.find((t) => t.fullName === recorded.test)
    if (!test || test.state === 'passed')
      obsolete.push({ file, test: recorded.test, server: recorded.server })
  }
  return obsolete
}
