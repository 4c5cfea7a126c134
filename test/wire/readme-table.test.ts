// The README's rule table is the rule table (src/wire/check/rules.ts): ids, severities and links
// users read there are the ones the checker reports.
import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { ruleTableMarkdown } from '../../src/wire/check/index.js'

test("README.md's Wire check table matches the rules", () => {
  const readme = readFileSync('README.md', 'utf8')
  const table = /<!-- wire-rules:start[^\n]*-->\n([\s\S]*?)\n<!-- wire-rules:end -->/.exec(readme)?.[1]
  expect(table).toBe(ruleTableMarkdown())
})
