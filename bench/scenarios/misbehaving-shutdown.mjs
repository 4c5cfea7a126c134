// Scenario 2: shutting down servers that ignore the end of stdin ('ignore-stdin-close') or also
// SIGTERM ('ignore-sigterm'), through our HostManager and through the SDK's close(). For the SDK,
// whether the server still runs the moment close() returns; the survivor is then SIGKILLed.
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { HostManager } from '../../dist/src/index.js'
import { misbehavingServer } from '../../dist/src/servers/index.js'
import { isAlive, killPid, lifeState, track, waitGone } from '../lib/processes.mjs'
import { withRetry } from '../lib/retry.mjs'

async function ours(kind) {
  const host = await HostManager.start({ servers: { s: misbehavingServer(kind) } })
  const pid = host.server('s').pid
  track(pid)
  const t0 = performance.now()
  await host.shutdown()
  const shutdown = performance.now() - t0
  return { shutdown, aliveAfter: isAlive(pid), stateAfter: lifeState(pid), killedAfter: false }
}

async function sdk(kind) {
  const { command, args } = misbehavingServer(kind)
  const transport = new StdioClientTransport({ command, args, stderr: 'ignore' })
  const client = new Client({ name: 'bench', version: '0.0.0' }, { capabilities: {} })
  await client.connect(transport)
  const pid = transport.pid
  track(pid)
  // The SDK's ChildProcess is private; read only to tell whether close() saw the exit before returning.
  const child = transport._process
  const t0 = performance.now()
  await client.close()
  const shutdown = performance.now() - t0
  const stateAfter = lifeState(pid)
  const exitSeenBySdk = child?.exitCode !== null || child?.signalCode !== null
  const aliveAfter = stateAfter === 'running'
  // The SDK may have sent SIGKILL without waiting for it: give that a moment, then kill it ourselves.
  let killedAfter = false
  if (isAlive(pid) && !(await waitGone(pid, 200))) {
    killedAfter = true
    if (!(await killPid(pid))) throw new Error(`${kind} server ${pid} survived SIGKILL`)
  }
  return { shutdown, aliveAfter, stateAfter, exitSeenBySdk, killedAfter }
}

/** `rounds` rounds per kind, each running ours and the SDK's once, alternating which goes first. */
export async function run({ kinds, rounds }) {
  const results = {}
  for (const kind of kinds) {
    const r = { ours: [], sdk: [] }
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? ['ours', 'sdk'] : ['sdk', 'ours']
      for (const who of order)
        r[who].push(await withRetry(`${kind} ${who}`, () => (who === 'ours' ? ours(kind) : sdk(kind))))
    }
    results[kind] = r
  }
  return results
}
