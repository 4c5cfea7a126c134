// Scenario 1: start + one call (weather_lookup London) + shutdown of the bundled weather server,
// through our HostManager and through the raw SDK, next to a bare `node -e ""` spawn → exit;
// interleaved in one process, the order rotated every round.
import { spawn } from 'node:child_process'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { weatherServer } from '../../dist/src/servers/index.js'
import { isAlive, serverEnv, track, waitGone } from '../lib/processes.mjs'
import { withRetry } from '../lib/retry.mjs'
import { expectLondon, timeHost } from '../lib/weather-run.mjs'

function ours() {
  return timeHost(weatherServer())
}

async function sdk() {
  const { command, args } = weatherServer()
  const t0 = performance.now()
  const transport = new StdioClientTransport({ command, args })
  const client = new Client({ name: 'bench', version: '0.0.0' }, { capabilities: {} })
  await client.connect(transport)
  const t1 = performance.now()
  const pid = transport.pid
  track(pid)
  expectLondon(await client.callTool({ name: 'weather_lookup', arguments: { location: 'London' } }))
  const t2 = performance.now()
  await client.close()
  const t3 = performance.now()
  return { total: t3 - t0, start: t1 - t0, call: t2 - t1, shutdown: t3 - t2, aliveAfter: isAlive(pid), pid }
}

/** `node -e ""` spawn → exit, with the servers' minimal environment or with ours (`inherit`). */
function bare(env) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, ['-e', ''], { env, stdio: 'pipe' })
    track(child.pid)
    child.once('error', reject)
    child.once('exit', (code) => {
      const total = performance.now() - t0
      if (code === 0) resolve({ total })
      else reject(new Error(`node -e "" exited with ${code}`))
    })
  })
}

export const variants = {
  ours,
  sdk,
  bare: () => bare(serverEnv),
  'bare-inherited-env': () => bare(process.env),
}

/**
 * Runs `warmup` unrecorded rounds, then `rounds` recorded ones; each round runs every variant once,
 * starting one further along each time. Returns the samples of each variant.
 */
export async function run({ rounds, warmup }) {
  const names = Object.keys(variants)
  const samples = Object.fromEntries(names.map((n) => [n, []]))
  for (let round = -warmup; round < rounds; round++) {
    const offset = ((round % names.length) + names.length) % names.length
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + offset) % names.length]
      const sample = await withRetry(name, variants[name])
      if (round >= 0) samples[name].push(sample)
    }
  }
  // The SDK's close() returns before its child exits: let those exit before anything else runs.
  for (const s of samples.sdk) if (s.aliveAfter) await waitGone(s.pid, 5000)
  return samples
}
