// The plugin's per-file cost: 40 test files of 5 short tests each, none using hostManager (a few
// spawn and await a short child process), run by a real Vitest without the plugin, with a bare
// aroundEach and with the plugin, interleaved round by round. Every file runs in a fresh worker,
// which loads the plugin's setup file anew: what that file imports is paid 40 times a run.
// Judged: the whole run, plugin / off (paired median of per-round ratios, bootstrap 90 % interval),
// and the setup Vitest measures per file: its `setup` plus `collect`, because a setup file that
// imports vitest first takes that import out of `collect` (without one, `setup` is 0); the median file
// with the plugin minus the median file without, per round, median over rounds.
// `--dist=PATH` installs another build; `--before=PATH` adds a variant `before`, the plugin of another
// build (an earlier commit's `dist`), interleaved with the others.
// `node bench/plugin-per-file.mjs [--rounds=N] [--dist=PATH] [--before=PATH] [--variants=off,plugin,...]` after `npm run build`. Leaves nothing running.
import os from 'node:os'
import { bootstrapInterval, median, printTable, summary } from './lib/stats.mjs'
import { createSuite, interleave } from './lib/vitest-suite.mjs'

const options = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')))
const rounds = Number(options.rounds ?? 10)
const FILES = 40
const TESTS_PER_FILE = 5
const WALL_BAR = 1.05
const SETUP_BAR_MS = 10
const VARIANTS = options.variants?.split(',') ?? [
  'off',
  'around',
  'plugin',
  ...(options.before ? ['before'] : []),
]

function testFile(index) {
  // Every fifth file has a test that spawns a short child process and awaits its exit.
  const spawns = index % 5 === 0
  const tests = Array.from({ length: TESTS_PER_FILE }, (_, t) =>
    spawns && t === 0
      ? `test('spawns and awaits a child', async () => {
  const child = spawn('true', [], { stdio: 'ignore' })
  const [code] = await once(child, 'exit')
  expect(code).toBe(0)
})`
      : `test('adds ${t}', () => {
  expect([${index}, ${t}].reduce((a, b) => a + b, 0)).toBe(${index + t})
})`,
  )
  return `import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { expect, test } from 'vitest'

${tests.join('\n\n')}
`
}

/** A run's median file: Vitest's `setup` (importing the setup files), `collect` (importing the test file) and both. */
const medianOf = (key) => (run) =>
  median(run.modules.map((m) => (key === 'both' ? m.setupDuration + m.collectDuration : m[`${key}Duration`])))
const medianSetup = medianOf('both')

function main() {
  const files = Object.fromEntries(Array.from({ length: FILES }, (_, i) => [`file${i}.test.ts`, testFile(i)]))
  const suite = createSuite('per-file', files, VARIANTS, options.dist, options.before)
  let samples
  try {
    samples = interleave(suite, VARIANTS, rounds, FILES * TESTS_PER_FILE)
  } finally {
    suite.remove()
  }
  const rows = []
  for (const variant of VARIANTS) {
    rows.push({ label: `${variant}: whole run`, ...summary(samples[variant].map((s) => s.wall)) })
    for (const key of ['setup', 'collect', 'both']) {
      const what = key === 'both' ? 'setup + collect' : key
      rows.push({
        label: `${variant}: ${what} of the median file`,
        ...summary(samples[variant].map(medianOf(key))),
      })
    }
  }
  for (const variant of VARIANTS.filter((v) => v !== 'off')) {
    const ratios = samples[variant].map((s, round) => s.wall / samples.off[round].wall)
    const [low, high] = bootstrapInterval(ratios, median, 0.9)
    const judged = variant === 'plugin'
    rows.push({
      label: `${variant} / off, whole run (paired median, 90% interval)`,
      value: `${median(ratios).toFixed(3)} [${low.toFixed(3)}, ${high.toFixed(3)}]`,
      bar: judged ? `<= ${WALL_BAR}` : '',
      pass: judged ? median(ratios) <= WALL_BAR : undefined,
    })
    const added = samples[variant].map((s, round) => medianSetup(s) - medianSetup(samples.off[round]))
    rows.push({
      label: `${variant} - off, setup + collect per file (median over rounds)`,
      value: `${median(added).toFixed(1)} ms`,
      bar: judged ? `<= ${SETUP_BAR_MS} ms` : '',
      pass: judged ? median(added) <= SETUP_BAR_MS : undefined,
    })
  }
  // CPU (user + system) of the run and its workers: what wall time shows on a quiet machine only.
  for (const variant of VARIANTS)
    rows.push({ label: `${variant}: CPU`, ...summary(samples[variant].map((s) => s.cpu)) })
  const pairs = [
    ...VARIANTS.filter((v) => v !== 'off').map((v) => [v, 'off']),
    ...(options.before ? [['plugin', 'before']] : []),
  ]
  for (const [variant, base] of pairs) {
    for (const key of base === 'before' ? ['wall', 'cpu'] : ['cpu']) {
      const ratios = samples[variant].map((s, round) => s[key] / samples[base][round][key])
      const [low, high] = bootstrapInterval(ratios, median, 0.9)
      rows.push({
        label: `${variant} / ${base}, ${key === 'wall' ? 'whole run' : 'CPU'} (paired median, 90% interval)`,
        value: `${median(ratios).toFixed(3)} [${low.toFixed(3)}, ${high.toFixed(3)}]`,
      })
    }
  }
  console.log(
    `plugin per-file cost: ${FILES} files x ${TESTS_PER_FILE} tests, no hostManager, ${rounds} interleaved rounds, node ${process.version}, ${os.availableParallelism()} CPUs${options.dist ? `, dist ${options.dist}` : ''}${options.before ? `, before: ${options.before}` : ''}, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
  printTable('setup file of mcpHost(), loaded by every test file', rows)
}

main()
