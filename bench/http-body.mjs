// The test process's memory under an HTTP server's huge answer: a 200 MB JSON body, and one 200 MB SSE
// event, read by the host (capped at 64 MiB) and, as the baseline in the same run, by the raw SDK
// client (reads it all). `node bench/http-body.mjs` after `npm run build`. Options: --mb=N (default
// 200), --rounds=N (default 3).
//
// Each measurement runs in a fresh Node process (so one's peak cannot hide in another's): it starts a
// client on the big-answer server (a separate process), makes one small call, then resets the kernel's
// peak-RSS mark (/proc/self/clear_refs) and makes the big call. Growth = peak RSS during the call
// (VmHWM) minus RSS before it. The order of host and SDK alternates between rounds.
import { execFile, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { median } from './lib/stats.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const MB = 1024 * 1024

/** Linux: a field of /proc/self/status, in bytes (`VmRSS`, `VmHWM`). */
function status(field) {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'))
  return Number(match[1]) * 1024
}

/** In a child: one measurement of `client` ('host' or 'sdk') for `tool` at `url`; prints JSON. */
async function child(client, tool, url, bytes) {
  let call
  let close
  if (client === 'host') {
    const { HostManager } = await import(pathToFileURL(path.join(root, 'dist/src/index.js')).href)
    const host = await HostManager.start({ servers: { big: { transport: 'http', url } } })
    call = (name, args) => host.callTool(name, args, { timeout: 120_000 })
    close = () => host.shutdown()
  } else {
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js')
    const { StreamableHTTPClientTransport } = await import(
      '@modelcontextprotocol/sdk/client/streamableHttp.js'
    )
    const sdk = new Client({ name: 'bench', version: '1.0.0' })
    await sdk.connect(new StreamableHTTPClientTransport(new URL(url)))
    call = (name, args) => sdk.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })
    close = () => sdk.close()
  }
  await call('sized_json', { bytes: 1024 })
  globalThis.gc?.()
  writeFileSync('/proc/self/clear_refs', '5') // the peak-RSS mark starts again from now
  const before = status('VmRSS')
  const started = performance.now()
  let outcome = 'answered'
  try {
    await call(tool, { bytes })
  } catch (error) {
    outcome = error.name
  }
  const ms = performance.now() - started
  const growth = status('VmHWM') - before
  await close()
  console.log(JSON.stringify({ growth, ms, outcome }))
}

async function freePort() {
  const server = createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function main() {
  const options = Object.fromEntries(
    process.argv.slice(2).map((arg) => {
      const match = /^--(mb|rounds)=(\d+)$/.exec(arg)
      if (!match) throw new Error(`unknown argument ${arg}; expected --mb=N --rounds=N`)
      return [match[1], match[2]]
    }),
  )
  const mb = Number(options.mb ?? 200)
  const rounds = Number(options.rounds ?? 3)
  const port = await freePort()
  const script = path.join(root, 'test/support/big-answer-http-server.mjs')
  const server = spawn(process.execPath, [script], { env: { PORT: String(port) }, stdio: 'ignore' })
  const url = `http://127.0.0.1:${port}/mcp`
  const run = promisify(execFile)
  const results = {}
  try {
    // Until it listens (a refused connection: not yet).
    for (let i = 0; i < 100; i++) {
      const up = await fetch(url, { method: 'GET' }).then(
        () => true,
        () => false,
      )
      if (up) break
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    for (let round = 0; round < rounds; round++) {
      for (const tool of ['sized_json', 'sized_event']) {
        const order = round % 2 === 0 ? ['host', 'sdk'] : ['sdk', 'host']
        for (const client of order) {
          const args = [
            '--expose-gc',
            fileURLToPath(import.meta.url),
            '--child',
            client,
            tool,
            url,
            String(mb * MB),
          ]
          const { stdout } = await run(process.execPath, args, { maxBuffer: MB })
          const sample = JSON.parse(stdout.trim().split('\n').at(-1))
          results[`${client} ${tool}`] ??= []
          results[`${client} ${tool}`].push(sample)
        }
      }
    }
  } finally {
    server.kill()
  }
  console.log(
    `HTTP answers of ${mb} MB, ${rounds} rounds, Node ${process.version}: peak RSS growth during the call`,
  )
  for (const tool of ['sized_json', 'sized_event']) {
    const host = results[`host ${tool}`]
    const sdk = results[`sdk ${tool}`]
    const growth = (samples) => median(samples.map((s) => s.growth / MB))
    const ms = (samples) => median(samples.map((s) => s.ms))
    const what = tool === 'sized_json' ? 'one JSON body' : 'one SSE event'
    console.log(
      `  ${what}: host ${growth(host).toFixed(0)} MB (${host.map((s) => (s.growth / MB).toFixed(0)).join(', ')}; ` +
        `${ms(host).toFixed(0)} ms, ${host[0].outcome}), raw SDK ${growth(sdk).toFixed(0)} MB ` +
        `(${sdk.map((s) => (s.growth / MB).toFixed(0)).join(', ')}; ${ms(sdk).toFixed(0)} ms, ${sdk[0].outcome}); ` +
        `host/SDK ${(growth(host) / growth(sdk)).toFixed(2)}; bar < 200 MB: ${growth(host) < 200 ? 'PASS' : 'FAIL'}`,
    )
  }
}

if (process.argv[2] === '--child') await child(...process.argv.slice(3, 6), Number(process.argv[6]))
else await main()
