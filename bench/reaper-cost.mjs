// What the reaper costs. (1) The reaper process itself, started as a Vitest process starts it:
// the synchronous spawn() call on the first spawn of ours, and the CPU its start takes (on another
// core when there is one). (2) In a real Vitest suite where every test file (a fresh worker) starts a
// stdio server, so every worker starts its own reaper: the whole run with `hostManager` against the
// raw SDK doing the same work in the same files (paired per round). Run it on a build from before the
// reaper (`--dist=PATH`) to compare the ratio.
// `node bench/reaper-cost.mjs [--rounds=N] [--dist=PATH]` after `npm run build`. Leaves nothing running.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { bootstrapInterval, median, printTable, summary } from './lib/stats.mjs'
import { createSuite, dist, root } from './lib/vitest-suite.mjs'

const options = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')))
const rounds = Number(options.rounds ?? 8)
const FILES = 20
const STARTS = 15

/** CPU (user + system) of `pid` so far, in ms: /proc/<pid>/stat fields 14 and 15, in clock ticks. */
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
}

/** The reaper spawned STARTS times as reaper-client.ts spawns it; idle once started; then let go. */
async function reaperStarts() {
  const script = path.join(root, 'dist', 'src', 'launchers', 'reaper.js')
  const spawnMs = []
  const startCpuMs = []
  for (let i = 0; i < STARTS; i++) {
    const started = performance.now()
    const child = spawn(process.execPath, [script], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      env: { VITEST_MCP_HOST_REAPER_FOR: `${process.pid}:0` },
    })
    spawnMs.push(performance.now() - started)
    const exited = new Promise((resolve) => child.once('exit', resolve))
    // Started and idle, waiting on its pipe: what it cost so far is its start.
    await delay(300)
    startCpuMs.push(cpuMs(child.pid))
    child.stdin.end()
    await exited
  }
  return { spawnMs, startCpuMs }
}

const FIXTURE = `import { test as base, expect } from 'vitest'
import { hostManager } from ${dist('')}
import { weatherServer } from ${dist('servers')}
const test = base.extend({ hostManager: hostManager({ servers: { weather: weatherServer() } }) })
test('london', async ({ hostManager }) => {
  expect((await hostManager.callTool('weather_lookup', { location: 'London' })).content[0].text).toContain('Rainy')
})
`
const SDK = `import { expect, test } from 'vitest'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { weatherServer } from ${dist('servers')}
test('london', async () => {
  const { command, args } = weatherServer()
  const client = new Client({ name: 'bench', version: '1.0.0' })
  await client.connect(new StdioClientTransport({ command, args }))
  const result = await client.callTool({ name: 'weather_lookup', arguments: { location: 'London' } })
  expect(result.content[0].text).toContain('Rainy')
  await client.close()
})
`

function suiteRuns() {
  const files = {}
  for (let i = 0; i < FILES; i++) {
    files[`ours-${i}.test.mjs`] = FIXTURE
    files[`sdk-${i}.test.mjs`] = SDK
  }
  const suite = createSuite('reaper', files, [], options.dist)
  for (const variant of ['ours', 'sdk']) suite.config(variant, `${variant}-*.test.mjs`)
  const samples = { ours: [], sdk: [] }
  try {
    suite.run('ours', FILES)
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? ['sdk', 'ours'] : ['ours', 'sdk']
      for (const variant of order) samples[variant][round] = suite.run(variant, FILES).wall
    }
  } finally {
    suite.remove()
  }
  return samples
}

const { spawnMs, startCpuMs } = await reaperStarts()
const samples = suiteRuns()
const ratios = samples.ours.map((ours, round) => ours / samples.sdk[round])
const ratio = median(ratios)
const [low, high] = bootstrapInterval(ratios, median, 0.9)
printTable(
  `The reaper (node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)})`,
  [
    { label: 'spawn() of the reaper, synchronous part', ...summary(spawnMs) },
    { label: 'CPU of its start (user + system)', ...summary(startCpuMs) },
  ],
)
printTable(
  `${FILES} files, one stdio server each (a worker and a reaper per file), ${rounds} rounds${options.dist ? `, dist ${options.dist}` : ''}`,
  [
    { label: 'hostManager: whole run', ...summary(samples.ours) },
    { label: 'raw SDK: whole run', ...summary(samples.sdk) },
    {
      label: 'hostManager / raw SDK (paired median, 90% interval)',
      value: `${ratio.toFixed(3)} [${low.toFixed(3)}, ${high.toFixed(3)}]`,
      bar: `<= ${BAR}`,
      pass: ratio <= BAR,
    },
  ],
)
