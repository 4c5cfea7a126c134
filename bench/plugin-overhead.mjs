// The plugin's per-test cost: one suite of 200 short tests sharing a file-scoped host, run by a
// real Vitest without the plugin, with a bare aroundEach (Vitest's own cost of the hook the plugin
// is built on), with the plugin and with trace: true, interleaved round by round. Runs of ~2 s on
// a shared machine drift by more than the 5 % bar, so each variant is compared with the no-plugin
// run of the same round: the median of those paired ratios, with a bootstrap 90 % interval.
// `node bench/plugin-overhead.mjs [--rounds=N]` after `npm run build`. Leaves nothing running.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { bootstrapInterval, median, printTable, summary } from './lib/stats.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const rounds = Number(/^--rounds=(\d+)$/.exec(process.argv[2] ?? '')?.[1] ?? 20)
const TESTS = 200
const BAR = 1.05
const vitestCli = path.join(
  path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
)
// Inside the repository, so the suite resolves `vitest` and our dependencies from its node_modules;
// the package itself is installed (copied) into the project's node_modules, as a user has it:
// Vitest then loads it natively instead of transforming it. The project's own package.json keeps
// Node from resolving `vitest-mcp-host` to the repository itself (a package's self-reference).
const work = path.join(root, 'bench', `.work-plugin-${process.pid}`)
const dist = (p) => JSON.stringify(`vitest-mcp-host${p ? `/${p}` : ''}`)

const variants = {
  off: '',
  around: `const plugins = []\nconst setupFiles = ['./around.setup.mjs']`,
  plugin: `import { mcpHost } from ${dist('plugin')}\nconst plugins = [mcpHost()]`,
  trace: `import { mcpHost } from ${dist('plugin')}\nconst plugins = [mcpHost({ trace: true })]`,
}

function writeProject() {
  mkdirSync(work, { recursive: true })
  const installed = path.join(work, 'node_modules', 'vitest-mcp-host')
  mkdirSync(installed, { recursive: true })
  writeFileSync(
    path.join(work, 'package.json'),
    '{ "name": "bench-suite", "private": true, "type": "module" }\n',
  )
  writeFileSync(
    path.join(work, 'around.setup.mjs'),
    "import { aroundEach } from 'vitest'\naroundEach(async (runTest, { task }) => { await runTest() })\n",
  )
  cpSync(path.join(root, 'package.json'), path.join(installed, 'package.json'))
  cpSync(path.join(root, 'dist'), path.join(installed, 'dist'), { recursive: true })
  writeFileSync(
    path.join(work, 'suite.test.ts'),
    `import { test as base, expect } from 'vitest'
import { hostManager } from ${dist('')}
import { weatherServer } from ${dist('servers')}
const test = base.extend({ hostManager: hostManager({ servers: { weather: weatherServer() } }, { scope: 'file' }) })
for (let i = 0; i < ${TESTS}; i++) {
  test('call ' + i, async ({ hostManager }) => {
    const result = await hostManager.callTool('weather_lookup', { location: 'London' })
    expect(result.content[0].text).toContain('Rainy')
  })
}
`,
  )
  for (const [name, head] of Object.entries(variants)) {
    writeFileSync(
      path.join(work, `${name}.config.mjs`),
      `${head || 'const plugins = []'}
export default { plugins, cacheDir: ${JSON.stringify(path.join(os.tmpdir(), 'vitest-mcp-host-bench-cache'))},
  test: { include: ['suite.test.ts'], pool: 'forks', maxWorkers: 1${head.includes('setupFiles') ? ', setupFiles' : ''} } }
`,
    )
  }
}

/** One run: wall time of the whole `vitest run`, and the sum of the tests' own durations. */
function runOnce(name) {
  const report = path.join(work, `${name}.json`)
  const started = performance.now()
  const child = spawnSync(
    process.execPath,
    [vitestCli, 'run', '--config', `${name}.config.mjs`, '--reporter=json', `--outputFile=${report}`],
    { cwd: work, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  )
  const wall = performance.now() - started
  if (child.status !== 0)
    throw new Error(`vitest (${name}) exited ${child.status}:\n${child.stdout}\n${child.stderr}`)
  const json = JSON.parse(readFileSync(report, 'utf8'))
  const tests = json.testResults.flatMap((file) => file.assertionResults)
  if (tests.length !== TESTS || tests.some((t) => t.status !== 'passed'))
    throw new Error(`${name}: not all tests passed`)
  return { wall, tests: tests.reduce((sum, t) => sum + (t.duration ?? 0), 0) }
}

function main() {
  writeProject()
  const names = Object.keys(variants)
  const samples = Object.fromEntries(names.map((name) => [name, []]))
  try {
    runOnce('off') // warm-up: Vite's transform cache
    for (let round = 0; round < rounds; round++) {
      // A different variant goes first each round, so none always runs on a cold or warm machine.
      const order = names.map((_, i) => names[(i + round) % names.length])
      for (const name of order) samples[name][round] = runOnce(name)
    }
  } finally {
    if (!process.env.KEEP) rmSync(work, { recursive: true, force: true })
  }
  const stat = (name, key) => summary(samples[name].map((s) => s[key]))
  /** Each round's `name` over that round's `base` run: drift between rounds cancels out. */
  const paired = (name, key, base = 'off') =>
    samples[name].map((s, round) => s[key] / samples[base][round][key])
  const rows = []
  for (const key of ['wall', 'tests']) {
    const what = key === 'wall' ? 'whole run' : 'sum of test durations'
    for (const name of names) rows.push({ label: `${name}: ${what}`, ...stat(name, key) })
    for (const name of names.filter((n) => n !== 'off')) {
      const ratios = paired(name, key)
      const ratio = median(ratios)
      const [low, high] = bootstrapInterval(ratios, median, 0.9)
      const judged = key === 'wall' && name === 'plugin'
      rows.push({
        label: `${name} / off, ${what} (paired median, 90% interval)`,
        value: `${ratio.toFixed(3)} [${low.toFixed(3)}, ${high.toFixed(3)}]`,
        bar: judged ? `<= ${BAR}` : '',
        pass: judged ? ratio <= BAR : undefined,
      })
    }
    const ours = paired('plugin', key, 'around')
    const [low, high] = bootstrapInterval(ours, median, 0.9)
    rows.push({
      label: `plugin / around, ${what}: ours on top of Vitest's aroundEach`,
      value: `${median(ours).toFixed(3)} [${low.toFixed(3)}, ${high.toFixed(3)}]`,
    })
  }
  console.log(
    `plugin overhead: ${TESTS} tests, one file-scoped weather host, ${rounds} interleaved rounds, node ${process.version}, ${os.availableParallelism()} CPUs`,
  )
  printTable('per-test checks of mcpHost()', rows)
}

main()
