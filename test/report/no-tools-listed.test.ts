// The coverage section of a run where no host of ours listed tools: it says what is counted.
import { expect, test } from 'vitest'
import { summarizeToolCoverage } from '../../src/report/tool-coverage.js'
import { formatToolCoverage } from '../../src/report/tool-coverage-section.js'

test('with nothing listed, the section says what is counted (hosts, and clients under observe: all)', () => {
  const lines = formatToolCoverage(summarizeToolCoverage([], undefined), 'tools.json')
  expect(lines).toEqual([
    ' vitest-mcp-host tool coverage ',
    "  No server listed its tools in this run (counted: the hosts of vitest-mcp-host, and with mcpHost({ observe: 'all' }) the MCP clients the tests create).",
    '  Summary: tools.json',
  ])
})
