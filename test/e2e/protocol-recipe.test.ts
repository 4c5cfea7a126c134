// End-to-end: the README's "one test body on both revisions" recipe in a real nested Vitest. Each
// case is named by its revision, and a server broken on one revision fails that case only.
import { describe, test } from 'vitest'
import { onlyError, outcomes, run, TEST_TIMEOUT_MS } from './harness.js'

describe('test.for(PROTOCOL_REVISIONS) in a real nested Vitest', { timeout: TEST_TIMEOUT_MS }, () => {
  test('the dual weather server passes both cases; a legacy-only one fails only 2026-07-28', async ({
    expect,
    signal,
  }) => {
    const result = await run('protocol-recipe', { signal })
    expect(outcomes(result)).toEqual({
      'london is rainy [2025-11-25]': 'passed',
      'london is rainy [2026-07-28]': 'passed',
      'a legacy-only server is rainy [2025-11-25]': 'passed',
      'a legacy-only server is rainy [2026-07-28]': 'failed: ServerStartError',
    })
    const { message } = onlyError(result.test('a legacy-only server is rainy [2026-07-28]'))
    expect(message.split('\n')[0]).toMatch(
      /^Server "old" failed during initialize: .*pinned protocol version 2026-07-28.* \(it speaks 2025-11-25: set its `protocol` to 'auto' or to a revision it speaks\)\.$/,
    )
    expect(result.moduleErrors).toEqual([])
    expect(result.exitCode).toBe(1)
  })
})
