// Worker and memory servers: start + one call (weather_lookup London) + shutdown through HostManager,
// next to stdio (for reference) and the raw SDK over its in-memory pair (the floor). "worker first" is
// the first worker server of a process (thread start + module load): each sample is a fresh process.
// Bars (issue 9): worker, second server onwards, median ≤ 10 ms; memory median ≤ 2 ms.
// Run: npm run build && node bench/worker.mjs [--rounds=30 --warmup=10 --firsts=7]
import { execFileSync } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import {
  bundlePath,
  weatherMemoryServer,
  weatherServer,
  weatherWorkerServer,
} from '../dist/src/servers/index.js'
import { median, percentile } from './lib/stats.mjs'
import { expectLondon, timeHost } from './lib/weather-run.mjs'

const arg = (name, fallback) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`))
  return found ? Number(found.split('=')[1]) : fallback
}

const throughHost = timeHost

const factory = (await import(pathToFileURL(bundlePath('weather-worker')).href)).default

async function rawSdkMemory() {
  const t0 = performance.now()
  const server = factory()
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  const client = new Client({ name: 'bench', version: '0.0.0' }, { capabilities: {} })
  await server.connect(serverSide)
  await client.connect(clientSide)
  const t1 = performance.now()
  expectLondon(await client.callTool({ name: 'weather_lookup', arguments: { location: 'London' } }))
  const t2 = performance.now()
  await client.close()
  await server.close()
  const t3 = performance.now()
  return { total: t3 - t0, start: t1 - t0, call: t2 - t1, shutdown: t3 - t2 }
}

if (process.argv.includes('--first-only')) {
  // One sample of "worker first": this process's first worker server.
  console.log(JSON.stringify(await throughHost(weatherWorkerServer())))
  process.exit(0)
}

const variants = {
  'worker (second onwards)': () => throughHost(weatherWorkerServer()),
  'worker with files (a fresh thread each)': () =>
    throughHost({ ...weatherWorkerServer(), files: { '/a': 'a' } }),
  memory: () => throughHost(weatherMemoryServer()),
  'raw SDK in-memory': rawSdkMemory,
  'stdio (reference)': () => throughHost(weatherServer()),
}

const rounds = arg('rounds', 30)
const firsts = arg('firsts', 7)
const self = fileURLToPath(import.meta.url)
const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]))
samples['worker first (fresh process)'] = []
for (let i = 0; i < firsts; i++) {
  const out = execFileSync(process.execPath, [self, '--first-only'], { encoding: 'utf8' })
  samples['worker first (fresh process)'].push(JSON.parse(out.trim().split('\n').at(-1)))
}
// The first worker server of this process is not a sample of the later ones.
await throughHost(weatherWorkerServer())
const names = Object.keys(variants)
for (let round = -arg('warmup', 10); round < rounds; round++) {
  for (let i = 0; i < names.length; i++) {
    const name = names[(i + Math.max(round, 0)) % names.length]
    const sample = await variants[name]()
    if (round >= 0) samples[name].push(sample)
  }
}

const fmt = (n) => n.toFixed(2).padStart(8)
console.log(`node ${process.version}, ${rounds} rounds (${firsts} fresh processes for "worker first"), ms`)
console.log(`${'variant'.padEnd(42)}  n    total med   p90   start med  call med  shutdown med`)
for (const [name, list] of Object.entries(samples)) {
  const of = (key) => list.map((s) => s[key])
  console.log(
    `${name.padEnd(42)} ${String(list.length).padStart(3)} ${fmt(median(of('total')))} ${fmt(percentile(of('total'), 0.9))} ${fmt(median(of('start')))} ${fmt(median(of('call')))} ${fmt(median(of('shutdown')))}`,
  )
}
// Back to back: each of the fast variants alone, warm (no thread creation or spawn between samples).
const streak = arg('streak', 200)
const back = {}
for (const name of ['worker (second onwards)', 'memory', 'raw SDK in-memory']) {
  const list = []
  for (let i = 0; i < streak; i++) list.push(await variants[name]())
  back[name] = list.slice(Math.floor(streak / 4))
}
console.log(`\nback to back, ${streak} in a row each, the first quarter dropped, ms`)
for (const [name, list] of Object.entries(back)) {
  const totals = list.map((s) => s.total)
  console.log(
    `${name.padEnd(42)} ${String(list.length).padStart(3)} ${fmt(median(totals))} ${fmt(percentile(totals, 0.9))}`,
  )
}
const workerMedian = median(samples['worker (second onwards)'].map((s) => s.total))
const memoryMedian = median(samples.memory.map((s) => s.total))
const workerBack = median(back['worker (second onwards)'].map((s) => s.total))
const memoryBack = median(back.memory.map((s) => s.total))
console.log(
  `bar: worker second onwards median, back to back ${workerBack.toFixed(2)} ms ≤ 10: ${workerBack <= 10 ? 'met' : 'MISSED'}`,
)
console.log(
  `bar: memory median, back to back ${memoryBack.toFixed(2)} ms ≤ 2: ${memoryBack <= 2 ? 'met' : 'MISSED'}`,
)
console.log(
  `bar: worker second onwards median, interleaved ${workerMedian.toFixed(2)} ms ≤ 10: ${workerMedian <= 10 ? 'met' : 'MISSED'}`,
)
console.log(
  `bar: memory median, interleaved ${memoryMedian.toFixed(2)} ms ≤ 2: ${memoryMedian <= 2 ? 'met' : 'MISSED'}`,
)
