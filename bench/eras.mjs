// Protocol eras (issue 21): what the host's SDK v2 client and its protocol detection cost, each
// pair of variants interleaved in one process, the order alternating every round.
//   a  server-everything (an SDK v1 server) over stdio, start + 20 `echo` + stop:
//      this host pinned to 2025-11-25 / the v1-client host (`--before=PATH`, a dist of 0.2) <= 1.05
//   b  the same server and work: protocol 'auto' / pinned '2025-11-25'                      <= 1.05
//   c  a modern-only server (misbehavingServer('modern-only')), start + 20 calls + stop:
//      'auto' / pinned '2026-07-28'                                                        <= 1.05
//   d  the bundled dual-era weather server over stdio, start + first call:
//      pinned '2026-07-28' / pinned '2025-11-25' (reported: no initialize round trip, expect <= 1.0)
//
// `npm run build && node bench/eras.mjs [--rounds=N] [--warmup=N] [--scenarios=a,b,c,d] [--before=PATH]`
// (defaults 15, 2, all; `a` needs --before, e.g. a 0.2 build's directory holding dist/src/index.js).
// Leaves nothing running.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { sweep, track } from './lib/processes.mjs'
import { withRetry } from './lib/retry.mjs'
import { bootstrapInterval, median, printTable, summary } from './lib/stats.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
if (!existsSync(path.join(root, 'dist/src/index.js'))) {
  throw new Error('dist/src/index.js is missing: run `npm run build` first')
}
const options = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const match = /^--(rounds|warmup)=(\d+)$/.exec(arg) ?? /^--(scenarios|before)=(.+)$/.exec(arg)
    if (!match)
      throw new Error(
        `unknown argument ${arg}; expected --rounds=N --warmup=N --scenarios=a,b,c,d --before=PATH`,
      )
    return [match[1], /^\d+$/.test(match[2]) ? Number(match[2]) : match[2]]
  }),
)
const rounds = options.rounds ?? 15
const warmup = options.warmup ?? 2
const scenarios = (options.scenarios ?? (options.before ? 'a,b,c,d' : 'b,c,d')).split(',')
const BAR = 1.05

const now = await import('../dist/src/index.js')
const { misbehavingServer, weatherServer } = await import('../dist/src/servers/index.js')
const before = options.before
  ? await import(pathToFileURL(path.resolve(options.before, 'dist/src/index.js')).href)
  : undefined
if (scenarios.includes('a') && !before) throw new Error('scenario a needs --before=PATH (a 0.2 build)')

const everything = {
  transport: 'stdio',
  command: process.execPath,
  args: [
    path.join(
      path.dirname(
        createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/package.json'),
      ),
      'dist',
      'index.js',
    ),
    'stdio',
  ],
  shutdown: { graceMs: 3000 },
}
const echo = { name: 'echo', arguments: { message: 'bench' } }

/** Start, `calls` calls of `call`, stop through `HostManager` of `lib`; the total ms and the landed era. */
async function run(lib, server, call, calls) {
  const t0 = performance.now()
  const host = await lib.HostManager.start({ servers: { s: server } })
  track(host.server('s').pid)
  const era = host.server('s').era
  for (let i = 0; i < calls; i++) {
    const result = await host.callTool(call.name, call.arguments)
    if (result.isError) throw new Error(`${call.name} failed: ${JSON.stringify(result)}`)
  }
  const t1 = performance.now()
  await host.shutdown()
  return { total: performance.now() - t0, firstPart: t1 - t0, era }
}

const weatherCall = { name: 'weather_lookup', arguments: { location: 'London' } }
const SCENARIOS = {
  a: {
    title: 'server-everything stdio, start + 20 echo + stop: v2 client pinned 2025-11-25 / v1-client host',
    bar: BAR,
    variants: {
      now: () => run(now, { ...everything, protocol: '2025-11-25' }, echo, 20),
      before: () => run(before, everything, echo, 20),
    },
    ratio: ['now', 'before'],
  },
  b: {
    title: "server-everything stdio, start + 20 echo + stop: 'auto' / pinned 2025-11-25",
    bar: BAR,
    variants: {
      auto: () => run(now, { ...everything, protocol: 'auto' }, echo, 20),
      pinned: () => run(now, { ...everything, protocol: '2025-11-25' }, echo, 20),
    },
    ratio: ['auto', 'pinned'],
  },
  c: {
    title: "modern-only server stdio, start + 20 calls + stop: 'auto' / pinned 2026-07-28",
    bar: BAR,
    variants: {
      auto: () => run(now, { ...misbehavingServer('modern-only'), protocol: 'auto' }, weatherCall, 20),
      pinned: () =>
        run(now, { ...misbehavingServer('modern-only'), protocol: '2026-07-28' }, weatherCall, 20),
    },
    ratio: ['auto', 'pinned'],
  },
  d: {
    title: 'weather (dual-era) stdio, start + first call: pinned 2026-07-28 / pinned 2025-11-25 (reported)',
    key: 'firstPart',
    variants: {
      modern: () => run(now, { ...weatherServer(), protocol: '2026-07-28' }, weatherCall, 1),
      legacy: () => run(now, { ...weatherServer(), protocol: '2025-11-25' }, weatherCall, 1),
    },
    ratio: ['modern', 'legacy'],
  },
}

console.log(
  `eras bench: node ${process.version}, ${os.availableParallelism()} CPUs, load ${os.loadavg()[0].toFixed(2)}, ${warmup} warm-up + ${rounds} rounds, scenarios ${scenarios.join(',')}`,
)
try {
  for (const id of scenarios) {
    const scenario = SCENARIOS[id]
    if (!scenario) throw new Error(`unknown scenario ${id}`)
    const names = Object.keys(scenario.variants)
    const samples = Object.fromEntries(names.map((name) => [name, []]))
    const eras = new Set()
    for (let round = -warmup; round < rounds; round++) {
      for (let i = 0; i < names.length; i++) {
        const name = names[(i + round + warmup) % names.length]
        const sample = await withRetry(name, scenario.variants[name])
        eras.add(`${name}: ${sample.era ?? 'n/a'}`)
        if (round >= 0) samples[name].push(sample[scenario.key ?? 'total'])
      }
    }
    const [top, bottom] = scenario.ratio
    const ratios = samples[top].map((value, i) => value / samples[bottom][i])
    const [low, high] = bootstrapInterval(ratios, median, 0.9)
    const ratio = median(samples[top]) / median(samples[bottom])
    printTable(`${id}: ${scenario.title}`, [
      ...names.map((name) => ({ label: name, ...summary(samples[name]) })),
      {
        label: `${top} / ${bottom} (medians; paired 90% interval [${low.toFixed(3)}, ${high.toFixed(3)}])`,
        value: ratio.toFixed(3),
        ...(scenario.bar && { bar: `<= ${scenario.bar}`, pass: ratio <= scenario.bar }),
      },
      { label: 'landed eras', value: [...eras].join('; ') },
    ])
  }
} finally {
  const survivors = await sweep()
  if (survivors.length > 0) console.warn(`killed ${survivors.length} leftover processes: ${survivors}`)
  console.log(`load at the end ${os.loadavg()[0].toFixed(2)}`)
}
