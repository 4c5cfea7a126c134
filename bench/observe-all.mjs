// What `mcpHost({ observe: 'all' })` costs a suite whose tests make their own MCP clients (issue 22
// item 5): 10 files x 20 tests, each test a new SDK client (v1 `@modelcontextprotocol/sdk` in half the
// files, v2 `@modelcontextprotocol/client` in the other half) that connects to the bundled weather
// server, lists its tools, makes three calls and closes. The server runs in memory (the bundled
// factory on an InMemoryTransport pair, a new server per test) except in the stdio files (one v1, one
// v2 by default), where each test spawns `weather.mjs` through the SDK's StdioClientTransport.
// Variants, interleaved round by round (createSuite/interleave): `off` (no plugin), `plugin`
// (`mcpHost()`), `observe` (`mcpHost({ observe: 'all' })`) and `observecoverage` (`observe: 'all'`
// with `toolCoverage: true`). Wall time and CPU (user + system) of the whole process tree: the
// `vitest run`, its workers and the stdio servers they spawned and reaped.
// Judged (informational, the wire check's bar): observe / plugin, whole run, <= 1.10.
// Each run is checked: every test passed, and every file's `Client.prototype.connect` was the
// observer's in the observe variants and the SDK's own in the others (a bench of an unhooked client
// would time nothing).
// `--profile`: instead, one run of each variant with `--cpu-prof` in its test workers, and their CPU
// by owner (ours, the SDKs, zod, Vitest, node) and our hottest functions: where the difference goes.
// `node bench/observe-all.mjs [--rounds=N] [--files=N] [--tests=N] [--stdio-files=N] [--variants=a,b]
// [--profile[=DIR]]` after `npm run build`. Leaves nothing running (the SDK transports' close ends each server).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { summarizeProfiles } from './lib/cpu-profile.mjs'
import { bootstrapInterval, median, printTable, summary } from './lib/stats.mjs'
import { createSuite, interleave } from './lib/vitest-suite.mjs'

const options = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [key, value = ''] = a.replace(/^--/, '').split('=')
    return [key, value]
  }),
)
const rounds = Number(options.rounds ?? 6)
const FILES = Number(options.files ?? 10)
const TESTS_PER_FILE = Number(options.tests ?? 20)
const STDIO_FILES = Number(options['stdio-files'] ?? 2)
const BAR = 1.1
const VARIANTS = options.variants?.split(',') ?? ['off', 'plugin', 'observe', 'observecoverage']
const LABEL = { observecoverage: 'observe+coverage' }
const label = (variant) => LABEL[variant] ?? variant
const OBSERVED = new Set(['observe', 'observecoverage'])

const BUNDLES = './node_modules/vitest-mcp-host/dist/example-servers'

/** The SDK imports and `connect()` of one file: `v1` or `v2`, `memory` or `stdio`. */
function clientSource(sdk, transport) {
  const v1 = sdk === 'v1'
  const clientImport = v1
    ? `import { Client } from '@modelcontextprotocol/sdk/client/index.js'`
    : `import { Client } from '@modelcontextprotocol/client'`
  if (transport === 'stdio') {
    const stdioImport = v1
      ? `import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'`
      : `import { StdioClientTransport } from '@modelcontextprotocol/client/stdio'`
    return `${clientImport}
${stdioImport}
import { fileURLToPath } from 'node:url'

const serverFile = fileURLToPath(new URL('${BUNDLES}/weather.mjs', import.meta.url))

async function connect() {
  const client = new Client({ name: 'bench-${sdk}', version: '1.0.0' })
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [serverFile], stderr: 'ignore' }))
  return { client, close: () => client.close() }
}`
  }
  const memoryImport = v1
    ? `import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'`
    : `import { InMemoryTransport } from '@modelcontextprotocol/client'`
  return `${clientImport}
${memoryImport}
import createWeatherServer from '${BUNDLES}/weather-worker.mjs'

async function connect() {
  const server = createWeatherServer()
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  await server.connect(serverSide)
  const client = new Client({ name: 'bench-${sdk}', version: '1.0.0' })
  await client.connect(clientSide)
  return { client, close: async () => { await client.close(); await server.close() } }
}`
}

function testFile(index) {
  const sdk = index < FILES / 2 ? 'v1' : 'v2'
  // The first STDIO_FILES / 2 files of each SDK spawn their server.
  const first = sdk === 'v1' ? 0 : Math.ceil(FILES / 2)
  const transport = index - first < STDIO_FILES / 2 ? 'stdio' : 'memory'
  const tests = Array.from(
    { length: TESTS_PER_FILE },
    (_, t) => `test('${sdk} ${transport} ${t}', async () => {
  const { client, close } = await connect()
  try {
    const { tools } = await client.listTools()
    expect(tools.map((tool) => tool.name)).toContain('weather_lookup')
    const london = await client.callTool({ name: 'weather_lookup', arguments: { location: 'London' } })
    expect(london.content[0].text).toContain('Rainy')
    const tokyo = await client.callTool({ name: 'weather_lookup', arguments: { location: 'Tokyo', units: 'imperial' } })
    expect(tokyo.content[0].text).toContain('Sunny')
    const time = await client.callTool({ name: 'current_time', arguments: { timezone: 'UTC' } })
    expect(time.isError).not.toBe(true)
  } finally {
    await close()
  }
})`,
  )
  return `import { appendFileSync } from 'node:fs'
import { afterAll, expect, test } from 'vitest'
${clientSource(sdk, transport)}

// Which connect() the file's clients went through: the observer's (observedConnect) or the SDK's.
afterAll(() => appendFileSync(process.env.BENCH_OBSERVED, \`\${Client.prototype.connect.name}\\n\`))

${tests.join('\n\n')}
`
}

/** Wraps `suite.run`: each run's files must have had the observer's connect() exactly in the observe variants. */
function checkObserved(suite) {
  const run = suite.run.bind(suite)
  const marks = path.join(suite.work, 'observed.txt')
  suite.run = (variant, expected) => {
    rmSync(marks, { force: true })
    process.env.BENCH_OBSERVED = marks
    const result = run(variant, expected)
    const names = readFileSync(marks, 'utf8').trim().split('\n')
    const want = OBSERVED.has(variant.replace(/-prof$/, '')) ? 'observedConnect' : 'connect'
    if (names.length !== FILES || names.some((name) => name !== want))
      throw new Error(
        `${variant}: expected ${FILES} files with Client.prototype.connect ${want}, got ${names}`,
      )
    // Progress on stderr: a run of this suite takes a minute on a loaded machine.
    process.stderr.write(
      `${label(variant)}: ${(result.wall / 1000).toFixed(1)} s, CPU ${(result.cpu / 1000).toFixed(1)} s\n`,
    )
    return result
  }
}

const ratioRow = (samples, variant, base, key, judged) => {
  const ratios = samples[variant].map((s, round) => s[key] / samples[base][round][key])
  const [low, high] = bootstrapInterval(ratios, median, 0.9)
  return {
    label: `${label(variant)} / ${label(base)}, ${key === 'wall' ? 'whole run' : 'CPU'} (paired median, 90% interval)`,
    value: `${median(ratios).toFixed(3)} [${low.toFixed(3)}, ${high.toFixed(3)}]`,
    bar: judged ? `<= ${BAR}` : '',
    pass: judged ? median(ratios) <= BAR : undefined,
  }
}

/** One run of each variant with its workers profiled; prints CPU by owner, side by side. */
function profile(suite, dir) {
  const summaries = {}
  for (const variant of VARIANTS) {
    const out = path.join(dir, variant)
    mkdirSync(out, { recursive: true })
    const config = readFileSync(path.join(suite.work, `${variant}.config.mjs`), 'utf8')
    writeFileSync(
      path.join(suite.work, `${variant}-prof.config.mjs`),
      config.replace("pool: 'forks'", `pool: 'forks', execArgv: ['--cpu-prof', '--cpu-prof-dir=${out}']`),
    )
    const run = suite.run(`${variant}-prof`, FILES * TESTS_PER_FILE)
    summaries[variant] = { run, ...summarizeProfiles(out) }
  }
  const owners = [...new Set(VARIANTS.flatMap((v) => summaries[v].buckets.map(([name]) => name)))]
  const rows = owners.map((owner) => ({
    label: owner,
    value: VARIANTS.map((v) => {
      const ms = summaries[v].buckets.find(([name]) => name === owner)?.[1] ?? 0
      return `${label(v)} ${ms.toFixed(0).padStart(6)}`
    }).join('  '),
  }))
  rows.push({
    label: 'CPU of the whole run (ms)',
    value: VARIANTS.map((v) => `${label(v)} ${summaries[v].run.cpu.toFixed(0).padStart(6)}`).join('  '),
  })
  printTable(`self time in the test workers by owner, ms (${dir})`, rows)
  for (const v of VARIANTS.filter((name) => summaries[name].ours.length > 0))
    printTable(
      `${label(v)}: our hottest functions (self ms)`,
      summaries[v].ours.map(([name, ms]) => ({ label: name, value: ms.toFixed(1) })),
    )
}

function main() {
  const files = Object.fromEntries(Array.from({ length: FILES }, (_, i) => [`file${i}.test.ts`, testFile(i)]))
  const suite = createSuite('observe-all', files, VARIANTS)
  checkObserved(suite)
  if (options.profile !== undefined) {
    const dir = path.resolve(options.profile || path.join(os.tmpdir(), `observe-all-profiles-${process.pid}`))
    try {
      profile(suite, dir)
    } finally {
      suite.remove()
    }
    return
  }
  const loadBefore = os.loadavg()
  let samples
  try {
    samples = interleave(suite, VARIANTS, rounds, FILES * TESTS_PER_FILE)
  } finally {
    suite.remove()
  }
  const rows = []
  for (const variant of VARIANTS) {
    rows.push({ label: `${label(variant)}: whole run`, ...summary(samples[variant].map((s) => s.wall)) })
    rows.push({ label: `${label(variant)}: CPU`, ...summary(samples[variant].map((s) => s.cpu)) })
    rows.push({
      label: `${label(variant)}: sum of the tests' durations`,
      ...summary(samples[variant].map((s) => s.tests)),
    })
  }
  for (const base of ['off', 'plugin'].filter((b) => VARIANTS.includes(b)))
    for (const variant of VARIANTS.filter((v) => v !== base && !(base === 'plugin' && v === 'off')))
      for (const key of ['wall', 'cpu'])
        rows.push(
          ratioRow(samples, variant, base, key, base === 'plugin' && variant === 'observe' && key === 'wall'),
        )
  const load = (l) => l.map((v) => v.toFixed(1)).join(' ')
  console.log(
    `observe: 'all' cost: ${FILES} files x ${TESTS_PER_FILE} tests (v1 / v2 SDK clients, ${STDIO_FILES} stdio files, the rest in memory), ${rounds} interleaved rounds, node ${process.version}, ${os.availableParallelism()} CPUs, load before ${load(loadBefore)}, after ${load(os.loadavg())}`,
  )
  printTable('tests that make their own SDK clients', rows)
}

main()
