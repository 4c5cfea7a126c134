// What the wire check costs on a host's connections (issue 22 item 7), variants interleaved, the
// order alternating every round:
//   a  the bundled weather server over stdio, one host: start + 200 `weather_lookup` + stop,
//      host `wire: 'error'` / `wire: 'off'`                                                <= 1.10
//   b  a test file's host, in a fresh Node process each: import the package, start the weather
//      server in memory, one call, stop, exit; `wire: 'error'` / `wire: 'off'` (whole process wall
//      time: the first check's method tables and schema compilation included)              <= 1.05
//   c  as b, the package's import alone: this build / `--before=PATH` (a build without the host's
//      check, e.g. /work/main; reported): what loading the validators adds to a file that uses the host
//
// `npm run build && node bench/wire-host.mjs [--rounds=N] [--calls=N] [--before=PATH]` (defaults 11,
// 200, none). Leaves nothing running.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { sweep, track } from './lib/processes.mjs'
import { bootstrapInterval, median, printTable } from './lib/stats.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const entry = path.join(root, 'dist/src/index.js')
if (!existsSync(entry)) throw new Error('dist/src/index.js is missing: run `npm run build` first')
const options = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const match = /^--(rounds|calls)=(\d+)$/.exec(arg) ?? /^--(before)=(.+)$/.exec(arg)
    if (!match) throw new Error(`unknown argument ${arg}; expected --rounds=N --calls=N --before=PATH`)
    return [match[1], /^\d+$/.test(match[2]) ? Number(match[2]) : match[2]]
  }),
)
const rounds = options.rounds ?? 11
const calls = options.calls ?? 200
const before = options.before && path.resolve(options.before, 'dist/src/index.js')
const run = promisify(execFile)

const { HostManager } = await import(pathToFileURL(entry).href)
const { weatherServer } = await import(pathToFileURL(path.join(root, 'dist/src/servers/index.js')).href)

/** a: one host, `calls` calls over stdio; ms. */
async function session(wire) {
  const t0 = performance.now()
  const host = await HostManager.start({ wire, servers: { weather: weatherServer() } })
  track(host.server('weather').pid)
  for (let i = 0; i < calls; i++) await host.callTool('weather_lookup', { location: 'London' })
  await host.shutdown()
  if (host.wireLedger.list().length > 0) throw new Error('the weather server broke a rule')
  return performance.now() - t0
}

/** b and c: a fresh process importing `lib` (and with `wire`, running a one-call host); wall ms. */
async function fresh(lib, wire) {
  const script = `
    const { HostManager } = await import(${JSON.stringify(pathToFileURL(lib).href)})
    if (${JSON.stringify(wire ?? null)}) {
      const { weatherMemoryServer } = await import(${JSON.stringify(pathToFileURL(path.join(root, 'dist/src/servers/index.js')).href)})
      const host = await HostManager.start({ wire: ${JSON.stringify(wire)}, servers: { w: weatherMemoryServer() } })
      await host.callTool('weather_lookup', { location: 'London' })
      await host.shutdown()
    }`
  const t0 = performance.now()
  await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root, timeout: 60_000 })
  return performance.now() - t0
}

const scenarios = [
  {
    id: 'a',
    title: `stdio weather, start + ${calls} calls + stop`,
    bar: 1.1,
    on: () => session('error'),
    off: () => session('off'),
  },
  {
    id: 'b',
    title: 'fresh process: import, memory host, 1 call, stop',
    bar: 1.05,
    on: () => fresh(entry, 'error'),
    off: () => fresh(entry, 'off'),
  },
]
if (before)
  scenarios.push({
    id: 'c',
    title: `fresh process: import only, this build / ${options.before}`,
    on: () => fresh(entry),
    off: () => fresh(before),
  })

const rows = []
try {
  for (const s of scenarios) {
    // One warm-up pair: the first spawn of a process pays the disk cache.
    await s.on()
    await s.off()
    const on = []
    const off = []
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) {
        on.push(await s.on())
        off.push(await s.off())
      } else {
        off.push(await s.off())
        on.push(await s.on())
      }
    }
    const ratios = on.map((v, i) => v / off[i])
    const [lo, hi] = bootstrapInterval(ratios, median, 0.9)
    const ratio = median(ratios)
    rows.push({
      label: `${s.id} ${s.title}: on`,
      n: on.length,
      median: median(on),
    })
    rows.push({ label: `${s.id} off`, n: off.length, median: median(off) })
    rows.push({
      label: `${s.id} on / off (paired median [90 %])`,
      value: `${ratio.toFixed(3)} [${lo.toFixed(3)}, ${hi.toFixed(3)}]`,
      ...(s.bar ? { bar: `<= ${s.bar}`, pass: ratio <= s.bar } : {}),
    })
  }
} finally {
  await sweep()
}
printTable(`wire check on / off, ${rounds} rounds (Node ${process.version})`, rows)
