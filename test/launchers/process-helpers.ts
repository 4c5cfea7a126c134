// Helpers for tests that spawn real server processes: find them by an environment mark, and check
// that nothing of them is left. Linux reads /proc; elsewhere the mark cannot be seen (checks pass).
import { readdirSync, readFileSync } from 'node:fs'
import { afterEach, expect } from 'vitest'
import { pollUntil } from '../../src/launchers/util/wait.js'

/** The variable that marks the processes (and, by inheritance, the descendants) of one test. */
export const MARK_VAR = 'VITEST_MCP_HOST_TEST_MARK'

let counter = 0
/** A mark no other process on this machine carries. */
export function uniqueMark(label: string): string {
  counter += 1
  return `${label}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`
}

/** `{ [MARK_VAR]: mark }`, to pass as a server config's `env`. */
export function markEnv(mark: string): Record<string, string> {
  return { [MARK_VAR]: mark }
}

function stateOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]
  } catch {
    return undefined
  }
}

/** Live (non-zombie) processes whose environment carries `mark`. */
export function markedPids(mark: string): number[] {
  if (process.platform !== 'linux') return []
  const needle = `${MARK_VAR}=${mark}\0`
  const found: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      if (!readFileSync(`/proc/${name}/environ`, 'latin1').includes(needle)) continue
    } catch {
      continue // gone, or not ours to read
    }
    const state = stateOf(Number(name))
    if (state !== undefined && state !== 'Z') found.push(Number(name))
  }
  return found
}

/** Waits (bounded) for a process carrying `mark` to appear; its pid. */
export async function waitForMarked(mark: string, ms = 5000): Promise<number> {
  let pid: number | undefined
  await pollUntil(() => {
    pid = markedPids(mark)[0]
    return pid !== undefined
  }, ms)
  if (pid === undefined) throw new Error(`no process marked ${mark} appeared within ${ms} ms`)
  return pid
}

/** True when `pid` no longer runs: ESRCH, or a zombie its (new) parent has not reaped yet. */
export function isDead(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
  return stateOf(pid) === 'Z'
}

/**
 * Waits up to `ms` for `pid` to be dead. An orphan's zombie is reaped by PID 1, which may be slow
 * (about 2 s in some containers): a zombie counts as dead, since it runs nothing.
 */
export async function waitDead(pid: number, ms = 2000): Promise<boolean> {
  return pollUntil(() => isDead(pid), ms)
}

/** Kills whatever still carries one of `marks` (a failed test must not leave processes behind). */
export function killMarked(marks: Iterable<string>): number[] {
  const killed: number[] = []
  for (const mark of marks) {
    for (const pid of markedPids(mark)) {
      try {
        process.kill(pid, 'SIGKILL')
        killed.push(pid)
      } catch {
        // Already gone.
      }
    }
  }
  return killed
}

/**
 * For a test file that starts marked servers: registers an `afterEach` that fails the test if any
 * marked process is still running (and kills it), and returns the function that hands out marks.
 */
export function markedServers(): (label: string) => string {
  const marks = new Set<string>()
  afterEach(() => {
    const survivors = killMarked(marks)
    marks.clear()
    expect(survivors, 'server processes still running after the test (now killed)').toEqual([])
  })
  return (label) => {
    const mark = uniqueMark(label)
    marks.add(mark)
    return mark
  }
}
