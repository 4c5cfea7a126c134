// Streamable HTTP, spawned: start + one call + shutdown of a spawned HTTP server, through our
// HostManager and through the raw SDK (spawn with PORT, initialize retried until it listens,
// StreamableHTTPClientTransport, terminateSession + close, SIGTERM), interleaved in one process, the
// order alternating every round. Leaves nothing running.
// --server=weather (default): the bundled weather-http server, weather_lookup London.
// --server=everything: @modelcontextprotocol/server-everything (a real third-party server that never
//   reads stdin), `echo`.
//
// `npm run build && node bench/http.mjs [--rounds=N] [--warmup=N] [--server=weather|everything]`
// (defaults 20, 2, weather).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import path from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { isAlive, serverEnv, sweep, track, waitGone } from './lib/processes.mjs'
import { withRetry } from './lib/retry.mjs'
import { printTable, summary } from './lib/stats.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
if (!existsSync(path.join(root, 'dist/src/index.js'))) {
  throw new Error('dist/src/index.js is missing: run `npm run build` first')
}
const { expectLondon, timeHost } = await import('./lib/weather-run.mjs')
const { weatherHttpServer } = await import('../dist/src/servers/index.js')

const options = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const match = /^--(rounds|warmup)=(\d+)$/.exec(arg) ?? /^--(server)=(weather|everything)$/.exec(arg)
    if (!match)
      throw new Error(`unknown argument ${arg}; expected --rounds=N --warmup=N --server=weather|everything`)
    return [match[1], match[1] === 'server' ? match[2] : Number(match[2])]
  }),
)
const rounds = options.rounds ?? 20
const warmup = options.warmup ?? 2
const BAR = 1.1

/** The server under test: its spawned config, the call made, and the check of its answer. */
const target =
  options.server === 'everything'
    ? {
        label: 'server-everything streamableHttp, echo',
        config: {
          transport: 'http',
          command: process.execPath,
          args: [
            path.join(
              path.dirname(
                createRequire(import.meta.url).resolve(
                  '@modelcontextprotocol/server-everything/package.json',
                ),
              ),
              'dist',
              'index.js',
            ),
            'streamableHttp',
          ],
        },
        call: { name: 'echo', arguments: { message: 'bench' } },
        check: (result) => {
          if (!JSON.stringify(result).includes('bench'))
            throw new Error(`unexpected echo: ${JSON.stringify(result)}`)
        },
      }
    : {
        label: 'weather-http bundle, weather_lookup London',
        config: weatherHttpServer(),
        call: { name: 'weather_lookup', arguments: { location: 'London' } },
        check: expectLondon,
      }

function ours() {
  return timeHost(target.config, target.call, target.check)
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/**
 * What a careful user of the raw SDK writes: spawn, then initialize until it listens (the same
 * pauses as ours: 2, 4, 8, then 10 ms). `awaitExit`: also wait for the process to exit after
 * SIGTERM, as our shutdown does (informational: the bar compares with the plain variant).
 */
async function sdk(awaitExit = false) {
  const { command, args } = target.config
  const t0 = performance.now()
  const port = await freePort()
  const child = spawn(command, args, { env: { ...serverEnv, PORT: String(port) }, stdio: 'pipe' })
  child.stdout.resume()
  child.stderr.resume()
  track(child.pid)
  const url = new URL(`http://127.0.0.1:${port}/mcp`)
  let client
  let transport
  for (let pause = 2; ; pause = Math.min(pause * 2, 10)) {
    transport = new StreamableHTTPClientTransport(url)
    client = new Client({ name: 'bench', version: '0.0.0' }, { capabilities: {} })
    try {
      await client.connect(transport)
      break
    } catch (error) {
      await client.close()
      if (!(error instanceof TypeError) || performance.now() - t0 > 30_000) throw error
      await delay(pause)
    }
  }
  const t1 = performance.now()
  target.check(await client.callTool(target.call))
  const t2 = performance.now()
  await transport.terminateSession()
  await client.close()
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  if (awaitExit) await exited
  const t3 = performance.now()
  return {
    total: t3 - t0,
    start: t1 - t0,
    call: t2 - t1,
    shutdown: t3 - t2,
    aliveAfter: isAlive(child.pid),
    pid: child.pid,
  }
}

const variants = { ours, sdk: () => sdk(), 'sdk-exit': () => sdk(true) }
const names = Object.keys(variants)
const samples = Object.fromEntries(names.map((name) => [name, []]))
console.log(
  `http bench (${target.label}): node ${process.version}, ${warmup} warm-up + ${rounds} rounds of ${names.join(', ')}`,
)
try {
  for (let round = -warmup; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round + warmup) % names.length]
      const sample = await withRetry(name, variants[name])
      if (round >= 0) samples[name].push(sample)
      // The SDK's kill returns before its child exits: let it exit before the next sample runs.
      if (sample.aliveAfter) await waitGone(sample.pid, 5000)
    }
  }
} finally {
  const survivors = await sweep()
  if (survivors.length > 0) console.warn(`killed ${survivors.length} leftover processes: ${survivors}`)
}

const pick = (name, key) => samples[name].map((s) => s[key])
const o = summary(pick('ours', 'total'))
const s = summary(pick('sdk', 'total'))
printTable(`spawned Streamable HTTP (${target.label}): start + call + shutdown (interleaved rounds)`, [
  { label: 'ours (HostManager)', ...o },
  { label: 'raw SDK (StreamableHTTPClientTransport)', ...s },
  { label: 'raw SDK, awaiting the exit after SIGTERM', ...summary(pick('sdk-exit', 'total')) },
  ...['start', 'call', 'shutdown'].flatMap((phase) => [
    { label: `  ours: ${phase}`, ...summary(pick('ours', phase)) },
    { label: `  raw SDK: ${phase}`, ...summary(pick('sdk', phase)) },
    { label: `  raw SDK awaiting exit: ${phase}`, ...summary(pick('sdk-exit', phase)) },
  ]),
  {
    label: 'ours / raw SDK (medians)',
    value: (o.median / s.median).toFixed(2),
    bar: `<= ${BAR}`,
    pass: o.median / s.median <= BAR,
  },
  {
    label: 'ours / raw SDK awaiting exit (medians)',
    value: (o.median / summary(pick('sdk-exit', 'total')).median).toFixed(2),
  },
  {
    label: 'servers still running after shutdown/close',
    value: `ours ${samples.ours.filter((x) => x.aliveAfter).length}/${samples.ours.length}, SDK ${samples.sdk.filter((x) => x.aliveAfter).length}/${samples.sdk.length}`,
  },
])
