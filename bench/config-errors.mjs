// loadHostConfig on a config file full of mistakes: its time must grow with the number of problems,
// not with its square, and its message must stay short. `node bench/config-errors.mjs` after
// `npm run build`. Options: --counts=2000,8000,50000 (bad entries per file), --rounds=N (default 3).
//
// Each count is read twice from memory (no disk): a file of N bad entries (a third an unknown key,
// a third an empty command, a third an ftp:// url, so both the file's checks and the config's
// validation report) and, as the baseline, a file of N valid entries of the same shape. Printed:
// medians in ms, µs per entry (flat when linear), bad/valid ratio, and the message's length. The
// bad file's CPU time (user + system, all threads) is printed too: on a machine shared with other
// work, wall time follows the load and CPU time much less.
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { median } from './lib/stats.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const options = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const match = /^--([\w-]+)=([\d,]+)$/.exec(arg)
    if (!match) throw new Error(`unknown argument ${arg}; expected --counts=N,N,... --rounds=N`)
    return [match[1], match[2]]
  }),
)
const counts = (options.counts ?? '2000,8000,50000').split(',').map(Number)
const rounds = Number(options.rounds ?? 3)
const BAR_MS = 2000

const { loadHostConfig, ConfigError } = await import(pathToFileURL(path.join(root, 'dist/src/index.js')).href)

function file(count, bad) {
  const entries = []
  for (let i = 0; i < count; i++) {
    const name = `"s${i}"`
    if (!bad) entries.push(`${name}: { "command": "node" }`)
    else if (i % 3 === 0) entries.push(`${name}: { "command": "node", "bogus": 1 }`)
    else if (i % 3 === 1) entries.push(`${name}: { "command": "" }`)
    else entries.push(`${name}: { "url": "ftp://x" }`)
  }
  return `{ "mcpServers": {\n${entries.join(',\n')}\n} }\n`
}

async function time(text) {
  const fs = { promises: { readFile: async () => text } }
  const started = performance.now()
  const cpu = process.cpuUsage()
  let error
  try {
    await loadHostConfig('/bench/.mcp.json', { fs, env: {}, cwd: '/bench' })
  } catch (caught) {
    if (!(caught instanceof ConfigError)) throw caught
    error = caught
  }
  const { user, system } = process.cpuUsage(cpu)
  return { ms: performance.now() - started, cpuMs: (user + system) / 1000, error }
}

console.log(`node ${process.version}, ${rounds} rounds per count; bar: ${BAR_MS} ms for 50000 bad entries`)
console.log(
  'bad entries | bytes   | bad ms (median) | bad CPU ms | µs/entry | valid ms | bad/valid | issues | message chars',
)
for (const count of counts) {
  const badText = file(count, true)
  const goodText = file(count, false)
  const bad = []
  const badCpu = []
  const good = []
  let last
  for (let round = 0; round < rounds; round++) {
    // Alternating which goes first: neither pays the other's garbage collection every time.
    if (round % 2 === 0) {
      last = await time(badText)
      bad.push(last.ms)
      badCpu.push(last.cpuMs)
      good.push((await time(goodText)).ms)
    } else {
      good.push((await time(goodText)).ms)
      last = await time(badText)
      bad.push(last.ms)
      badCpu.push(last.cpuMs)
    }
  }
  const badMs = median(bad)
  const goodMs = median(good)
  const verdict = count === 50000 ? (badMs < BAR_MS ? ' PASS' : ' FAIL') : ''
  console.log(
    [
      String(count).padStart(11),
      String(badText.length).padStart(7),
      `${badMs.toFixed(0).padStart(15)}${verdict}`,
      median(badCpu).toFixed(0).padStart(10),
      ((badMs * 1000) / count).toFixed(1).padStart(8),
      goodMs.toFixed(0).padStart(8),
      (badMs / goodMs).toFixed(2).padStart(9),
      String(last.error?.issues.length ?? 0).padStart(6),
      String(last.error?.message.length ?? 0).padStart(13),
    ].join(' | '),
  )
}
