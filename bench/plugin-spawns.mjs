// The plugin's process check on a spawn-heavy suite: 10 test files of 6 tests, every test spawning
// and awaiting short children (`true`, `sh -c`, an `execFile`), and one test whose child leaves a
// daemon behind that outlives it briefly (`sh -c 'sleep 0.1 &'`: the check finds it by the test's
// token and waits for it to end). Run by a real Vitest without the plugin, with a bare aroundEach and
// with the plugin, interleaved round by round (a different variant first each round).
// Judged: the whole run, plugin / off (paired median of per-round ratios, bootstrap 90 % interval);
// shown: the sum of the tests' own durations, where the check runs (inside the test's aroundEach).
// `--dist=PATH` installs another build; `--before=PATH` adds a variant `before`, the plugin of another
// build (an earlier commit's `dist`), interleaved with the others.
// `node bench/plugin-spawns.mjs [--rounds=N] [--dist=PATH] [--before=PATH] [--variants=off,plugin,...]` after `npm run build`. Leaves nothing running.
import os from 'node:os'
import { bootstrapInterval, median, printTable, summary } from './lib/stats.mjs'
import { createSuite, interleave } from './lib/vitest-suite.mjs'

const options = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')))
const rounds = Number(options.rounds ?? 10)
const FILES = 10
const TESTS_PER_FILE = 6
const BAR = 1.05
const VARIANTS = options.variants?.split(',') ?? [
  'off',
  'around',
  'plugin',
  ...(options.before ? ['before'] : []),
]

const HEAD = `import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'

async function run(command, args) {
  const child = spawn(command, args, { stdio: 'ignore' })
  const [code] = await once(child, 'exit')
  expect(code).toBe(0)
}
`

function testFile(index) {
  const tests = Array.from({ length: TESTS_PER_FILE }, (_, t) =>
    index === 0 && t === 0
      ? // The daemon: its parent exits at once, it ends 100 ms later, after the test.
        `test('starts a daemon that outlives its parent briefly', async () => {
  await run('sh', ['-c', 'sleep 0.1 > /dev/null 2>&1 &'])
})`
      : `test('spawns and reaps short children ${t}', async () => {
  await run('true', [])
  await run('sh', ['-c', 'exit 0'])
  const { stdout } = await promisify(execFile)('echo', ['${index}-${t}'])
  expect(stdout.trim()).toBe('${index}-${t}')
})`,
  )
  return `${HEAD}\n${tests.join('\n\n')}\n`
}

function main() {
  const files = Object.fromEntries(Array.from({ length: FILES }, (_, i) => [`file${i}.test.ts`, testFile(i)]))
  const suite = createSuite('spawns', files, VARIANTS, options.dist, options.before)
  let samples
  try {
    samples = interleave(suite, VARIANTS, rounds, FILES * TESTS_PER_FILE)
  } finally {
    suite.remove()
  }
  const rows = []
  const WHAT = { wall: 'whole run', cpu: 'CPU of the run and its workers', tests: 'sum of test durations' }
  for (const key of ['wall', 'cpu', 'tests']) {
    const what = WHAT[key]
    for (const variant of VARIANTS)
      rows.push({ label: `${variant}: ${what}`, ...summary(samples[variant].map((s) => s[key])) })
    for (const variant of VARIANTS.filter((v) => v !== 'off')) {
      const ratios = samples[variant].map((s, round) => s[key] / samples.off[round][key])
      const [low, high] = bootstrapInterval(ratios, median, 0.9)
      const judged = key === 'wall' && variant === 'plugin'
      rows.push({
        label: `${variant} / off, ${what} (paired median, 90% interval)`,
        value: `${median(ratios).toFixed(3)} [${low.toFixed(3)}, ${high.toFixed(3)}]`,
        bar: judged ? `<= ${BAR}` : '',
        pass: judged ? median(ratios) <= BAR : undefined,
      })
    }
  }
  for (const key of options.before ? ['wall', 'cpu'] : []) {
    const ratios = samples.plugin.map((s, round) => s[key] / samples.before[round][key])
    const [low, high] = bootstrapInterval(ratios, median, 0.9)
    rows.push({
      label: `plugin / before, ${key === 'wall' ? 'whole run' : 'CPU'} (paired median, 90% interval)`,
      value: `${median(ratios).toFixed(3)} [${low.toFixed(3)}, ${high.toFixed(3)}]`,
    })
  }
  console.log(
    `plugin on a spawn-heavy suite: ${FILES} files x ${TESTS_PER_FILE} tests, each spawning short children, one leaving a 100 ms daemon; ${rounds} interleaved rounds, node ${process.version}, ${os.availableParallelism()} CPUs${options.dist ? `, dist ${options.dist}` : ''}${options.before ? `, before: ${options.before}` : ''}, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
  printTable('process check of mcpHost() on tests that spawn', rows)
}

main()
