// Start + first call of the bundled stdio weather server: built on SDK 1.x (main's
// dist/example-servers/weather.mjs, the baseline) vs built on SDK v2 (this tree's), in the same run,
// variants alternated each round. Each sample: spawn, handshake, one `weather_lookup`, close (not timed).
// Rows: the 1.x client (today's host client) against each bundle on 2025-11-25, and a v2 client on each
// revision against the v2 bundle. Ratios are against the baseline row.
// `node bench/servers-v2.mjs [--rounds=N] [--baseline=<a 1.x-built weather.mjs>] [--v2=<a v2-built one>]` after `npm run build`.
import { existsSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Client as V2Client } from '@modelcontextprotocol/client'
import { StdioClientTransport as V2Stdio } from '@modelcontextprotocol/client/stdio'
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport as V1Stdio } from '@modelcontextprotocol/sdk/client/stdio.js'
import { printTable, summary } from './lib/stats.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const option = (name, fallback) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback
const rounds = Number(option('rounds', 15))
const baseline = option('baseline', '/work/main/dist/example-servers/weather.mjs')
const v2Bundle = option('v2', path.join(root, 'dist/example-servers/weather.mjs'))
for (const file of [baseline, v2Bundle]) {
  if (!existsSync(file)) throw new Error(`${file} is missing: build it first (npm run build)`)
}

/**
 * The SDK's StdioClientTransport as any other transport: given the base class itself, a v2 client that
 * negotiates (pin or auto) probes in a second, short-lived server process and then spawns the session's
 * (two starts per sample); wrapped, it probes in place on the one connection, as the host's own
 * transport does (`pid` and `stderr` make it a stdio-kind transport for the SDK).
 */
class InPlace {
  constructor(inner) {
    this.inner = inner
  }
  get pid() {
    return this.inner.pid
  }
  get stderr() {
    return this.inner.stderr
  }
  start() {
    this.inner.onmessage = (message, extra) => this.onmessage?.(message, extra)
    this.inner.onclose = () => this.onclose?.()
    this.inner.onerror = (error) => this.onerror?.(error)
    return this.inner.start()
  }
  send(message, options) {
    return this.inner.send(message, options)
  }
  close() {
    return this.inner.close()
  }
  setProtocolVersion(version) {
    this.inner.setProtocolVersion?.(version)
  }
}

const CALL = { name: 'weather_lookup', arguments: { location: 'London' } }

async function sample(makeClient, makeTransport, bundle) {
  const client = makeClient()
  const started = performance.now()
  await client.connect(makeTransport({ command: process.execPath, args: [bundle] }))
  const result = await client.callTool(CALL)
  const took = performance.now() - started
  if (!JSON.stringify(result).includes('Rainy'))
    throw new Error(`unexpected answer ${JSON.stringify(result)}`)
  await client.close()
  return took
}

const info = { name: 'bench', version: '1.0.0' }
const variants = [
  {
    label: '1.x-built (main), 1.x client, 2025-11-25 [baseline]',
    run: () =>
      sample(
        () => new V1Client(info),
        (p) => new V1Stdio(p),
        baseline,
      ),
  },
  {
    label: 'v2-built, 1.x client, 2025-11-25',
    run: () =>
      sample(
        () => new V1Client(info),
        (p) => new V1Stdio(p),
        v2Bundle,
      ),
  },
  {
    label: 'v2-built, v2 client, 2025-11-25',
    run: () =>
      sample(
        () => new V2Client(info, { versionNegotiation: { mode: 'legacy' } }),
        (p) => new V2Stdio(p),
        v2Bundle,
      ),
  },
  {
    label: 'v2-built, v2 client, 2026-07-28',
    run: () =>
      sample(
        () => new V2Client(info, { versionNegotiation: { mode: { pin: '2026-07-28' } } }),
        (p) => new InPlace(new V2Stdio(p)),
        v2Bundle,
      ),
  },
]

const samples = variants.map(() => [])
// One warm-up round (disk cache), not counted.
for (const variant of variants) await variant.run()
for (let round = 0; round < rounds; round++) {
  for (const [i, variant] of variants.entries()) samples[i].push(await variant.run())
}
const base = summary(samples[0]).median
const rows = variants.map((variant, i) => {
  const s = summary(samples[i])
  return { label: variant.label, ...s, value: i === 0 ? '1.00' : (s.median / base).toFixed(2) }
})
const kb = (file) => `${(statSync(file).size / 1024).toFixed(0)} kB`
printTable(
  `start + first call, bundled stdio weather server (${rounds} rounds; load ${os.loadavg()[0].toFixed(1)}; ` +
    `bundles ${kb(baseline)} vs ${kb(v2Bundle)})`,
  rows,
)
