// A call site captured for later: the frames are taken where it is captured, formatted only when
// read (every host, scope, resource, request and spawned child takes one; few are ever shown).
import { expect, test } from 'vitest'
import { captureCallSite } from '../../src/scope/index.js'

/** Counts how often V8 formats a stack while `fn` runs (Vitest's own formatter still does the work). */
function formatting<T>(fn: (count: () => number) => T): T {
  const original = Error.prepareStackTrace
  let formatted = 0
  Error.prepareStackTrace = (error, frames) => {
    formatted++
    return original ? original(error, frames) : `${error}\n${frames.map((f) => `    at ${f}`).join('\n')}`
  }
  try {
    return fn(() => formatted)
  } finally {
    Error.prepareStackTrace = original
  }
}

test('formats no stack until a field is read, then once, at the line where it was captured', () => {
  formatting((count) => {
    const site = captureCallSite()
    const other = captureCallSite()
    expect(count()).toBe(0)
    expect(site.location).toMatch(/^test\/scope\/call-site-lazy\.test\.ts:\d+:\d+$/)
    expect(count()).toBe(1)
    expect(site.frame).toContain('call-site-lazy.test.ts')
    expect(site.stack).toContain('call-site-lazy.test.ts')
    expect(count()).toBe(1)
    // Each site keeps its own frames: the second capture is one line below the first.
    const line = (location: string) => Number(location.split(':')[1])
    expect(line(other.location)).toBe(line(site.location) + 1)
    expect(count()).toBe(2)
  })
})
