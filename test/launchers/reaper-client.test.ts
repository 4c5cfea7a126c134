// The reaper as a Vitest process starts it: not before its first spawn of ours, then one for the whole
// process, detached from the runner's session, with nothing of the runner's environment.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { threadId } from 'node:worker_threads'
import { afterAll, describe, expect, test } from 'vitest'
import { HostManager } from '../../src/host/host-manager.js'
import { reaperPid, reportReapingTo, watchProcess } from '../../src/launchers/processes/reaper-client.js'
import { REAPER_CLIENT_VARIABLE } from '../../src/launchers/processes/reaper-protocol.js'
import { settlesWithin } from '../../src/launchers/util/wait.js'
import { weatherServer } from '../../src/servers/index.js'
import { countingWeatherServer } from '../support/servers.js'
import { markEnv, markedServers, waitDead } from './process-helpers.js'

const mark = markedServers()
const dir = mkdtempSync(path.join(tmpdir(), 'reaper-client-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Fields of /proc/<pid>/stat after the command name: state, ppid, pgrp, session, ... */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
}

/** Watches `child` as the plugin's spawn hook watches a test's child. */
function watchChild(child: ChildProcess, label: string): () => void {
  return watchProcess({ kind: 'child', leader: false, label, pid: child.pid as number, startTime: undefined })
}

describe.runIf(process.platform === 'linux')('the reaper of a Vitest process', () => {
  test('is not started by the plugin setting its report directory, by in-memory servers, or by a test child done within 100 ms', async () => {
    reportReapingTo(dir)
    const host = await HostManager.start({ servers: { weather: countingWeatherServer().config } })
    await host.callTool('weather_lookup', { location: 'London' })
    await host.shutdown()
    const child = spawn('true', [], { stdio: 'ignore' })
    const unwatch = watchChild(child, 'true')
    await once(child, 'exit')
    unwatch()
    // The control: a child watched after it, whose delay ends after the first one's (timers of one
    // duration fire in the order they were set). Asked whether it still runs, it says no: the
    // reaper is not started for it either. That question comes only while no reaper runs.
    const control = spawn('true', [], { stdio: 'ignore' })
    await once(control, 'exit')
    let wasAsked = () => {}
    const asked = new Promise<void>((resolve) => (wasAsked = resolve))
    const unwatchControl = watchProcess(
      { kind: 'child', leader: false, label: 'control', pid: control.pid as number, startTime: undefined },
      () => {
        wasAsked()
        return false
      },
    )
    try {
      const reached = await settlesWithin(asked, 3000)
      expect(reaperPid(), 'a reaper started for a child watched no more').toBeUndefined()
      expect(reached, "the control child's delay did not end within 3000 ms").toBe(true)
    } finally {
      unwatchControl()
    }
  })

  test('starts with the first spawned server: one for the process, in its own session, with only its client in its environment', async () => {
    const first = await HostManager.start({
      servers: { weather: weatherServer({ env: markEnv(mark('first')) }) },
    })
    const pid = reaperPid()
    expect(pid).toBeDefined()
    const reaper = pid as number
    const [, ppid, pgrp, session] = statFields(reaper)
    expect(Number(ppid)).toBe(process.pid)
    // Its own session (and group): Ctrl-C to the runner's group, or the runner's session ending, does not reach it.
    expect(Number(session)).toBe(reaper)
    expect(Number(pgrp)).toBe(reaper)
    // And Node's own two for the IPC channel that hands it servers' stdin sockets.
    expect(readFileSync(`/proc/${reaper}/environ`, 'utf8').split('\0').filter(Boolean).sort()).toEqual([
      'NODE_CHANNEL_FD=3',
      'NODE_CHANNEL_SERIALIZATION_MODE=json',
      `${REAPER_CLIENT_VARIABLE}=${process.pid}:${threadId}`,
    ])
    const second = await HostManager.start({
      servers: { weather: weatherServer({ env: markEnv(mark('second')) }) },
    })
    expect(reaperPid()).toBe(reaper)
    await Promise.all([first.shutdown(), second.shutdown()])
    // It serves the process until the process ends, whatever stops in between.
    expect(statFields(reaper)[0]).not.toBe('Z')
  })

  test('a reaper killed from outside is replaced at the next spawn', async () => {
    const before = reaperPid() as number
    process.kill(before, 'SIGKILL')
    expect(await waitDead(before)).toBe(true)
    await expect.poll(() => reaperPid(), { timeout: 2000 }).toBeUndefined()
    const host = await HostManager.start({
      servers: { weather: weatherServer({ env: markEnv(mark('third')) }) },
    })
    const after = reaperPid()
    expect(after).toBeDefined()
    expect(after).not.toBe(before)
    await host.shutdown()
  })

  test('a test child still watched after 100 ms starts it', async () => {
    const before = reaperPid() as number
    process.kill(before, 'SIGKILL')
    await expect.poll(() => reaperPid(), { timeout: 2000 }).toBeUndefined()
    const child = spawn('sleep', ['30'], { stdio: 'ignore' })
    const unwatch = watchChild(child, 'sleep 30')
    try {
      await expect.poll(() => reaperPid(), { timeout: 2000 }).toBeDefined()
    } finally {
      unwatch()
      child.kill('SIGKILL')
      await once(child, 'exit')
    }
  })
})
