// Process bookkeeping of the benchmark: the servers' environment, liveness, and a final sweep so
// that nothing it started is left running.
import { readdirSync, readFileSync } from 'node:fs'
import { setTimeout as delay } from 'node:timers/promises'
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js'

/** The environment both our launcher and the SDK's StdioClientTransport give a server. */
export const serverEnv = getDefaultEnvironment()

/** Every pid a scenario started (servers of both harnesses, bare Node runs). */
const tracked = new Set()
export function track(pid) {
  if (typeof pid === 'number' && pid > 0) tracked.add(pid)
}

/** Linux: the one-letter state from /proc (Z = zombie), or undefined when the pid is gone. */
function procState(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
  } catch {
    return undefined
  }
}

/**
 * What `pid` is right now: 'running' (any live state), 'zombie' (dead, not yet reaped by its parent)
 * or 'gone'. Outside Linux: 'running' or 'gone' (signal 0 cannot tell a zombie).
 */
export function lifeState(pid) {
  if (process.platform === 'linux') {
    const state = procState(pid)
    return state === undefined ? 'gone' : state === 'Z' || state === 'X' ? 'zombie' : 'running'
  }
  return isAlive(pid) ? 'running' : 'gone'
}

/** True while `pid` runs. A zombie (exited, not yet reaped) does not count. */
export function isAlive(pid) {
  if (process.platform === 'linux') {
    const state = procState(pid)
    return state !== undefined && state !== 'Z' && state !== 'X'
  }
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === 'EPERM'
  }
}

/** Polls until `pid` is gone or `ms` passed; true if it is gone. */
export async function waitGone(pid, ms) {
  const deadline = performance.now() + ms
  while (isAlive(pid)) {
    if (performance.now() > deadline) return false
    await delay(5)
  }
  return true
}

/** SIGKILLs `pid` alone (never its group: the SDK's children share ours) and waits for it. */
export async function killPid(pid) {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
  return waitGone(pid, 5000)
}

/** The reaper the host started for this process: it lives as long as this process does, by design. */
function isReaper(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('/launchers/reaper.js')
  } catch {
    return false
  }
}

/** Linux: the pids of our direct children, zombies and the reaper excluded. */
function childrenOfUs() {
  if (process.platform !== 'linux') return []
  const found = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(ppid) === process.pid && state !== 'Z' && state !== 'X' && !isReaper(name))
        found.push(Number(name))
    } catch {
      // Gone while we looked.
    }
  }
  return found
}

/**
 * Kills whatever the benchmark started that still runs (tracked pids and our direct children) and
 * returns the pids it had to kill; throws if any survives SIGKILL.
 */
export async function sweep() {
  const survivors = [...new Set([...tracked].filter(isAlive).concat(childrenOfUs()))]
  for (const pid of survivors) {
    if (!(await killPid(pid))) throw new Error(`process ${pid} survived SIGKILL`)
  }
  return survivors
}
