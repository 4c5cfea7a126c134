// End-to-end with the plugin on every transport: a nested Vitest run in which, per transport
// (stdio, spawned Streamable HTTP, memory, worker thread), one test passes and one leaves a request
// un-awaited and fails with a LeakError naming its own line; nothing is left running (run()).
import { describe, test } from 'vitest'
import { lineOf, onlyError, outcomes, run, TEST_TIMEOUT_MS } from './harness.js'

const transports = ['stdio', 'http', 'memory', 'worker'] as const

describe("the plugin's checks on each transport", { timeout: TEST_TIMEOUT_MS }, () => {
  test('a call passes and an un-awaited call is a LeakError at its own line, on every transport', async ({
    expect,
    signal,
  }) => {
    const result = await run('plugin-transports', { signal })
    expect(outcomes(result)).toEqual(
      Object.fromEntries(
        transports.flatMap((t) => [
          [`${t}: london`, 'passed'],
          [`${t}: leaves a call un-awaited`, 'failed: LeakError'],
        ]),
      ),
    )
    for (const transport of transports) {
      const name = `${transport}: leaves a call un-awaited`
      const { message, stack } = onlyError(result.test(name))
      const line = lineOf('plugin-transports', 'transports.case.ts', `${transport}-leak`)
      expect(message).toContain(`outlived test "${name}"`)
      expect(message).toContain(`created at transports.case.ts:${line}:`)
      expect(stack).toMatch(new RegExp(`transports\\.case\\.ts:${line}:\\d+\\s*$`))
    }
    expect(result.moduleErrors).toEqual([])
    expect(result.exitCode).toBe(1)
  })
})
