// What importing each entry point costs, in fresh Node processes: `import()` of the built entry
// after `vitest` (which every test file loads anyway), median of N processes each. The plugin's
// setup file runs only inside Vitest: bench/plugin-per-file.mjs measures it there.
// `node bench/import-cost.mjs [--runs=N]` after `npm run build`.
import { execFileSync } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { printTable, summary } from './lib/stats.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const runs = Number(/^--runs=(\d+)$/.exec(process.argv[2] ?? '')?.[1] ?? 15)
const entry = (sub) => pathToFileURL(path.join(root, 'dist/src', sub)).href

const targets = {
  'vitest-mcp-host': entry('index.js'),
  'vitest-mcp-host/matchers': entry('matchers/index.js'),
  'vitest-mcp-host/servers': entry('servers/index.js'),
  'vitest-mcp-host/plugin (config process)': entry('plugin/index.js'),
  '@modelcontextprotocol/sdk client (reference)': '@modelcontextprotocol/sdk/client/index.js',
  'zod (reference)': 'zod',
}

/** ms to import `specifier` in a fresh process that has already imported vitest. */
function importMs(specifier) {
  const script = `await import('vitest')
const started = performance.now()
await import(${JSON.stringify(specifier)})
console.log(performance.now() - started)`
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
  })
  return Number(out.trim().split('\n').pop())
}

const rows = Object.entries(targets).map(([label, specifier]) => {
  const samples = Array.from({ length: runs }, () => importMs(specifier))
  return { label, ...summary(samples) }
})
console.log(
  `import cost after vitest, ${runs} fresh processes each, node ${process.version}, ${os.availableParallelism()} CPUs`,
)
printTable('entry points', rows)
