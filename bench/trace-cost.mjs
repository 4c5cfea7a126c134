// What `trace: true` costs, in one process: the FACTS workloads with and without a handle trace.
// `node bench/trace-cost.mjs` after `npm run build`, or --module=PATH for a trace.js built elsewhere.
// Options: --rounds=N (default 3). Prints medians in ms and ratios; leaves nothing running.
//
// Modes, interleaved round by round after a first pure baseline:
//   pure      nothing watching (measured first: on Node 20 an AsyncLocalStorage that ran once
//             keeps its own hook enabled for the life of the process, as in every Vitest worker)
//   baseline  no trace, outside any attribution
//   other     a trace active for another owner: what tracing one test costs everything else
//   owner     no trace, inside runAttributed(owner): the fair baseline of the next mode
//   traced    a trace active and the workload inside its owner: the traced test itself
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import v8 from 'node:v8'
import vm from 'node:vm'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const options = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const match = /^--([\w-]+)=(.*)$/.exec(arg)
    if (!match) throw new Error(`unknown argument ${arg}; expected --rounds=N --module=PATH`)
    return [match[1], match[2]]
  }),
)
const rounds = Number(options.rounds ?? 3)
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer')
const tracePath = path.resolve(options.module ?? path.join(root, 'dist/src/plugin/worker/trace.js'))
const { startHandleTrace } = await import(pathToFileURL(tracePath).href)
const { runAttributed } = await import(
  pathToFileURL(path.join(path.dirname(tracePath), '../../scope/index.js')).href
)

const workloads = {
  '2M await null': async () => {
    for (let i = 0; i < 2_000_000; i++) await null
  },
  '200k setImmediate': () =>
    new Promise((resolve) => {
      let left = 200_000
      const next = () => (--left === 0 ? resolve() : setImmediate(next))
      setImmediate(next)
    }),
  '2k setTimeout(0)': () =>
    Promise.all(Array.from({ length: 2_000 }, () => new Promise((resolve) => setTimeout(resolve, 0)))),
}

// A full collection before each sample, so one mode's garbage is not charged to the next.
v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc')

const owner = { label: 'test "traced"', shared: false }
const other = { label: 'test "other"', shared: false }

async function timed(work, mode) {
  gc()
  const trace =
    mode === 'other' ? startHandleTrace(other) : mode === 'traced' ? startHandleTrace(owner) : null
  const start = performance.now()
  await (mode === 'owner' || mode === 'traced' ? runAttributed(owner, work) : work())
  const ms = performance.now() - start
  const leaks = trace ? await trace.stop({ turns: 1, graceMs: 0 }) : []
  if (leaks.length > 0) throw new Error(`the workload leaked: ${leaks.map((leak) => leak.kind).join(', ')}`)
  return ms
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const modes = ['baseline', 'other', 'owner', 'traced']
const samples = Object.fromEntries(Object.keys(workloads).map((name) => [name, { pure: [] }]))
for (const [name, work] of Object.entries(workloads)) {
  await work() // warm up the JIT before the pure rounds
  for (let round = 0; round < rounds; round++) samples[name].pure.push(await timed(work, 'pure'))
}
for (let round = 0; round < rounds; round++) {
  for (const [name, work] of Object.entries(workloads)) {
    for (const mode of modes) (samples[name][mode] ??= []).push(await timed(work, mode))
  }
}

console.log(`trace cost, Node ${process.version}, ${rounds} rounds, medians in ms (${tracePath})`)
const ratio = (a, b) => `${(a / b).toFixed(2)}x`
const header = ['workload', 'pure', ...modes, 'other/baseline', 'traced/owner', 'traced/pure']
const rows = Object.entries(samples).map(([name, s]) => {
  const m = Object.fromEntries(Object.entries(s).map(([mode, values]) => [mode, median(values)]))
  return [
    name,
    ...['pure', ...modes].map((mode) => m[mode].toFixed(0)),
    ratio(m.other, m.baseline),
    ratio(m.traced, m.owner),
    ratio(m.traced, m.pure),
  ]
})
const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i].length)))
for (const row of [header, ...rows]) console.log(row.map((cell, i) => cell.padStart(widths[i])).join('  '))
