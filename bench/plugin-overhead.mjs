// The plugin's per-test cost: one suite of 200 short tests sharing a file-scoped host, run by a
// real Vitest without the plugin, with a bare aroundEach (Vitest's own cost of the hook the plugin
// is built on), with the plugin, with trace: true and with toolCoverage: true, interleaved round by round. Runs of ~2 s on
// a shared machine drift by more than the 5 % bar, so each variant is compared with the no-plugin
// run of the same round: the median of those paired ratios, with a bootstrap 90 % interval.
// `node bench/plugin-overhead.mjs [--rounds=N]` after `npm run build`. Leaves nothing running.
import os from 'node:os'
import { bootstrapInterval, median, printTable, summary } from './lib/stats.mjs'
import { createSuite, dist, interleave, VARIANTS } from './lib/vitest-suite.mjs'

const rounds = Number(/^--rounds=(\d+)$/.exec(process.argv[2] ?? '')?.[1] ?? 20)
const TESTS = 200
const BAR = 1.05

const SUITE = `import { test as base, expect } from 'vitest'
import { hostManager } from ${dist('')}
import { weatherServer } from ${dist('servers')}
const test = base.extend({ hostManager: hostManager({ servers: { weather: weatherServer() } }, { scope: 'file' }) })
for (let i = 0; i < ${TESTS}; i++) {
  test('call ' + i, async ({ hostManager }) => {
    const result = await hostManager.callTool('weather_lookup', { location: 'London' })
    expect(result.content[0].text).toContain('Rainy')
  })
}
`

function main() {
  const names = Object.keys(VARIANTS)
  const suite = createSuite('overhead', { 'suite.test.ts': SUITE })
  let samples
  try {
    samples = interleave(suite, names, rounds, TESTS)
  } finally {
    suite.remove()
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
      const judged = key === 'wall' && (name === 'plugin' || name === 'coverage')
      rows.push({
        label: `${name} / off, ${what} (paired median, 90% interval)`,
        value: `${ratio.toFixed(3)} [${low.toFixed(3)}, ${high.toFixed(3)}]`,
        bar: judged ? `<= ${BAR}` : '',
        pass: judged ? ratio <= BAR : undefined,
      })
    }
    const onTop = (name, base, label) => {
      const ratios = paired(name, key, base)
      const [low, high] = bootstrapInterval(ratios, median, 0.9)
      rows.push({ label, value: `${median(ratios).toFixed(3)} [${low.toFixed(3)}, ${high.toFixed(3)}]` })
    }
    onTop('plugin', 'around', `plugin / around, ${what}: ours on top of Vitest's aroundEach`)
    onTop('coverage', 'plugin', `coverage / plugin, ${what}: toolCoverage on top of the plugin`)
  }
  console.log(
    `plugin overhead: ${TESTS} tests, one file-scoped weather host, ${rounds} interleaved rounds, node ${process.version}, ${os.availableParallelism()} CPUs`,
  )
  printTable('per-test checks of mcpHost()', rows)
}

main()
