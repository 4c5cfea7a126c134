// Benchmarks of the bars: `npm run bench` (builds first) or `node bench/run.mjs` after
// `npm run build`. Prints medians, p90s and ratios with PASS/FAIL per bar. Exits non-zero only when
// the benchmark itself fails, never for a missed bar. Leaves nothing running.
//
// Options: --rounds=N (scenario 1, default 25), --warmup=N (unrecorded rounds first, default 2),
// --slow-rounds=N (misbehaving servers; default 5 for ignore-stdin-close, 3 for ignore-sigterm),
// --json=FILE (also write every sample).
import { existsSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sweep } from './lib/processes.mjs'
import { retries } from './lib/retry.mjs'
import { printTable, summary } from './lib/stats.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const options = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const match = /^--([\w-]+)=(.*)$/.exec(arg)
    if (!match)
      throw new Error(`unknown argument ${arg}; expected --rounds=N --warmup=N --slow-rounds=N --json=FILE`)
    return [match[1], match[2]]
  }),
)
const int = (name, fallback) => {
  const value = options[name] === undefined ? fallback : Number(options[name])
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer`)
  return value
}

const BARS = {
  vsSdk: 1.1,
  vsBare: 1.6,
  stdinCloseVsSdk: 0.35,
  sigtermMs: 1500,
  cooperativeShutdownMs: 50,
}

function machine() {
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    loadavg: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    extraCaCerts: process.env.NODE_EXTRA_CA_CERTS !== undefined,
  }
}

const pick = (samples, key) => samples.map((s) => s[key])
const ratio = (a, b) => a / b

async function main() {
  if (!existsSync(path.join(root, 'dist/src/index.js'))) {
    throw new Error('dist/src/index.js is missing: run `npm run build` first')
  }
  const { bundlePath } = await import('../dist/src/servers/index.js')
  bundlePath('weather') // throws if the bundles are missing
  bundlePath('misbehaving')
  const rounds = int('rounds', 25)
  const warmup = int('warmup', 2)
  const stdinRounds = int('slow-rounds', 5)
  const sigtermRounds = int('slow-rounds', 3)
  const before = machine()
  console.log(
    `vitest-mcp-host bench: node ${before.node}, ${before.platform}, ${before.cpus} CPUs (${before.cpu}), load ${before.loadavg}`,
  )

  const startCall = await import('./scenarios/start-call-shutdown.mjs')
  const misbehaving = await import('./scenarios/misbehaving-shutdown.mjs')

  console.log(
    `scenario 1: ${warmup} warm-up + ${rounds} rounds of ${Object.keys(startCall.variants).join(', ')} ...`,
  )
  const s1 = await startCall.run({ rounds, warmup })
  console.log(
    `scenario 2: ignore-stdin-close x${stdinRounds}, ignore-sigterm x${sigtermRounds} (ours and SDK) ...`,
  )
  const s2 = {
    ...(await misbehaving.run({ kinds: ['ignore-stdin-close'], rounds: stdinRounds })),
    ...(await misbehaving.run({ kinds: ['ignore-sigterm'], rounds: sigtermRounds })),
  }
  const after = machine()

  const total = (name) => summary(pick(s1[name], 'total'))
  const ours = total('ours')
  const sdk = total('sdk')
  const bare = total('bare')
  const bareInherited = total('bare-inherited-env')
  printTable('start + weather_lookup London + shutdown (weather server, interleaved rounds)', [
    { label: 'ours (HostManager)', ...ours },
    { label: 'raw SDK (Client + StdioClientTransport)', ...sdk },
    { label: 'bare node -e "" (servers\' env)', ...bare },
    { label: 'bare node -e "" (inherited env)', ...bareInherited },
    {
      label: 'ours / raw SDK (medians)',
      value: ratio(ours.median, sdk.median).toFixed(2),
      bar: `<= ${BARS.vsSdk}`,
      pass: ratio(ours.median, sdk.median) <= BARS.vsSdk,
    },
    {
      label: 'ours / bare, same env (medians)',
      value: ratio(ours.median, bare.median).toFixed(2),
      bar: `<= ${BARS.vsBare}`,
      pass: ratio(ours.median, bare.median) <= BARS.vsBare,
    },
    {
      label: 'ours / bare, inherited env (medians)',
      value: ratio(ours.median, bareInherited.median).toFixed(2),
      bar: `(<= ${BARS.vsBare})`,
    },
  ])

  const phases = (name) =>
    ['start', 'call', 'shutdown'].map((phase) => ({
      label: `${name === 'ours' ? 'ours' : 'raw SDK'}: ${phase}`,
      ...summary(pick(s1[name], phase)),
    }))
  const coop = summary(pick(s1.ours, 'shutdown'))
  printTable('phases of scenario 1', [
    ...phases('ours'),
    ...phases('sdk'),
    {
      label: 'ours: cooperative shutdown (weather)',
      ...coop,
      value: `${coop.median.toFixed(1)} ms`,
      bar: `< ${BARS.cooperativeShutdownMs} ms`,
      pass: coop.median < BARS.cooperativeShutdownMs,
    },
    {
      label: 'servers still running after shutdown/close',
      value: `ours ${s1.ours.filter((s) => s.aliveAfter).length}/${s1.ours.length}, SDK ${s1.sdk.filter((s) => s.aliveAfter).length}/${s1.sdk.length}`,
    },
  ])

  const stdin = s2['ignore-stdin-close']
  const stdinOurs = summary(pick(stdin.ours, 'shutdown'))
  const stdinSdk = summary(pick(stdin.sdk, 'shutdown'))
  const sig = s2['ignore-sigterm']
  const sigOurs = summary(pick(sig.ours, 'shutdown'))
  const sigSdk = summary(pick(sig.sdk, 'shutdown'))
  const states = (samples) => {
    const counts = {}
    for (const s of samples) counts[s.stateAfter] = (counts[s.stateAfter] ?? 0) + 1
    return Object.entries(counts)
      .map(([state, n]) => `${state} ${n}/${samples.length}`)
      .join(', ')
  }
  const alive = (samples) => `${samples.filter((s) => s.aliveAfter).length}/${samples.length}`
  printTable('shutdown of misbehaving servers (default shutdown options: graceMs 500, termMs 500)', [
    { label: 'ignore-stdin-close: ours shutdown()', ...stdinOurs },
    { label: 'ignore-stdin-close: SDK close()', ...stdinSdk },
    {
      label: 'ignore-stdin-close: ours / SDK (medians)',
      value: ratio(stdinOurs.median, stdinSdk.median).toFixed(2),
      bar: `<= ${BARS.stdinCloseVsSdk}`,
      pass: ratio(stdinOurs.median, stdinSdk.median) <= BARS.stdinCloseVsSdk,
    },
    {
      label: 'ignore-stdin-close: running after return',
      value: `ours ${alive(stdin.ours)}, SDK ${alive(stdin.sdk)}`,
    },
    {
      label: 'ignore-sigterm: ours shutdown()',
      ...sigOurs,
      value: `all gone: ${sig.ours.every((s) => !s.aliveAfter) ? 'yes' : 'NO'}`,
      bar: `< ${BARS.sigtermMs} ms, gone`,
      pass: sigOurs.median < BARS.sigtermMs && sig.ours.every((s) => !s.aliveAfter),
    },
    { label: 'ignore-sigterm: SDK close()', ...sigSdk },
    {
      label: 'ignore-sigterm: running after return',
      value: `ours ${alive(sig.ours)}, SDK ${alive(sig.sdk)}`,
    },
    {
      label: 'ignore-sigterm: SDK server right after close()',
      value: states(sig.sdk),
    },
    {
      label: 'ignore-sigterm: SDK saw the exit before returning',
      value: `${sig.sdk.filter((s) => s.exitSeenBySdk).length}/${sig.sdk.length}`,
    },
    {
      label: 'ignore-sigterm: SDK survivors we SIGKILLed',
      value: `${sig.sdk.filter((s) => s.killedAfter).length}/${sig.sdk.length} (rest died of the SDK's late SIGKILL)`,
    },
  ])

  console.log(
    `\nload average before ${before.loadavg}, after ${after.loadavg}; samples retried: ${retries()}`,
  )
  if (bareInherited.median > 1.3 * bare.median) {
    console.log(
      `note: a bare node with this process's environment starts ${(bareInherited.median - bare.median).toFixed(0)} ms slower` +
        `${before.extraCaCerts ? ' (NODE_EXTRA_CA_CERTS is set: Node 20 loads the CA store at startup)' : ''}.\n` +
        '      The servers (ours and the SDK\'s) get a minimal environment, so "same env" is the fair baseline.',
    )
  }
  if (options.json) {
    writeFileSync(
      options.json,
      `${JSON.stringify({ machine: before, after, bars: BARS, s1, s2 }, null, 1)}\n`,
    )
    console.log(`samples written to ${options.json}`)
  }
}

let failed = false
try {
  await main()
} catch (error) {
  failed = true
  console.error('bench failed:', error)
} finally {
  const killed = await sweep().catch((error) => {
    failed = true
    console.error('cleanup failed:', error)
    return []
  })
  if (killed.length > 0) console.log(`cleanup: killed leftover process(es) ${killed.join(', ')}`)
  else console.log('cleanup: nothing left running')
}
process.exitCode = failed ? 1 : 0
