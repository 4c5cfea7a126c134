// The end of a run's cassettes: obsolete ones listed (information, as Vitest lists obsolete
// snapshots), and removed with -u. Not in a run with cassettes 'off': no test used any.
import { rmSync } from 'node:fs'
import { relative } from 'node:path'
import type { TestModule, Vitest } from 'vitest/node'
import type {} from '../fixtures/cassettes.js'
import { type ObsoleteCassette, obsoleteCassettes } from '../report/obsolete-cassettes.js'

function obsoleteIn(module: TestModule): ObsoleteCassette[] {
  const tests = [...module.children.allTests()].map((testCase) => ({
    fullName: testCase.fullName,
    state: testCase.result().state,
    used: testCase.meta().mcpHostCassettes ?? [],
  }))
  return obsoleteCassettes(module.moduleId, tests)
}

/** Lists (and with `remove`, deletes) the obsolete cassettes of the test files that ran. */
export function reportObsoleteCassettes(
  vitest: Vitest | undefined,
  testModules: ReadonlyArray<TestModule>,
  remove: boolean,
): void {
  const obsolete = testModules.flatMap(obsoleteIn)
  if (obsolete.length === 0) return
  const root = vitest?.config.root ?? process.cwd()
  const log = vitest?.logger ?? console
  const lines = [' vitest-mcp-host ']
  lines.push(
    remove
      ? `  Obsolete cassettes removed (-u: no test of this run used them): ${obsolete.length}`
      : `  Obsolete cassettes (information; no test of this run used them: delete them, or run with -u to remove them): ${obsolete.length}`,
  )
  for (const cassette of obsolete) {
    if (remove) rmSync(cassette.file, { force: true })
    const shown = relative(root, cassette.file)
    const what =
      cassette.test === undefined
        ? ' (not a readable cassette)'
        : ` (test "${cassette.test}", server "${cassette.server}")`
    lines.push(`    · ${shown.startsWith('..') ? cassette.file : shown}${what}`)
  }
  log.log(`\n${lines.join('\n')}\n`)
}
