// `protocol: 'auto'` against a stdio server that exits on the `server/discover` it does not know
// (misbehavingServer('exit-on-discover'), as rmcp-based servers do): the host reaps that process,
// spawns the server once more to speak 2025-11-25, and says so on its timeline, all within the one
// startup timeout. A pinned revision is never retried, a server that answers discover never needs it.
import { describe, expect, test } from 'vitest'
import { HostManager } from '../../src/host/host-manager.js'
import { ServerStartError } from '../../src/launchers/errors.js'
import { DEFAULT_SHUTDOWN } from '../../src/launchers/processes/terminate.js'
import { Timeline } from '../../src/launchers/timeline.js'
import { launchStdio } from '../../src/launchers/transports/stdio.js'
import { misbehavingServer } from '../../src/servers/index.js'
import { rejectionOf } from '../support/assertions.js'
import { markEnv, markedPids, uniqueMark } from './process-helpers.js'

const SPAWNED = { timeout: 30_000 }
const DETECTED = 'exited with code 1 on server/discover: spawned again to speak 2025-11-25 (initialize)'

const events = (host: HostManager) =>
  (host.entries[0]?.timeline.events ?? [])
    .filter((e) => ['spawn', 'exit', 'era-detection', 'era', 'initialized'].includes(e.event))
    .map((e) => (e.event === 'spawn' ? 'spawn' : `${e.event} ${e.detail ?? ''}`.trim()))

describe("'auto' and a server that exits on server/discover", () => {
  test(
    'is spawned again and speaks 2025-11-25; the first process is gone, the detection on the timeline',
    SPAWNED,
    async () => {
      const mark = uniqueMark('exit-on-discover')
      const host = await HostManager.start({
        servers: {
          one: { ...misbehavingServer('exit-on-discover', { env: markEnv(mark) }), protocol: 'auto' },
        },
      })
      try {
        expect(host.server('one').era).toBe('2025-11-25')
        // Only the second process runs: the first was reaped before the second was spawned.
        expect(markedPids(mark)).toEqual([host.server('one').pid])
        const result = await host.callTool('weather_lookup', { location: 'Tokyo' })
        expect(result.content).toEqual([expect.objectContaining({ text: expect.stringContaining('Sunny') })])
        expect(events(host)).toEqual([
          'spawn',
          'exit code 1',
          `era-detection ${DETECTED}`,
          'spawn',
          'era 2025-11-25',
          'initialized misbehaving-exit-on-discover',
        ])
        // Nothing of the first connection is anyone's: no request pending, no wire violation.
        expect(host.pendingRequests).toEqual([])
        expect(host.wireLedger.list()).toEqual([])
      } finally {
        await host.shutdown()
      }
      expect(markedPids(mark)).toEqual([])
    },
  )

  test(
    'pinned to 2026-07-28: not retried, a ServerStartError with the exit and stderr',
    SPAWNED,
    async () => {
      const error = await rejectionOf(
        HostManager.start({
          servers: { one: { ...misbehavingServer('exit-on-discover'), protocol: '2026-07-28' } },
        }),
      )
      expect(error).toBeInstanceOf(ServerStartError)
      expect((error as ServerStartError).exitCode).toBe(1)
      expect((error as ServerStartError).stderrTail).toContain('first message was "server/discover"')
    },
  )

  test(
    "'legacy-only' (answers server/discover with -32601): one process, no detection step",
    SPAWNED,
    async () => {
      const host = await HostManager.start({
        servers: { one: { ...misbehavingServer('legacy-only'), protocol: 'auto' } },
      })
      try {
        expect(events(host)).toEqual(['spawn', 'era 2025-11-25', 'initialized misbehaving-legacy-only'])
      } finally {
        await host.shutdown()
      }
    },
  )

  test(
    'a server that exits while its discover is unanswered, for any reason, gets one more spawn, no more',
    SPAWNED,
    async () => {
      const mark = uniqueMark('exit-early')
      const timeline = new Timeline()
      const config = misbehavingServer('exit-early', { env: markEnv(mark) })
      const error = await rejectionOf(
        launchStdio('early', config, {
          startupTimeout: 10_000,
          shutdown: DEFAULT_SHUTDOWN,
          timeline,
          onNoise: () => {},
          client: { server: 'early', timeline, protocol: 'auto' },
        }),
      )
      // The second exit is the one reported: the server's own reason, not the detection.
      expect(error).toMatchObject({ name: 'ServerStartError', reason: 'exit', exitCode: 3 })
      expect((error as ServerStartError).stderrTail).toBe('exit-early: refusing to start (deliberate)')
      const steps = timeline.events.filter((e) => ['spawn', 'exit', 'era-detection'].includes(e.event))
      expect(steps.map((e) => `${e.event} ${e.event === 'spawn' ? '' : e.detail}`.trim())).toEqual([
        'spawn',
        'exit code 3',
        'era-detection exited with code 3 on server/discover: spawned again to speak 2025-11-25 (initialize)',
        'spawn',
        'exit code 3',
      ])
      expect(markedPids(mark)).toEqual([])
    },
  )
})
