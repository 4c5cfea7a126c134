// `npm run demo`: runs the example suite against the bundled servers, prints what the harness
// caught, and exits 0 only if exactly the expected tests passed and exactly the expected failed.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
// vitest's `exports` hides its bin; resolve the package.json and take the bin next to it.
const vitestPkg = createRequire(import.meta.url).resolve('vitest/package.json')
const vitest = join(vitestPkg, '..', 'vitest.mjs')
const out = mkdtempSync(join(tmpdir(), 'vitest-mcp-host-demo-'))
const report = join(out, 'report.json')

const expected = {
  'london is rainy': 'passed',
  'imperial units': 'passed',
  'an unknown time zone is a tool error, not an exception': 'passed',
  'tools, prompts and resources are listed with their server': 'passed',
  'london is rainy [2025-11-25]': 'passed',
  'london is rainy [2026-07-28]': 'passed',
  'weather over stdio (a child process)': 'passed',
  'weather over Streamable HTTP (a spawned server on 127.0.0.1)': 'passed',
  'weather over in-memory (this thread)': 'passed',
  'weather over worker thread (tinypool)': 'passed',
  'first call': 'passed',
  'second call reuses the same process': 'passed',
  'leaked request: a call that is never awaited': 'LeakError',
  'cross-context close: closing the SDK client yourself': 'CrossContextDisposalError',
  'grandchild left behind by a server': 'LeakError',
}

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[22m` : s)
console.log(bold('Running the example suite (examples/*.example.ts) against the bundled servers…\n'))
const run = spawnSync(
  process.execPath,
  [vitest, 'run', '--config', 'examples/vitest.config.ts', '--reporter=json', `--outputFile=${report}`],
  { cwd: root, encoding: 'utf8', timeout: 120_000 },
)
if (run.error) throw run.error

const results = JSON.parse(readFileSync(report, 'utf8')).testResults.flatMap((file) => file.assertionResults)
rmSync(out, { recursive: true, force: true })

let ok = true
for (const result of results) {
  const want = expected[result.title]
  const errorName = /^(\w+Error)\b/.exec(result.failureMessages?.[0] ?? '')?.[1]
  const got = result.status === 'passed' ? 'passed' : (errorName ?? result.status)
  const fine = got === want
  ok &&= fine
  console.log(
    `${fine ? '✓' : '✗'} ${result.title}  →  ${got}${fine ? '' : `  (expected ${want ?? 'no such test'})`}`,
  )
  if (result.status === 'failed') {
    const message = (result.failureMessages[0] ?? '').split('\n    at ')[0]
    console.log(`${message.replace(/^/gm, '      ')}\n`)
  }
}
const missing = Object.keys(expected).filter((title) => !results.some((r) => r.title === title))
for (const title of missing) console.log(`✗ ${title}  →  did not run`)
ok &&= missing.length === 0

// Nothing may outlive the run: no bundled server, no grandchild.
const left = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
  .split('\n')
  // This checkout's servers only: another checkout's suite may run on the same machine.
  .filter((line) => line.includes(join(root, 'dist', 'example-servers')))
if (left.length > 0) {
  ok = false
  console.log(`✗ processes left running:\n${left.join('\n')}`)
} else {
  console.log('✓ no server process or grandchild left running')
}

console.log(
  ok
    ? bold('\nThe harness caught exactly the three planted bugs, and cleaned up after each.')
    : bold('\nThe demo did not go as expected (see ✗ above).'),
)
process.exit(ok ? 0 : 1)
