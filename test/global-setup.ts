// Vitest globalSetup: builds the example servers, the reaper and the worker entry before any test spawns them, and after the whole
// run fails it if any process of ours is still running (the promise this project exists to keep).

import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'
import { buildRuntimeFiles } from '../scripts/build-runtime.mjs'
import { buildServers } from '../scripts/build-servers.mjs'
import { listProcesses } from '../src/launchers/processes/process-table.js'
import { pollUntil } from '../src/launchers/util/wait.js'
import { openSlotServer, SLOTS_KEY } from './e2e/run-slots.js'

const REAPER_EXIT_MS = 1000

const root = fileURLToPath(new URL('..', import.meta.url))
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
// Command lines of processes this suite may start: the bundled servers and nested Vitest runs, of
// this checkout only (another checkout's suite on the machine is not ours).
const ours = new RegExp(
  [
    join(root, 'dist', 'example-servers'),
    join(root, 'dist', 'src', 'launchers', 'reaper.js'),
    join(root, 'test', 'e2e', 'fixtures'),
    join(root, 'test', 'support', 'hang-http-server.mjs'),
  ]
    .map(escape)
    .join('|'),
)

/**
 * New processes of ours still alive. A process under another live Vitest run (a second suite on the
 * same machine) is that run's business; one under ours, or orphaned to init, is ours.
 */
function survivors(before: ReadonlySet<number>) {
  const table = listProcesses()
  const byPid = new Map(table.map((p) => [p.pid, p]))
  const underOtherVitest = (pid: number): boolean => {
    for (let p = byPid.get(pid); p && p.pid > 1; p = byPid.get(p.ppid)) {
      if (p.pid === process.pid) return false
      if (p.pid !== pid && /vitest/.test(p.command) && !ours.test(p.command)) return true
    }
    return false
  }
  return table.filter(
    (p) => p.state !== 'Z' && !before.has(p.pid) && ours.test(p.command) && !underOtherVitest(p.pid),
  )
}

export default async function setup(project: TestProject): Promise<() => void> {
  // The sources under test spawn the built reaper (and the built example servers).
  await Promise.all([buildRuntimeFiles(), buildServers({ outdir: 'dist/example-servers' })])
  // Nested Vitest runs are started by several workers at once: one count of them for the suite.
  const slots = await openSlotServer()
  project.provide(SLOTS_KEY, slots.path)
  const before = new Set(listProcesses().map((p) => p.pid))
  return async () => {
    await slots.close()
    let left = survivors(before)
    // A worker's reaper exits as soon as it reads its pipe's end, which may be a moment after the
    // worker has gone: a bounded wait, not a finding.
    await pollUntil(() => (left = survivors(before)).length === 0, REAPER_EXIT_MS)
    if (left.length === 0) return
    for (const p of left) {
      try {
        process.kill(p.pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
    // Vitest only logs errors thrown here ("error during close") and still exits 0: set the code.
    process.exitCode = 1
    console.error(
      `\n${left.length} process(es) of this test run were still running after it (now killed):\n` +
        left.map((p) => `  pid ${p.pid}: ${p.command}`).join('\n'),
    )
  }
}
