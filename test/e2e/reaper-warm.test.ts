// End-to-end: a nested Vitest with warm hosts (a pool's next host waiting) of a server whose children
// leave its session, one of them with an empty environment, SIGKILLed: nothing of it is alive within
// 3 s. One run holds the whole matrix, a project each: both pools, isolate on and off, and one
// project a pool whose reaper is killed (and replaced) before the run is.
import { readdirSync, readlinkSync } from 'node:fs'
import { describe, test } from 'vitest'
import {
  carriesVariable,
  listProcesses,
  type ProcessInfo,
} from '../../src/launchers/processes/process-table.js'
import { REAPER_CLIENT_VARIABLE } from '../../src/launchers/processes/reaper-protocol.js'
import { pollUntil } from '../../src/launchers/util/wait.js'
import { PROJECTS } from './fixtures/reaper-warm/vitest.config.js'
import type { WarmReadyLine } from './fixtures/reaper-warm/warm.case.js'
import { inRunSlots, TEST_TIMEOUT_MS } from './harness.js'
import { describeProcesses, KillRun } from './kill-run.js'

const GONE_WITHIN_MS = 3_000
/** Bound on the pools' next hosts being up (their servers' escapees started), and on a reaper's replacement. */
const SETTLE_MS = 30_000
/** Bound on a replaced reaper being handed the servers' stdin (done as it starts: milliseconds). */
const HOLD_MS = 5_000
/** What the 'setsid-child' server's escapees run. */
const FOREVER = 'setInterval(() => {}, 1e9)'
/** Per project: the claimed host's server and the pool's next one, three escapees each. */
const ESCAPEES_PER_PROJECT = 2 * 3

/** The reaper serving `line`'s worker (process and thread), if one runs. */
function reaperOf(line: WarmReadyLine, table = listProcesses()): ProcessInfo | undefined {
  const client = `${line.pid}:${line.threadId}`
  return table.find(
    (p) =>
      p.state !== 'Z' &&
      p.command.includes('reaper.js') &&
      carriesVariable(p.pid, REAPER_CLIENT_VARIABLE, client),
  )
}

/** How many sockets `pid` has open: its stdin and IPC channel, and the servers' stdin it holds. */
function socketsOf(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')
      } catch {
        return false
      }
    }).length
  } catch {
    return 0
  }
}

describe.runIf(process.platform === 'linux')('a killed Vitest with warm hosts leaves nothing running', () => {
  test(`${PROJECTS.map((p) => p.name).join('; ')}: SIGKILL to the main process: nothing alive within 3 s, the empty-environment escapees of the pools' waiting hosts included`, {
    timeout: TEST_TIMEOUT_MS,
  }, async ({ expect, signal }) => {
    // Several projects' workers in one run: it takes the room of two.
    await inRunSlots(2, signal, async () => {
      const run = await KillRun.start('reaper-warm', {
        readyLines: PROJECTS.length,
        readyTimeoutMs: 60_000,
        signal,
      })
      try {
        const lines = run.ready as unknown as WarmReadyLine[]
        expect(lines.map((l) => l.project).sort()).toEqual(PROJECTS.map((p) => p.name).sort())
        // Every pool's next host is up too: its server has started its escapees.
        const escapees = () => run.snapshot().filter((p) => p.command.includes(FOREVER))
        const all = ESCAPEES_PER_PROJECT * PROJECTS.length
        if (!(await pollUntil(() => escapees().length >= all, SETTLE_MS)))
          throw new Error(
            `${escapees().length} of ${all} escapees running after ${SETTLE_MS} ms:\n${describeProcesses(run.snapshot())}`,
          )

        // The reapers of the 'reaper killed first' projects, killed from outside, then replaced.
        for (const line of lines.filter((l) => l.project.includes('reaper killed first'))) {
          const first = reaperOf(line)
          if (!first) throw new Error(`no reaper for ${JSON.stringify(line)}`)
          run.kill(first.pid, 'SIGKILL')
          const replaced = () => {
            const next = reaperOf(line)
            return next !== undefined && next.pid !== first.pid ? next : undefined
          }
          if (!(await pollUntil(() => replaced() !== undefined, SETTLE_MS)))
            throw new Error(
              `the reaper of project "${line.project}" (pid ${first.pid}) was not replaced within ${SETTLE_MS} ms`,
            )
          // Then handed both servers' stdin again (its own stdin and IPC channel are sockets too): the
          // run is killed once it holds them, or after HOLD_MS; the kill shows what it missed.
          await pollUntil(() => socketsOf(replaced()?.pid ?? 0) >= 2 + 2, HOLD_MS)
        }

        const before = run.snapshot()
        // The test's own view agrees: each claimed server and its escapees are in the snapshot.
        const pids = new Set(before.map((p) => p.pid))
        for (const line of lines)
          for (const pid of [line.server, ...line.escapees])
            expect(pids.has(pid), `pid ${pid} of ${JSON.stringify(line)} in the snapshot`).toBe(true)
        const at = run.kill('main', 'SIGKILL')
        const gone = await run.gone(before, at, { marked: true, boundMs: GONE_WITHIN_MS })
        const projectOf = (p: ProcessInfo) =>
          lines.find((l) => l.escapees.includes(p.pid) || l.server === p.pid)?.project ?? 'a waiting host'
        expect(
          gone.survivors.length,
          `alive ${GONE_WITHIN_MS} ms after the kill:\n${gone.survivors
            .map((p) => `${describeProcesses([p])} (${projectOf(p)})`)
            .join('\n')}\n${run.output(15)}`,
        ).toBe(0)
      } finally {
        await run.cleanup()
      }
    })
  })
})
