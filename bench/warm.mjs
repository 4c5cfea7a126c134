// Warm hosts (issue 12), in real `vitest run`s of a throwaway project (forks, one worker), interleaved
// round by round (a different variant first each round):
//  1. 20 test-scoped tests that each make one call and then wait 100 ms, with and without `warm: 2`,
//     over stdio and over the worker transport: each test's cost beyond its 100 ms wait (Vitest's test
//     duration, fixture setup and teardown included), and the fixture's claim plus the call timed
//     inside the test (from a fixture set up just before hostManager to the call's answer).
//  2. A 300-test suite (10 files x 30 tests, one call each): wall time cold, warm (`warm: 2`) and with
//     a file-scoped host.
// `node bench/warm.mjs [--rounds=N] [--suite-rounds=N]` after `npm run build`. Leaves nothing running.
import { readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { bootstrapInterval, median, printTable, summary } from './lib/stats.mjs'
import { createSuite, dist } from './lib/vitest-suite.mjs'

const option = (name, fallback) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback)
const rounds = option('rounds', 7)
const suiteRounds = option('suite-rounds', 3)
const WAIT_MS = 100
const SHORT_TESTS = 20
const FILES = 10
const PER_FILE = 30
const COST_BAR = 0.35
const CLAIM_BAR_MS = 15

/** 20 tests: `t0` is set up first (listed first), so t0 → answer is hostManager's setup plus the call. */
function waitingSuite(server, options) {
  return `import { appendFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { test as base, expect } from 'vitest'
import { hostManager } from ${dist('')}
import { ${server} } from ${dist('servers')}
const test = base.extend({
  t0: async ({}, use) => use(performance.now()),
  hostManager: hostManager({ servers: { weather: ${server}() } }${options}),
})
for (let i = 0; i < ${SHORT_TESTS}; i++) {
  test('call then wait ' + i, async ({ t0, hostManager }) => {
    const result = await hostManager.callTool('weather_lookup', { location: 'London' })
    const claimAndCall = performance.now() - t0
    expect(result.content[0].text).toContain('Rainy')
    appendFileSync(process.env.WARM_OUT, claimAndCall + '\\n')
    await sleep(${WAIT_MS})
  })
}
`
}

function shortSuite(options) {
  return `import { test as base, expect } from 'vitest'
import { hostManager } from ${dist('')}
import { weatherServer } from ${dist('servers')}
const test = base.extend({ hostManager: hostManager({ servers: { weather: weatherServer() } }${options}) })
for (let i = 0; i < ${PER_FILE}; i++) {
  test('call ' + i, async ({ hostManager }) => {
    const result = await hostManager.callTool('weather_lookup', { location: 'London' })
    expect(result.content[0].text).toContain('Rainy')
  })
}
`
}

const SHORT = {
  'stdio cold': waitingSuite('weatherServer', ''),
  'stdio warm: 2': waitingSuite('weatherServer', ', { warm: 2 }'),
  'worker cold': waitingSuite('weatherWorkerServer', ''),
  'worker warm: 2': waitingSuite('weatherWorkerServer', ', { warm: 2 }'),
}
const LARGE = { cold: '', 'warm: 2': ', { warm: 2 }', 'file-scoped': ", { scope: 'file' }" }

const fileOf = (variant) => `${variant.replace(/[^a-z0-9]+/g, '-')}`

/** Runs `variants` `count` times each, interleaved; `measure(variant, run)` makes one sample. */
function interleaved(variants, count, measure) {
  const samples = Object.fromEntries(variants.map((v) => [v, []]))
  for (let round = 0; round < count; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + round) % variants.length]
      samples[variant][round] = measure(variant)
    }
  }
  return samples
}

function main() {
  const files = {}
  for (const [variant, source] of Object.entries(SHORT)) files[`${fileOf(variant)}.test.ts`] = source
  for (const [variant, options] of Object.entries(LARGE))
    for (let f = 0; f < FILES; f++) files[`s300-${fileOf(variant)}-${f}.test.ts`] = shortSuite(options)
  const suite = createSuite('warm', files, [])
  for (const variant of Object.keys(SHORT)) suite.config(fileOf(variant), `${fileOf(variant)}.test.ts`)
  for (const variant of Object.keys(LARGE))
    suite.config(`s300-${fileOf(variant)}`, `s300-${fileOf(variant)}-*.test.ts`)
  const out = path.join(suite.work, 'claims.txt')
  process.env.WARM_OUT = out
  let short
  let large
  try {
    // One unrecorded run of each: Vite's transform cache, the servers' bundles in the page cache.
    for (const variant of Object.keys(SHORT)) suite.run(fileOf(variant), SHORT_TESTS)
    short = interleaved(Object.keys(SHORT), rounds, (variant) => {
      rmSync(out, { force: true })
      const { modules } = suite.run(fileOf(variant), SHORT_TESTS)
      const durations = modules.flatMap((m) => m.tests.map((t) => t.duration - WAIT_MS))
      const claims = readFileSync(out, 'utf8').trim().split('\n').map(Number)
      return { cost: median(durations), claim: median(claims), costs: durations, claims }
    })
    suite.run(`s300-${fileOf('cold')}`, FILES * PER_FILE)
    large = interleaved(Object.keys(LARGE), suiteRounds, (variant) => {
      return suite.run(`s300-${fileOf(variant)}`, FILES * PER_FILE).wall
    })
  } finally {
    suite.remove()
  }
  console.log(
    `warm hosts: node ${process.version}, ${os.availableParallelism()} CPUs, load ${os.loadavg()[0].toFixed(1)}; ` +
      `${rounds} interleaved rounds of ${SHORT_TESTS} tests, ${suiteRounds} of ${FILES * PER_FILE}`,
  )
  const rows = []
  for (const [variant, s] of Object.entries(short)) {
    rows.push({ label: `${variant}: per-test cost beyond the wait`, ...summary(s.flatMap((r) => r.costs)) })
    rows.push({ label: `${variant}: claim + call, inside the test`, ...summary(s.flatMap((r) => r.claims)) })
  }
  for (const transport of ['stdio', 'worker']) {
    const cold = short[`${transport} cold`]
    const warm = short[`${transport} warm: 2`]
    const ratios = warm.map((r, round) => r.cost / cold[round].cost)
    const [low, high] = bootstrapInterval(ratios, median, 0.9)
    const judged = transport === 'stdio'
    rows.push({
      label: `${transport}: warm / cold per-test cost (paired median, 90% interval)`,
      value: `${median(ratios).toFixed(3)} [${low.toFixed(3)}, ${high.toFixed(3)}]`,
      bar: judged ? `<= ${COST_BAR}` : '',
      pass: judged ? median(ratios) <= COST_BAR : undefined,
    })
    const claim = median(warm.flatMap((r) => r.claims))
    rows.push({
      label: `${transport}: warm claim + call, median of all tests`,
      value: `${claim.toFixed(1)} ms`,
      bar: judged ? `<= ${CLAIM_BAR_MS} ms` : '',
      pass: judged ? claim <= CLAIM_BAR_MS : undefined,
    })
  }
  printTable(`${SHORT_TESTS} test-scoped tests: one call, then ${WAIT_MS} ms`, rows)
  const suiteRows = Object.entries(large).map(([variant, walls]) => ({
    label: `${FILES * PER_FILE} tests (${FILES} files), ${variant}: whole run`,
    ...summary(walls),
  }))
  for (const variant of ['warm: 2', 'file-scoped']) {
    const ratios = large[variant].map((wall, round) => wall / large.cold[round])
    suiteRows.push({
      label: `${variant} / cold, whole run (paired median)`,
      value: median(ratios).toFixed(3),
    })
  }
  printTable('a 300-test suite, wall time', suiteRows)
}

main()
