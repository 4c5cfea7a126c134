// A call site captured for later: the frames are taken where it is captured, formatted only when
// read (the plugin's spawn hook takes one per child, shown only if the child outlives its test).
import { expect, test } from 'vitest'
import { captureCallSite, captureCallSiteLazily } from '../../src/scope/index.js'

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

test('formats no stack until a field is read, then once, with the same answer as an eager capture', () => {
  formatting((count) => {
    const eager = captureCallSite()
    const lazy = captureCallSiteLazily()
    expect(count()).toBe(1)
    // The eager one is formatted at once; the lazy one waits until read.
    expect(eager.location).toMatch(/^test\/scope\/call-site-lazily\.test\.ts:\d+:\d+$/)
    expect(lazy.location).toMatch(/^test\/scope\/call-site-lazily\.test\.ts:\d+:\d+$/)
    expect(lazy.frame).toContain('call-site-lazily.test.ts')
    expect(lazy.stack).toContain('call-site-lazily.test.ts')
    expect(count()).toBe(2)
  })
})
