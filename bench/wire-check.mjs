// What the wire check costs (issue 22). `node bench/wire-check.mjs` after `npm run build`.
// Options: --rounds=N (default 7), --calls=N (default 200). Prints medians; leaves nothing running.
// The checker is not an entry point of its own (the host's bundle will carry it): this bundles
// src/wire/check with esbuild into a temporary directory first, as the build does.
//
// 1. Per message, in one process: the messages of N recorded tools/call round trips (the v2 test
//    server's structured `weather` tool on 2026-07-28, server-everything's `get-structured-content`
//    on 2025-11-25: the heaviest checks, an outputSchema per result) handled raw — serialized and
//    parsed, as a stdio transport does — and raw + checked. The first check of a process builds the
//    revision's tables and compiles the outputSchema: reported apart, as `first`.
// 2. The whole thing over stdio: the v2 test server, a v2 Client, connect + N tools/call + close,
//    with the transport passing every message through a checker or not; variants alternate round by round.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Client } from '@modelcontextprotocol/client'
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio'
import { build } from 'esbuild'
import { median } from './lib/stats.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const options = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const match = /^--([\w-]+)=(.*)$/.exec(arg)
    if (!match) throw new Error(`unknown argument ${arg}; expected --rounds=N --calls=N`)
    return [match[1], Number(match[2])]
  }),
)
const rounds = options.rounds ?? 7
const calls = options.calls ?? 200
const bundleDir = mkdtempSync(path.join(tmpdir(), 'wire-check-bench-'))
await build({
  entryPoints: [path.join(root, 'src/wire/check/index.ts')],
  outfile: path.join(bundleDir, 'check.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  absWorkingDir: root,
})
// Resolved from the repository (its node_modules), not from the temporary directory.
const bundled = path.join(root, 'bench', `.wire-check-${process.pid}.mjs`)
const { copyFileSync } = await import('node:fs')
copyFileSync(path.join(bundleDir, 'check.mjs'), bundled)
rmSync(bundleDir, { recursive: true })
let createWireChecker
try {
  ;({ createWireChecker } = await import(pathToFileURL(bundled).href))
} finally {
  rmSync(bundled)
}

// --- 1. per message -------------------------------------------------------------------------------
function recorded(name, tool) {
  const log = JSON.parse(readFileSync(path.join(root, 'test/wire/traffic', `${name}.json`), 'utf8'))
  const messages = log.filter((e) => !('era' in e))
  const upTo = messages.findIndex((e) => e.message.method === 'tools/call')
  const request = messages.find((e) => e.message.method === 'tools/call' && e.message.params.name === tool)
  const response = messages.find(
    (e) => e.dir === 'in' && e.message.id === request.message.id && !e.message.method,
  )
  const era = log.find((e) => 'era' in e).era
  return { prefix: messages.slice(0, upTo), request: request.message, response: response.message, era }
}

/** The prefix (handshake, tools/list), then `calls` round trips with fresh ids, as JSON lines. */
function lines({ prefix, request, response }) {
  const out = prefix.map((e) => ({ dir: e.dir, line: JSON.stringify(e.message) }))
  for (let i = 0; i < calls; i++) {
    const id = 1_000 + i
    out.push({ dir: 'out', line: JSON.stringify({ ...request, id }) })
    out.push({ dir: 'in', line: JSON.stringify({ ...response, id }) })
  }
  return out
}

function handle(stream, checker) {
  let at = 0
  let bytes = 0
  for (const { dir, line } of stream) {
    const message = JSON.parse(line)
    bytes += `${JSON.stringify(message)}\n`.length
    if (checker) {
      if (dir === 'out') checker.outbound({ dir, message, at: at++ })
      else checker.inbound({ dir, message, at: at++ })
    }
  }
  return bytes
}

const newChecker = (era) => {
  const checker = createWireChecker({
    server: 'bench',
    report: (v) => {
      throw new Error(`violation: ${v.rule}`)
    },
  })
  checker.era(era)
  return checker
}

function perMessage(name, tool) {
  const rec = recorded(name, tool)
  const stream = lines(rec)
  const t0 = performance.now()
  handle(stream, newChecker(rec.era))
  const first = performance.now() - t0
  const raw = []
  const checked = []
  for (let r = 0; r < rounds * 3; r++) {
    let t = performance.now()
    handle(stream, undefined)
    raw.push(performance.now() - t)
    t = performance.now()
    handle(stream, newChecker(rec.era))
    checked.push(performance.now() - t)
  }
  const us = (ms) => ((ms * 1000) / stream.length).toFixed(2)
  const [r, c] = [median(raw), median(checked)]
  console.log(
    `| ${name} \`${tool}\` | ${stream.length} | ${us(r)} | ${us(c)} | ${us(c - r)} | ${(c / r).toFixed(2)} | ${first.toFixed(1)} |`,
  )
}

console.log(`node ${process.version}, ${calls} calls, ${rounds} rounds`)
console.log(
  '\n| traffic | messages | raw µs/msg | raw + check µs/msg | check µs/msg | ratio | first run ms |',
)
console.log('|---|---:|---:|---:|---:|---:|---:|')
perMessage('v2-modern', 'weather')
perMessage('everything-legacy', 'get-structured-content')

// --- 2. over stdio -------------------------------------------------------------------------------
/** ms spent inside the checker during the current session's calls (the part the check adds, noise-free). */
let inChecker = 0
function timed(fn) {
  const t = performance.now()
  fn()
  inChecker += performance.now() - t
}

function wrap(inner, checker) {
  let at = 0
  const outer = {
    start: () => inner.start(),
    send: (message, o) => {
      if (checker) timed(() => checker.outbound({ dir: 'out', message, at: at++ }))
      return inner.send(message, o)
    },
    close: () => inner.close(),
    setProtocolVersion: (v) => {
      checker?.era(v)
      inner.setProtocolVersion?.(v)
    },
  }
  inner.onmessage = (message, extra) => {
    if (checker) timed(() => checker.inbound({ dir: 'in', message, at: at++ }))
    outer.onmessage?.(message, extra)
  }
  inner.onclose = () => outer.onclose?.()
  inner.onerror = (e) => outer.onerror?.(e)
  return outer
}

async function session(mode, check) {
  const t0 = performance.now()
  const client = new Client({ name: 'bench', version: '1' }, { versionNegotiation: { mode } })
  const stdio = new StdioClientTransport({
    command: process.execPath,
    args: [path.join(root, 'test/wire/fixtures/v2-server-stdio.mjs')],
    stderr: 'ignore',
  })
  const violations = []
  const checker = check
    ? createWireChecker({ server: 'bench', report: (v) => violations.push(v) })
    : undefined
  await client.connect(wrap(stdio, checker))
  inChecker = 0
  const t1 = performance.now()
  for (let i = 0; i < calls; i++) await client.callTool({ name: 'weather', arguments: { city: 'Oslo' } })
  const t2 = performance.now()
  const checking = inChecker
  await client.close()
  if (violations.length > 0) throw new Error(`violations: ${violations.map((v) => v.rule).join(', ')}`)
  return { calls: t2 - t1, whole: performance.now() - t0, checking }
}

console.log(
  '\n| stdio, v2 test server | calls ms (off) | calls ms (on) | ratio calls | whole ms (off) | whole ms (on) | ratio whole | in the checker ms (µs/msg) | (calls off + checker) / calls off |',
)
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
for (const [label, mode] of [
  ['2025-11-25', 'legacy'],
  ['2026-07-28', { pin: '2026-07-28' }],
]) {
  // Warm-up: module loading, first schema builds, V8's optimisation of the validators.
  for (let i = 0; i < 3; i++) await session(mode, true)
  const off = []
  const on = []
  for (let r = 0; r < rounds; r++) {
    const first = r % 2 === 0
    const a = await session(mode, !first)
    const b = await session(mode, first)
    ;(first ? off : on).push(a)
    ;(first ? on : off).push(b)
  }
  const m = (xs, k) => median(xs.map((x) => x[k]))
  const [co, cn, wo, wn, ck] = [
    m(off, 'calls'),
    m(on, 'calls'),
    m(off, 'whole'),
    m(on, 'whole'),
    m(on, 'checking'),
  ]
  console.log(
    `| ${label} | ${co.toFixed(0)} | ${cn.toFixed(0)} | ${(cn / co).toFixed(3)} | ${wo.toFixed(0)} | ${wn.toFixed(0)} | ${(wn / wo).toFixed(3)} | ${ck.toFixed(1)} (${((ck * 1000) / (calls * 2)).toFixed(1)}) | ${((co + ck) / co).toFixed(3)} |`,
  )
}
