// The coverage section of a run where no host of ours listed tools: it says what is counted.
import { expect, test } from 'vitest'
import { summarizeToolCoverage } from '../../src/report/tool-coverage.js'
import { formatToolCoverage } from '../../src/report/tool-coverage-section.js'

test('with nothing listed, the section says that only hosts of this package are counted', () => {
  const lines = formatToolCoverage(summarizeToolCoverage([], undefined), 'tools.json')
  expect(lines).toEqual([
    ' vitest-mcp-host tool coverage ',
    '  No server listed its tools to a host of vitest-mcp-host in this run (only its hosts are counted, not MCP clients the tests create themselves).',
    '  Summary: tools.json',
  ])
})
