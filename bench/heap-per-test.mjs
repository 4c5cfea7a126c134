// What a worker keeps per test: its heap (after a full GC) at the end of a file of N memory-host
// tests, for two N, and the growth per test between them. `node bench/heap-per-test.mjs` after
// `npm run build`. Options: --small=N (default 100), --large=N (default 500), --rounds=N (default 3),
// --dist=PATH (the build to install, default this repository's dist: to measure another commit's).
// Modes, interleaved: `bare` (the same tests without a host: Vitest's own per-test cost, the
// baseline), `off` (the fixture, no plugin) and `plugin` (mcpHost()); medians printed.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { median } from './lib/stats.mjs'
import { createSuite, dist } from './lib/vitest-suite.mjs'

const options = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const match = /^--(small|large|rounds)=(\d+)$|^--(dist)=(.+)$/.exec(arg)
    if (!match)
      throw new Error(`unknown argument ${arg}; expected --small=N --large=N --rounds=N --dist=PATH`)
    return match[1] ? [match[1], Number(match[2])] : [match[3], match[4]]
  }),
)
const small = options.small ?? 100
const large = options.large ?? 500
const rounds = options.rounds ?? 3

// The heap is read in afterAll, after two full collections (gc exposed at run time, as in trace-cost).
const source = `import { writeFileSync } from 'node:fs'
import v8 from 'node:v8'
import vm from 'node:vm'
import { afterAll, test as base } from 'vitest'
import { hostManager } from ${dist()}
import { weatherMemoryServer } from ${dist('servers')}

const test = base.extend({ hostManager: hostManager({ servers: { weather: weatherMemoryServer() } }) })
for (let i = 0; i < Number(process.env.HEAP_TESTS); i++) {
  if (process.env.HEAP_BARE) test('call ' + i, async () => {})
  else
    test('call ' + i, async ({ hostManager }) => {
      await hostManager.callTool('weather_lookup', { location: 'London' })
    })
}
afterAll(() => {
  v8.setFlagsFromString('--expose-gc')
  const gc = vm.runInNewContext('gc')
  gc()
  gc()
  writeFileSync(process.env.HEAP_OUT, String(process.memoryUsage().heapUsed))
})
`

const modes = ['bare', 'off', 'plugin']
const suite = createSuite('heap', { 'heap.test.mjs': source }, ['off', 'plugin'], options.dist)
const out = path.join(suite.work, 'heap.txt')
process.env.HEAP_OUT = out
const heapAfter = (mode, tests) => {
  process.env.HEAP_TESTS = String(tests)
  if (mode === 'bare') process.env.HEAP_BARE = '1'
  else delete process.env.HEAP_BARE
  suite.run(mode === 'bare' ? 'off' : mode, tests)
  return Number(readFileSync(out, 'utf8'))
}
try {
  const samples = Object.fromEntries(modes.map((v) => [v, { small: [], large: [] }]))
  heapAfter(modes[1], small) // warm-up: Vite's transform cache
  for (let round = 0; round < rounds; round++) {
    for (const variant of modes.map((_, i) => modes[(i + round) % modes.length])) {
      samples[variant].small.push(heapAfter(variant, small))
      samples[variant].large.push(heapAfter(variant, large))
    }
  }
  const kb = (bytes) => (bytes / 1024).toFixed(1)
  console.log(`heap after a full GC at the end of the file, median of ${rounds} rounds (KB)`)
  console.log(
    `mode      ${String(small).padStart(8)} tests ${String(large).padStart(8)} tests   growth per test   / bare`,
  )
  const growth = (mode) => (median(samples[mode].large) - median(samples[mode].small)) / (large - small)
  for (const mode of modes) {
    const [s, l] = [median(samples[mode].small), median(samples[mode].large)]
    const ratio = (growth(mode) / growth('bare')).toFixed(2)
    console.log(
      `${mode.padEnd(8)}  ${kb(s).padStart(14)} ${kb(l).padStart(14)}   ${kb(growth(mode)).padStart(8)} KB   ${ratio.padStart(8)}`,
    )
  }
} finally {
  suite.remove()
}
