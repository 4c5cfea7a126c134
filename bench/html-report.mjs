// What `mcpHost({ html })` costs a run: a suite of 500 tests, each with its own host (a memory
// server, two calls; 5 tests fail, so 5 timeline annotations), run in this process by Vitest's
// API with `mcpHost()` and with `mcpHost({ html: true })`, interleaved round by round. The bar (issue
// 25: writing the report adds <= 2 % to a 500-test run) is judged on the reporter's own time, measured
// around its calls (onTestCaseResult, onTestRunEnd) in both variants: the html run's minus the plain
// run's, over the plain run's whole time, paired by round. The whole runs' ratio is printed too:
// on 2 shared cores it drifts by more than 2 % between runs of the same thing.
// `node bench/html-report.mjs [--rounds=N]` after `npm run build`. Leaves nothing running.
import { statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createVitest } from 'vitest/node'
import { bootstrapInterval, median, printTable, summary } from './lib/stats.mjs'
import { createSuite, dist } from './lib/vitest-suite.mjs'

const rounds = Number(/^--rounds=(\d+)$/.exec(process.argv[2] ?? '')?.[1] ?? 8)
const TESTS = 500
const FAILING = 5
const BAR = 0.02

const SUITE = `import { test as base, expect } from 'vitest'
import { hostManager } from ${dist('')}
import { weatherMemoryServer } from ${dist('servers')}
const test = base.extend({ hostManager: hostManager({ servers: { weather: weatherMemoryServer() } }) })
for (let i = 0; i < ${TESTS}; i++) {
  test('call ' + i, async ({ hostManager }) => {
    const result = await hostManager.callTool('weather_lookup', { location: 'London' })
    await hostManager.callTool('current_time', { timezone: 'UTC' })
    expect(result.content[0].text).toContain(i % 100 === 7 ? 'Sunny' : 'Rainy')
  })
}
`

const CONFIGS = {
  plugin: '[mcpHost()]',
  html: "[mcpHost({ html: 'mcp-report/index.html' })]",
}

/** A reporter that prints nothing and counts the tests' states. */
function counter() {
  const states = { passed: 0, failed: 0 }
  return { states, reporter: { onTestCaseResult: (t) => void states[t.result().state]++ } }
}

/** One run of `variant` in this process: its wall time, the plugin reporter's time, the tests' states. */
async function runOnce(work, variant) {
  const { states, reporter: quiet } = counter()
  const vitest = await createVitest(
    'test',
    { root: work, config: path.join(work, `${variant}.config.mjs`), watch: false, reporters: [quiet] },
    {},
    {},
  )
  const ours = vitest.config.reporters.find((r) => r?.constructor?.name === 'McpHostReporter')
  if (!ours) throw new Error(`${variant}: the plugin's reporter is not in the run`)
  let reporterMs = 0
  for (const name of ['onTestCaseResult', 'onTestRunEnd']) {
    const original = ours[name].bind(ours)
    ours[name] = async (...args) => {
      const started = performance.now()
      try {
        return await original(...args)
      } finally {
        reporterMs += performance.now() - started
      }
    }
  }
  const started = performance.now()
  try {
    await vitest.start()
  } finally {
    await vitest.close()
  }
  const wall = performance.now() - started
  process.exitCode = 0
  if (states.passed !== TESTS - FAILING || states.failed !== FAILING)
    throw new Error(
      `${variant}: expected ${TESTS - FAILING} passed, ${FAILING} failed; got ${JSON.stringify(states)}`,
    )
  return { wall, reporterMs }
}

async function main() {
  const suite = createSuite('html', { 'suite.test.ts': SUITE }, [])
  const names = Object.keys(CONFIGS)
  for (const [name, plugins] of Object.entries(CONFIGS)) {
    writeFileSync(
      path.join(suite.work, `${name}.config.mjs`),
      `import { mcpHost } from ${dist('plugin')}
export default { plugins: ${plugins}, cacheDir: ${JSON.stringify(path.join(os.tmpdir(), 'vitest-mcp-host-bench-html'))},
  test: { include: ['suite.test.ts'], pool: 'forks', maxWorkers: 1 } }
`,
    )
  }
  const samples = { plugin: [], html: [] }
  let pageBytes = 0
  try {
    await runOnce(suite.work, 'plugin') // warm-up: Vite's transform cache
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? names : [...names].reverse()
      for (const name of order) samples[name][round] = await runOnce(suite.work, name)
    }
    pageBytes = statSync(path.join(suite.work, 'mcp-report/index.html')).size
  } finally {
    suite.remove()
  }
  const share = samples.html.map(
    (s, i) => (s.reporterMs - samples.plugin[i].reporterMs) / samples.plugin[i].wall,
  )
  const walls = samples.html.map((s, i) => s.wall / samples.plugin[i].wall)
  const [shareLow, shareHigh] = bootstrapInterval(share, median, 0.9)
  const [wallLow, wallHigh] = bootstrapInterval(walls, median, 0.9)
  const pct = (v) => `${(v * 100).toFixed(2)} %`
  const rows = [
    { label: 'mcpHost(): whole run', ...summary(samples.plugin.map((s) => s.wall)) },
    { label: 'mcpHost({ html }): whole run', ...summary(samples.html.map((s) => s.wall)) },
    { label: "mcpHost(): the plugin's reporter", ...summary(samples.plugin.map((s) => s.reporterMs)) },
    { label: "mcpHost({ html }): the plugin's reporter", ...summary(samples.html.map((s) => s.reporterMs)) },
    {
      label: "html's reporter time / the run without it (paired median, 90% interval)",
      value: `${pct(median(share))} [${pct(shareLow)}, ${pct(shareHigh)}]`,
      bar: `<= ${pct(BAR)}`,
      pass: median(share) <= BAR,
    },
    {
      label: 'whole run, html / without (paired median, 90% interval)',
      value: `${median(walls).toFixed(3)} [${wallLow.toFixed(3)}, ${wallHigh.toFixed(3)}]`,
    },
    { label: 'the page written', value: `${(pageBytes / 1024).toFixed(0)} KB` },
  ]
  console.log(
    `html report cost: ${TESTS} tests (${FAILING} failing), a memory host each, ${rounds} interleaved rounds, node ${process.version}, ${os.availableParallelism()} CPUs, load ${os.loadavg()[0].toFixed(1)}`,
  )
  printTable('mcpHost({ html })', rows)
}

await main()
