// captureCallSite through a real package under node_modules: the location is the user's line that
// called the library (as when the SDK spawns through cross-spawn), not the library's own line.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type CallSite, captureCallSite } from '../../src/scope/index.js'
import { siteMatcher } from '../support/assertions.js'

const site = siteMatcher(import.meta.url)
/** Line 5 of the library: the capture in a setImmediate callback. */
const LATER = '  return new Promise((resolve) => setImmediate(() => resolve(capture())))'

interface TinyLibrary {
  /** Calls `capture` at once, from the library's own code. */
  now(capture: () => CallSite): CallSite
  /** Calls `capture` from a setImmediate callback: no frame of the caller is on that stack. */
  later(capture: () => CallSite): Promise<CallSite>
}

describe('captureCallSite with a library between the user and the capture', () => {
  let dir: string
  let library: TinyLibrary
  let libraryFile: string

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'vitest-mcp-host-call-site-'))
    const root = path.join(dir, 'node_modules', 'tiny-library')
    mkdirSync(root, { recursive: true })
    writeFileSync(
      path.join(root, 'package.json'),
      JSON.stringify({ name: 'tiny-library', type: 'module', main: 'index.js' }),
    )
    libraryFile = path.join(root, 'index.js')
    writeFileSync(
      libraryFile,
      [
        'export function now(capture) {',
        '  return capture()',
        '}',
        'export function later(capture) {',
        LATER,
        '}',
      ].join('\n'),
    )
    library = (await import(pathToFileURL(libraryFile).href)) as TinyLibrary
  })

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  test("is the caller's line, not the library's", () => {
    const captured = library.now(captureCallSite) // site:through-library
    expect(captured.location).toMatch(site('through-library'))
    expect(captured.frame).toContain('call-site.test.ts')
    // The library's frame is still on the captured stack, for trace-style reports.
    expect(captured.stack).toContain(path.join('node_modules', 'tiny-library', 'index.js'))
  })

  test("is the library's line when no frame of the user's is on the stack", async () => {
    const captured = await library.later(captureCallSite)
    // A temp dir is outside the working directory: the location is the absolute path.
    expect(captured.location).toBe(`${libraryFile}:5:${LATER.indexOf('capture()') + 1}`)
  })
})
