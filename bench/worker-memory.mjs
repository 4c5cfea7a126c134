// The test process's memory while a worker server tries to hold 2 GB of JS heap (issue 20): the
// thread's heap limit (resourceLimits, default 128 MB) ends it, the call rejects with
// ServerExitError, and this process lives on. RSS is sampled every 5 ms from the main thread.
// Baseline, in the same run: the same server holding 16 MB (a call that succeeds).
// Bar: RSS growth < 200 MB and the process alive.
// Run: npm run build && node bench/worker-memory.mjs [--rounds=3 --mb=2048]
import { fileURLToPath } from 'node:url'
import { HostManager, ServerExitError } from '../dist/src/index.js'

const arg = (name, fallback) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`))
  return found ? Number(found.split('=')[1]) : fallback
}
const rounds = arg('rounds', 3)
const asked = arg('mb', 2048)
const MB = 2 ** 20
const server = {
  transport: 'worker',
  module: fileURLToPath(new URL('./lib/allocating-server.mjs', import.meta.url)),
}

/** Starts the server, calls `allocate` with `mb`, returns the RSS growth (MB) and how the call ended. */
async function sample(mb) {
  const host = await HostManager.start({ servers: { a: server } })
  try {
    const before = process.memoryUsage.rss()
    let peak = before
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss())
    }, 5)
    const started = performance.now()
    const outcome = await host.callTool('allocate', { mb }).then(
      (result) => result.content[0].text,
      (error) =>
        error instanceof ServerExitError ? `ServerExitError: ${error.message.split('\n')[0]}` : `${error}`,
    )
    clearInterval(sampler)
    peak = Math.max(peak, process.memoryUsage.rss())
    return { growthMb: (peak - before) / MB, ms: performance.now() - started, outcome }
  } finally {
    await host.shutdown()
  }
}

const rows = []
for (let round = 0; round < rounds; round++) {
  rows.push({ case: 'baseline: hold 16 MB', ...(await sample(16)) })
  rows.push({ case: `hold ${asked} MB`, ...(await sample(asked)) })
}
for (const row of rows) {
  console.log(
    `${row.case.padEnd(22)} growth ${row.growthMb.toFixed(0).padStart(5)} MB  ${row.ms.toFixed(0).padStart(6)} ms  ${row.outcome}`,
  )
}
const worst = Math.max(
  ...rows.filter((row) => row.case !== 'baseline: hold 16 MB').map((row) => row.growthMb),
)
const baseline = Math.max(
  ...rows.filter((row) => row.case === 'baseline: hold 16 MB').map((row) => row.growthMb),
)
console.log(
  `worst growth under a ${asked} MB allocation: ${worst.toFixed(0)} MB (baseline ${baseline.toFixed(0)} MB, ` +
    `${(worst / asked).toFixed(3)} of what was asked); process alive: yes; bar < 200 MB: ${worst < 200 ? 'PASS' : 'FAIL'}`,
)
