// README's lists of exports match the code (issue 26 §1): the "API in brief" table names every value
// each entry point exports, and nothing else; "the errors" there are the rows of the "Errors" table.
// (Types: the API reports in api/, checked by `npm run api:check`.)
import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import * as root from '../../src/index.js'
import * as matchers from '../../src/matchers/index.js'
import * as plugin from '../../src/plugin/index.js'
import * as servers from '../../src/servers/index.js'

const README = readFileSync('README.md', 'utf8')

/** The lines of the section under `## title`, up to the next `## `. */
function section(title: string): string[] {
  const lines = README.split('\n')
  const start = lines.indexOf(`## ${title}`)
  if (start < 0) throw new Error(`README.md has no section "## ${title}"`)
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '))
  return lines.slice(start + 1, end < 0 ? undefined : end)
}

/** The cells of a table row: `| a | b |` → ['a', 'b']. */
const cells = (row: string) =>
  row
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((cell) => cell.trim())

/** The names in backticks of a cell, calls reduced to their names: `mcpHost(options)` → mcpHost. */
const names = (cell: string) =>
  [...cell.matchAll(/`([A-Za-z_$][\w$]*)(?:\([^`]*\))?`/g)].map((m) => m[1] as string)

/** Entry point → the names its row in "API in brief" lists. */
function listed(): Map<string, string[]> {
  const rows = section('API in brief').filter((line) => /^\| `vitest-mcp-host[^`]*`/.test(line))
  return new Map(
    rows.map((row) => {
      const [entry = '', exports = ''] = cells(row)
      return [entry.replaceAll('`', ''), names(exports)]
    }),
  )
}

const sorted = (values: Iterable<string>) => [...values].sort()

test('"API in brief" has a row for each entry point of package.json', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
    name: string
    exports: Record<string, unknown>
  }
  const entries = Object.keys(pkg.exports)
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`))
  expect(sorted(listed().keys())).toEqual(sorted(entries))
})

test.for([
  ['vitest-mcp-host/plugin', plugin],
  ['vitest-mcp-host/servers', servers],
  ['vitest-mcp-host/matchers', matchers],
] as const)('the row of %s lists exactly its exports', ([entry, module]) => {
  expect(sorted(listed().get(entry) ?? [])).toEqual(sorted(Object.keys(module)))
})

test('the main entry: its row lists every export but the errors, and "Errors" lists every error class', () => {
  const errors = Object.keys(root).filter((name) => name.endsWith('Error'))
  const others = Object.keys(root).filter((name) => !name.endsWith('Error'))
  expect(sorted(listed().get('vitest-mcp-host') ?? [])).toEqual(sorted(others))
  const errorRows = section('Errors')
    .filter((line) => /^\| `\w+Error`/.test(line))
    .map((row) => names(cells(row)[0] ?? ''))
    .flat()
  expect(sorted(errorRows)).toEqual(sorted(errors))
})

test('a name missing from the README or listed without an export is told apart (the comparison can fail)', () => {
  const row = '| `vitest-mcp-host/servers` | `weatherServer()`, `misbehavingServer(kind)`, `gone` |'
  expect(names(cells(row)[1] ?? '')).toEqual(['weatherServer', 'misbehavingServer', 'gone'])
  expect(sorted(names(cells(row)[1] ?? ''))).not.toEqual(sorted(Object.keys(servers)))
})
