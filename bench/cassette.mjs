// What a cassette saves (issue 24). `node bench/cassette.mjs` after `npm run build`.
// Options: --rounds=N (default 3, suite runs per variant; 0 skips the suite and its record run),
// --iterations=N (default 200, in-process).
// Leaves nothing running.
//
// 1. In one process, the host as a test uses it: HostManager.start + one `weather_lookup` call
//    ("start + call", timed to the answer), then shutdown ("whole"), live and replayed, for the
//    bundled weather server in memory and over stdio. Variants alternate iteration by iteration.
//    Bar (issue 24): a replayed start + call ≤ 2 ms (median).
// 2. A suite of 100 tests (4 files x 25) against server-everything over stdio, each test one
//    `get-sum` call, in real `vitest run`s with the plugin: recorded once (MCP_HOST_CASSETTES=record),
//    then live (`off`) and replayed (`replay`) interleaved round by round; wall time and the sum of
//    the tests' own durations, and the speed-up (live / replay).
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { median, printTable, summary } from './lib/stats.mjs'
import { createSuite, dist, interleave, root } from './lib/vitest-suite.mjs'

const option = (name, fallback) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback)
const rounds = option('rounds', 3)
const iterations = option('iterations', 200)
const BAR_MS = 2
const FILES = 4
const PER_FILE = 25

const load = (sub) => import(pathToFileURL(path.join(root, 'dist', 'src', sub)).href)
const { HostManager } = await load('index.js')
const { weatherMemoryServer, weatherServer } = await load('servers/index.js')

// --- 1. in process ----------------------------------------------------------------------------------
const dir = mkdtempSync(path.join(tmpdir(), 'cassette-bench-'))
const test = { file: path.join(dir, 'bench.test.ts'), name: 'bench' }
const SERVERS = { memory: weatherMemoryServer(), stdio: weatherServer() }

/** One test's use of the host: start + call (to the answer), and the whole with shutdown. */
async function once(server, mode) {
  const started = performance.now()
  const host = await HostManager.start(
    { servers: { weather: { ...SERVERS[server], cassette: true } } },
    { cassettes: { test: { ...test, name: `bench ${server}` }, settings: { mode, update: 'new' } } },
  )
  const result = await host.callTool('weather_lookup', { location: 'London' })
  const call = performance.now() - started
  if (!result.content[0].text.includes('Rainy'))
    throw new Error(`unexpected answer ${JSON.stringify(result)}`)
  await host.shutdown()
  if (mode === 'record') host.cassettes.save()
  if (mode === 'replay' && host.server('weather').pid !== undefined) throw new Error('a replay spawned')
  return { call, whole: performance.now() - started }
}

const variants = ['memory off', 'memory replay', 'stdio off', 'stdio replay']
const samples = Object.fromEntries(variants.map((v) => [v, { call: [], whole: [] }]))
for (const server of Object.keys(SERVERS)) await once(server, 'record')
// Warm-up: module loading, the SDK's first schemas.
for (let i = 0; i < 20; i++) for (const v of variants) await once(...v.split(' '))
for (let i = 0; i < iterations; i++) {
  for (let j = 0; j < variants.length; j++) {
    const variant = variants[(i + j) % variants.length]
    const { call, whole } = await once(...variant.split(' '))
    samples[variant].call.push(call)
    samples[variant].whole.push(whole)
  }
}
rmSync(dir, { recursive: true, force: true })
const rows = variants.flatMap((variant) => {
  const [server, mode] = variant.split(' ')
  const call = summary(samples[variant].call)
  const live = median(samples[`${server} off`].call)
  return [
    {
      label: `${server} ${mode === 'off' ? 'live' : 'replayed'}: start + call`,
      ...call,
      value: mode === 'off' ? '' : `live / replay ${(live / call.median).toFixed(1)}x`,
      ...(mode === 'replay' && { bar: `<= ${BAR_MS} ms`, pass: call.median <= BAR_MS }),
    },
    { label: `${server} ${mode === 'off' ? 'live' : 'replayed'}: whole`, ...summary(samples[variant].whole) },
  ]
})
printTable(`in process, ${iterations} iterations each (interleaved)`, rows)

// --- 2. a 100-test suite --------------------------------------------------------------------------
if (rounds === 0) process.exit(0)
const everything = path.join(
  path.dirname(
    createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/package.json'),
  ),
  'dist',
  'index.js',
)
const testFile = (n) => `import { test as base, expect } from 'vitest'
import { hostManager } from ${dist('')}
const test = base.extend({
  hostManager: hostManager({
    servers: { everything: { transport: 'stdio', command: process.execPath, args: [${JSON.stringify(everything)}, 'stdio'], cassette: true } },
  }),
})
for (let i = 0; i < ${PER_FILE}; i++) {
  test('sum ' + i, async ({ hostManager }) => {
    const result = await hostManager.callTool('get-sum', { a: i, b: ${n} })
    expect(result.content[0].text).toContain(String(i + ${n}))
  })
}
`
const files = Object.fromEntries(
  Array.from({ length: FILES }, (_, n) => [`everything-${n}.test.ts`, testFile(n)]),
)
const suite = createSuite('cassette', files, ['plugin'])
// Replay first: interleave() warms up with one run of the first variant (the record run warmed Vite).
const modes = { replay: 'replay', live: 'off' }
try {
  // The same config for both: the plugin's, the mode from the environment of each run.
  const run = suite.run.bind(suite)
  suite.run = (variant, expected) => {
    process.env.MCP_HOST_CASSETTES = modes[variant] ?? variant
    return run('plugin', expected)
  }
  const recorded = suite.run('record', FILES * PER_FILE)
  const runs = interleave(suite, Object.keys(modes), rounds, FILES * PER_FILE)
  const wall = (v) => runs[v].map((r) => r.wall)
  const tests = (v) => runs[v].map((r) => r.tests)
  const speedup = (of) => (median(of('live')) / median(of('replay'))).toFixed(1)
  printTable(`a ${FILES * PER_FILE}-test suite against server-everything (stdio), ${rounds} rounds`, [
    { label: 'record (once): wall', n: 1, median: recorded.wall },
    { label: 'live: wall', ...summary(wall('live')) },
    { label: 'replay: wall', ...summary(wall('replay')), value: `speed-up ${speedup(wall)}x` },
    { label: 'live: sum of test durations', ...summary(tests('live')) },
    {
      label: 'replay: sum of test durations',
      ...summary(tests('replay')),
      value: `speed-up ${speedup(tests)}x`,
    },
  ])
} finally {
  delete process.env.MCP_HOST_CASSETTES
  suite.remove()
}
