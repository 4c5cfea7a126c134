// The plugin's process check on real children: what outlives the test is found (a daemon whose
// parent has exited, by the test's token) and killed, reading only the processes made since the
// test's first spawn: never a full /proc scan with every process's environment.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import fs from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { Worker } from 'node:worker_threads'
import { afterEach, beforeAll, describe, expect, test } from 'vitest'
import { processInfo } from '../../src/launchers/processes/process-table.js'
import { forkCount, processesAbove } from '../../src/launchers/processes/recent-processes.js'
import { checkProcesses } from '../../src/plugin/worker/process-check.js'
import { installSpawnHook } from '../../src/plugin/worker/spawn-hook.js'
import { TestAttempt } from '../../src/plugin/worker/test-attempt.js'
import { runAttributed } from '../../src/scope/index.js'

const linux = process.platform === 'linux'

beforeAll(() => installSpawnHook())

/** Runs `sh -c script` as a test's child and awaits its exit: what it left behind is the check's. */
async function shell(run: TestAttempt, script: string): Promise<void> {
  const child = runAttributed(run, () => spawn('sh', ['-c', script], { stdio: 'ignore' }))
  await once(child, 'exit')
}

/** The /proc/<pid>/<file> reads made while `fn` runs, by pid. */
async function procReads(fn: () => Promise<unknown>): Promise<Map<string, number[]>> {
  const reads = new Map<string, number[]>()
  const original = fs.readFileSync
  fs.readFileSync = ((path: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    const match = typeof path === 'string' ? /^\/proc\/(\d+)\/(\w+)$/.exec(path) : null
    if (match) reads.set(match[2] as string, [...(reads.get(match[2] as string) ?? []), Number(match[1])])
    return (original as (...args: unknown[]) => unknown)(path, ...rest)
  }) as typeof fs.readFileSync
  // Named imports of node:fs (ours) see the patched function only after this.
  syncBuiltinESMExports()
  try {
    await fn()
  } finally {
    fs.readFileSync = original
    syncBuiltinESMExports()
  }
  return reads
}

/** Every /proc path read (`readFileSync`) or listed (`readdirSync`) while `fn` runs, in order. */
async function procCalls(fn: () => Promise<unknown>): Promise<string[]> {
  const calls: string[] = []
  const { readFileSync, readdirSync } = fs
  const note = (path: unknown) => {
    if (typeof path === 'string' && path.startsWith('/proc')) calls.push(path)
  }
  fs.readFileSync = ((path: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    note(path)
    return (readFileSync as (...args: unknown[]) => unknown)(path, ...rest)
  }) as typeof fs.readFileSync
  fs.readdirSync = ((path: fs.PathLike, ...rest: unknown[]) => {
    note(path)
    return (readdirSync as (...args: unknown[]) => unknown)(path, ...rest)
  }) as typeof fs.readdirSync
  syncBuiltinESMExports()
  try {
    await fn()
  } finally {
    Object.assign(fs, { readFileSync, readdirSync })
    syncBuiltinESMExports()
  }
  return calls
}

/** The last pid the kernel gave out (this namespace's), from /proc/loadavg. */
function lastPid(): number {
  return Number(fs.readFileSync('/proc/loadavg', 'latin1').trim().split(/\s+/).pop())
}

let pidsToKill: number[] = []
afterEach(() => {
  for (const pid of pidsToKill) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // gone, as it should be
    }
  }
  pidsToKill = []
})

describe.runIf(linux)('the process check after a test that spawned', () => {
  test('finds the daemon a child left behind by the test token, and kills it', async ({ task }) => {
    const run = new TestAttempt(task)
    await shell(run, 'sleep 30 > /dev/null 2>&1 &')
    const leak = await checkProcesses(run)
    expect(leak?.message).toMatch(
      /- process "pid (\d+): sleep 30" \(still running after the test, a descendant of pid \d+ \(sh -c sleep 30 .*\); killed\)/,
    )
    const pid = Number(/pid (\d+): sleep 30/.exec(leak?.message ?? '')?.[1])
    pidsToKill.push(pid)
    const info = processInfo(pid)
    expect(info === undefined || info.state === 'Z').toBe(true)
  })

  test('reads the stat lines and environments of no process older than its first child', async ({ task }) => {
    const run = new TestAttempt(task)
    let leak: Error | undefined
    const reads = await procReads(async () => {
      await shell(run, 'sleep 30 > /dev/null 2>&1 &')
      leak = await checkProcesses(run)
    })
    const first = run.spawned[0]?.pid as number
    pidsToKill.push(Number(/pid (\d+): sleep 30/.exec(leak?.message ?? '')?.[1]))
    // The daemon was found: by its environment, read among the processes made since.
    expect(leak?.message).toContain('sleep 30')
    expect(reads.get('environ')?.length).toBeGreaterThan(0)
    // A full scan reads this process's own entry (and every older one's) too.
    for (const file of ['stat', 'environ', 'cmdline']) {
      expect(reads.get(file)?.filter((pid) => pid < first) ?? [], `/proc/<pid>/${file}`).toEqual([])
    }
  })

  test('a daemon that ends soon after the test is waited for, not charged', async ({ task }) => {
    const run = new TestAttempt(task)
    await shell(run, 'sleep 0.05 > /dev/null 2>&1 &')
    expect(await checkProcesses(run)).toBeUndefined()
  })
})

describe.runIf(linux)('what the check costs per test (issue 28)', () => {
  test('the spawn hook reads nothing from /proc: no start time, and the fork count of the last check', async ({
    task,
  }) => {
    const run = new TestAttempt(task)
    forkCount() // as the previous test's check did, a moment ago
    let child: ReturnType<typeof spawn> | undefined
    const calls = await procCalls(async () => {
      child = runAttributed(run, () => spawn('true', [], { stdio: 'ignore' }))
    })
    await once(child as NonNullable<typeof child>, 'exit')
    expect(calls).toEqual([])
    expect(run.forksBefore).toBeGreaterThan(0)
    expect(await checkProcesses(run)).toBeUndefined()
  })

  test('the environment of a process is read once per worker, however many checks see it', async ({
    task,
  }) => {
    const run = new TestAttempt(task)
    await shell(run, 'exit 0')
    // Not the test's (spawned outside it): no token, made after its first child.
    const other = spawn('sleep', ['30'], { stdio: 'ignore' })
    try {
      const calls = await procCalls(async () => {
        expect(await checkProcesses(run)).toBeUndefined()
        expect(await checkProcesses(run)).toBeUndefined()
      })
      expect(calls.filter((path) => path === `/proc/${other.pid}/environ`)).toHaveLength(1)
    } finally {
      other.kill('SIGKILL')
      await once(other, 'exit')
    }
  })

  test('/proc is not listed when few pids were given out since the first child: each is asked for', async ({
    task,
  }) => {
    const run = new TestAttempt(task)
    const calls = await procCalls(async () => {
      await shell(run, 'exit 0')
      expect(await checkProcesses(run)).toBeUndefined()
    })
    const given = lastPid() - (run.spawned[0]?.pid as number)
    // A burst of other processes (more than 64 pids since) makes the listing the cheaper way.
    if (given <= 64) expect(calls).not.toContain('/proc')
    expect(calls.filter((path) => path.endsWith('/stat')).length).toBeGreaterThan(0)
  })
})

describe.runIf(linux)('processesAbove', () => {
  test('lists what was started after the mark, and nothing older', async () => {
    const forks = forkCount() as number
    const child = spawn('sleep', ['30'], { stdio: 'ignore' })
    try {
      const floor = (child.pid as number) - 1
      const found = processesAbove(floor, forks)
      expect(found?.map((p) => p.pid)).toContain(child.pid)
      expect(found?.every((p) => p.pid > floor)).toBe(true)
      expect(found?.some((p) => p.pid === process.pid)).toBe(false)
    } finally {
      child.kill('SIGKILL')
      await once(child, 'exit')
    }
  })

  test('leaves threads out: /proc/<tid>/stat answers for a thread, though no listing shows it', async () => {
    const forks = forkCount() as number
    const floor = lastPid()
    // A worker thread of this process: new tids above the floor, no new process.
    const worker = new Worker('setInterval(() => {}, 1000)', { eval: true })
    try {
      await once(worker, 'online')
      const tids = fs.readdirSync(`/proc/${process.pid}/task`).map(Number)
      expect(tids.filter((tid) => tid > floor).length).toBeGreaterThan(0)
      const found = processesAbove(floor, forks)?.map((p) => p.pid) ?? []
      expect(found.filter((pid) => tids.includes(pid))).toEqual([])
    } finally {
      await worker.terminate()
    }
  })

  test('declines when the pid counter may have wrapped since the mark: the caller scans everything', () => {
    const forks = forkCount() as number
    // No pid above pid_max is ever given out: the counter is below this floor, so it went round.
    expect(processesAbove(2 ** 22 + 1, forks)).toBeUndefined()
    // More tasks created since the mark than half the pid space: it may have gone round once.
    expect(processesAbove(1, forks - 2 ** 22)).toBeUndefined()
  })
})
