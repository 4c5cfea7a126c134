// End-to-end: the README's "one test body on both revisions" recipe in a real nested Vitest. Each
// case is named by its revision, and a server broken on one revision fails that case only.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe } from 'vitest'
import { onlyError, outcomes, TEST_TIMEOUT_MS, test } from './harness.js'
import { fixturesDir, repoRoot } from './run-vitest.js'

/** The `test.for(PROTOCOL_REVISIONS)('london is rainy [%s]', ...)` block of a file, as written. */
function recipeIn(file: string): string {
  const text = readFileSync(file, 'utf8')
  const match = /^test\.for\(PROTOCOL_REVISIONS\)\('london is rainy \[%s\]'[\s\S]*?^\}\)$/m.exec(text)
  if (!match) throw new Error(`no "london is rainy [%s]" recipe in ${file}`)
  return match[0]
}

describe('test.for(PROTOCOL_REVISIONS) in a real nested Vitest', { timeout: TEST_TIMEOUT_MS }, () => {
  test('the dual weather server passes both cases; servers broken on 2026-07-28 fail that case only', async ({
    expect,
    runFixture,
  }) => {
    const result = await runFixture('protocol-recipe')
    expect(outcomes(result)).toEqual({
      'london is rainy [2025-11-25]': 'passed',
      'london is rainy [2026-07-28]': 'passed',
      'a legacy-only server is rainy [2025-11-25]': 'passed',
      'a legacy-only server is rainy [2026-07-28]': 'failed: ServerStartError',
      'a server broken on 2026-07-28 is rainy [2025-11-25]': 'passed',
      // A failed custom matcher (toContainToolText) is a plain Error in Vitest.
      'a server broken on 2026-07-28 is rainy [2026-07-28]': 'failed: Error',
    })
    const { message } = onlyError(result.test('a legacy-only server is rainy [2026-07-28]'))
    expect(message.split('\n')[0]).toMatch(
      /^Server "old" failed during initialize: .*pinned protocol version 2026-07-28.* \(it speaks 2025-11-25: set its `protocol` to 'auto' or to a revision it speaks\)\.$/,
    )
    const broken = onlyError(result.test('a server broken on 2026-07-28 is rainy [2026-07-28]'))
    expect(broken.message).toContain('Weather for London: Sunny')
    expect(result.moduleErrors).toEqual([])
    expect(result.exitCode).toBe(1)
  })
})

test('the README recipe, the e2e case and the demo are the same code (the e2e case only tags its server)', ({
  expect,
}) => {
  const readme = recipeIn(path.join(repoRoot, 'README.md'))
  const nested = recipeIn(path.join(fixturesDir, 'protocol-recipe', 'revisions.case.ts'))
  expect(nested.replace('weatherServer(marked)', 'weatherServer()')).toBe(readme)
  expect(recipeIn(path.join(repoRoot, 'examples', 'weather.example.ts'))).toBe(readme)
})
