// Vitest globalSetup: builds the example servers before any test spawns them, and after the whole
// run fails it if any process of ours is still running (the promise this project exists to keep).

import { buildServers } from '../scripts/build-servers.mjs'
import { listProcesses } from '../src/launchers/process-table.js'

/** Command lines of processes this suite may start: the bundled servers and nested Vitest runs. */
const ours = /dist[\\/]example-servers[\\/]|test[\\/]e2e[\\/]fixtures[\\/]/

function survivors(before: ReadonlySet<number>) {
  return listProcesses().filter((p) => p.state !== 'Z' && !before.has(p.pid) && ours.test(p.command))
}

export default async function setup(): Promise<() => void> {
  await buildServers({ outdir: 'dist/example-servers' })
  const before = new Set(listProcesses().map((p) => p.pid))
  return () => {
    const left = survivors(before)
    if (left.length === 0) return
    for (const p of left) {
      try {
        process.kill(p.pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
    throw new Error(
      `${left.length} process(es) of this test run were still running after it (now killed):\n` +
        left.map((p) => `  pid ${p.pid}: ${p.command}`).join('\n'),
    )
  }
}
