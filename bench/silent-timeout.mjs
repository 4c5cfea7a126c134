// A call with `timeout: 1000` to a stdio server that answers initialize and then nothing: how long
// until it rejects, through our host (one server; two, so that routing must list) and through the
// raw SDK client (the baseline: its own per-request timeout). Before issue 7 ours took ~61 s.
// `node bench/silent-timeout.mjs [--rounds=N]` after `npm run build`. Leaves nothing running.
import { rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { HostManager } from '../dist/src/index.js'
import { weatherServer } from '../dist/src/servers/index.js'
import { printTable, summary } from './lib/stats.mjs'

const rounds = Number(/^--rounds=(\d+)$/.exec(process.argv[2] ?? '')?.[1] ?? 5)
const TIMEOUT = 1000

// Answers initialize (with tools), then reads and ignores everything; exits when stdin ends.
const SILENT = `let buffer = ''
process.stdin.setEncoding('utf8').on('data', (text) => {
  buffer += text
  for (let end = buffer.indexOf('\\n'); end !== -1; end = buffer.indexOf('\\n')) {
    const message = JSON.parse(buffer.slice(0, end))
    buffer = buffer.slice(end + 1)
    if (message.method === 'initialize') {
      const result = { protocolVersion: message.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'silent', version: '1' } }
      process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }) + '\\n')
    }
  }
}).on('end', () => process.exit(0))
`
const script = path.join(os.tmpdir(), `vitest-mcp-host-silent-${process.pid}.mjs`)
writeFileSync(script, SILENT)
const silent = { transport: 'stdio', command: process.execPath, args: [script] }

async function timed(call) {
  const started = performance.now()
  try {
    await call()
  } catch (error) {
    if (error?.code !== -32001) throw error
    return performance.now() - started
  }
  throw new Error('the call to the silent server resolved')
}

async function ours(servers) {
  const host = await HostManager.start({ servers })
  try {
    return await timed(() => host.callTool('weather_lookup', {}, { timeout: TIMEOUT }))
  } finally {
    await host.shutdown()
  }
}

const variants = {
  'ours, one server': () => ours({ silent }),
  'ours, two servers (routing lists first)': () => ours({ silent, weather: weatherServer() }),
  'raw SDK client': async () => {
    const client = new Client({ name: 'bench', version: '0' }, { capabilities: {} })
    await client.connect(new StdioClientTransport({ command: silent.command, args: silent.args }))
    try {
      return await timed(() =>
        client.callTool({ name: 'weather_lookup', arguments: {} }, undefined, { timeout: TIMEOUT }),
      )
    } finally {
      await client.close()
    }
  },
}

const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]))
try {
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(variants)) samples[name].push(await run())
  }
} finally {
  rmSync(script, { force: true })
}
console.log(`silent server, timeout ${TIMEOUT} ms, ${rounds} rounds, node ${process.version}`)
printTable(
  'time until the call rejects',
  Object.entries(samples).map(([label, values]) => ({ label, ...summary(values) })),
)
