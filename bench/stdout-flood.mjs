// The host's memory under a flood of non-JSON stdout: what it keeps of N MB of junk lines.
// `node --expose-gc bench/stdout-flood.mjs` after `npm run build`. Options: --mb=N (default 20),
// --line=BYTES (each junk line, newline included; default 100, a log line), --rounds=N (default 3).
//
// Each round starts two hosts, one after the other, on the same bare stdio server: a baseline that
// writes no junk, and one that writes N MB of junk lines before answering a tools/call. With the
// host still up (all it keeps of the server is reachable), a full GC, then process.memoryUsage().
// The growth is the flood host's figure minus the baseline's; the two alternate which goes first.
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { sweep } from './lib/processes.mjs'
import { median } from './lib/stats.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const options = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const match = /^--([\w-]+)=(\d+)$/.exec(arg)
    if (!match) throw new Error(`unknown argument ${arg}; expected --mb=N --line=BYTES --rounds=N`)
    return [match[1], Number(match[2])]
  }),
)
const mb = options.mb ?? 20
const lineBytes = options.line ?? 100
const rounds = options.rounds ?? 3
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc')

const { HostManager } = await import(pathToFileURL(path.join(root, 'dist/src/index.js')).href)
const server = path.join(root, 'test/support/raw-stdio-server.mjs')
const MB = 1024 * 1024

function collect() {
  // Twice: the first pass may only finalize what the second frees.
  globalThis.gc()
  globalThis.gc()
  const { rss, heapUsed, external } = process.memoryUsage()
  return { rss, heap: heapUsed + external }
}

/** Starts a host on the bare server, calls its tool (after any flood: same pipe), measures. */
async function measure(floodBytes) {
  const args = [server, `--flood=${floodBytes}`, `--flood-line=${lineBytes}`]
  const started = performance.now()
  const host = await HostManager.start({
    servers: { raw: { transport: 'stdio', command: process.execPath, args } },
    requestTimeout: 120_000,
  })
  try {
    await host.callTool('echo', {})
    const ms = performance.now() - started
    return { ...collect(), ms }
  } finally {
    await host.shutdown()
  }
}

const warn = console.warn
console.warn = () => {} // the host's one warning about junk on stdout, once per flood host
const growth = { rss: [], heap: [], ms: [] }
try {
  await measure(0) // warm-up: module loading and the first spawn are no one's growth
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [0, mb * MB] : [mb * MB, 0]
    const [first, second] = [await measure(order[0]), await measure(order[1])]
    const [base, flood] = order[0] === 0 ? [first, second] : [second, first]
    growth.rss.push((flood.rss - base.rss) / MB)
    growth.heap.push((flood.heap - base.heap) / MB)
    growth.ms.push(flood.ms)
  }
} finally {
  console.warn = warn
  const left = await sweep()
  if (left.length > 0) console.error(`killed processes left running: ${left.join(', ')}`)
}

const fmt = (values) => `${median(values).toFixed(1)} (${values.map((v) => v.toFixed(1)).join(', ')})`
console.log(
  `stdout flood: ${mb} MB of ${lineBytes}-byte non-JSON lines, ${rounds} rounds, Node ${process.version}`,
)
console.log(`  heap + external growth, MB: median ${fmt(growth.heap)}`)
console.log(`  RSS growth, MB:             median ${fmt(growth.rss)}`)
console.log(`  start + flood + call, ms:   median ${fmt(growth.ms)}`)
const bar = Math.max(median(growth.heap), median(growth.rss)) < 50
console.log(`  bar: growth under 50 MB (heap and RSS): ${bar ? 'PASS' : 'FAIL'}`)
