// The process table, read from /proc (Linux) and from `ps` (macOS, the BSDs): both must agree on
// what the process check and group shutdown rely on — pid, parent, group, state, command line.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { expect, test } from 'vitest'
import {
  carriesVariable,
  descendantsOf,
  displayCommand,
  listProcesses,
  listProcessesWithPs,
  type ProcessInfo,
  processInfo,
  processInfoWithPs,
  stillRunning,
} from '../../src/launchers/processes/process-table.js'
import { pollUntil } from '../../src/launchers/util/wait.js'

/** A shell in its own process group with a sleeping child, stopped (with its group) after `fn`. */
async function withFamily(fn: (shell: number) => void): Promise<void> {
  const shell = spawn('sh', ['-c', 'sleep 40 & wait'], { detached: true, stdio: 'ignore' })
  const pid = shell.pid
  if (pid === undefined) throw new Error('sh did not start')
  try {
    // The shell's child has exec'd `sleep` once the table shows it: no event says so, so a bounded poll.
    const appeared = await pollUntil(() => descendantsOf(pid).some((p) => p.command === 'sleep 40'), 5000)
    if (!appeared) throw new Error(`"sleep 40" did not appear under the shell (pid ${pid}) within 5000 ms`)
    fn(pid)
  } finally {
    process.kill(-pid, 'SIGKILL')
    await once(shell, 'exit')
  }
}

const pick = ({ pid, ppid, pgid, command }: ProcessInfo) => ({ pid, ppid, pgid, command })

test('ps and /proc report the same family: pids, parents, group and command lines', async () => {
  await withFamily((shell) => {
    const fromProc = listProcesses()
    const fromPs = listProcessesWithPs()
    const family = (table: ProcessInfo[]) =>
      [table.find((p) => p.pid === shell), ...descendantsOf(shell, table)].map((p) => p && pick(p))
    expect(family(fromPs)).toEqual(family(fromProc))
    const [leader, child] = family(fromPs)
    expect(leader).toEqual({ pid: shell, ppid: process.pid, pgid: shell, command: 'sh -c sleep 40 & wait' })
    expect(child).toMatchObject({ ppid: shell, pgid: shell, command: 'sleep 40' })
  })
})

test('the table knows this process, its parent and its state', () => {
  for (const table of [listProcesses(), listProcessesWithPs()]) {
    const self = table.find((p) => p.pid === process.pid)
    expect(self).toMatchObject({ ppid: process.ppid, state: expect.stringMatching(/^[RS]$/) })
    expect(self?.command).toContain(process.argv0.split('/').pop() ?? 'node')
  }
})

test('a command line is shown on one line, shortened with an ellipsis past the limit', () => {
  expect(displayCommand('node -e "\n  const a = 1\n\tconsole.log(a)\n"')).toBe(
    'node -e " const a = 1 console.log(a) "',
  )
  expect(displayCommand('sleep 30')).toBe('sleep 30')
  const long = `node -e ${'x'.repeat(200)}`
  expect(displayCommand(long)).toHaveLength(120)
  expect(displayCommand(long)).toBe(`${long.slice(0, 119)}…`)
  expect(displayCommand('a   b        c', 4)).toBe('a b…')
})

test.runIf(process.platform === 'linux')(
  'a process is named by pid and start time: the same pid with another start time is not it',
  async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], {
      stdio: 'ignore',
      env: { ...process.env, PROCESS_TABLE_TEST: 'yes' },
    })
    try {
      await once(child, 'spawn')
      const seen = processInfo(child.pid as number)
      expect(seen?.startTime).toEqual(expect.any(Number))
      expect(seen && stillRunning(seen)).toBe(true)
      // What a recycled pid looks like: the pid is there, the process is another one.
      expect(seen && stillRunning({ ...seen, startTime: (seen.startTime as number) - 1 })).toBe(false)
      expect(carriesVariable(child.pid as number, 'PROCESS_TABLE_TEST', 'yes')).toBe(true)
      expect(carriesVariable(child.pid as number, 'PROCESS_TABLE_TEST', 'ye')).toBe(false)
      child.kill('SIGKILL')
      await once(child, 'exit')
      expect(seen && stillRunning(seen)).toBe(false)
    } finally {
      child.kill('SIGKILL')
    }
  },
)

test('ps gives start times (macOS identity checks): a process started now, to the second, stable between reads', async () => {
  const before = Math.floor(Date.now() / 1000)
  const child = spawn('sleep', ['30'], { stdio: 'ignore' })
  try {
    await once(child, 'spawn')
    const pid = child.pid as number
    const seen = processInfoWithPs(pid)
    expect(seen).toMatchObject({ pid, ppid: process.pid, command: 'sleep 30' })
    expect(seen?.startTime).toBeGreaterThanOrEqual(before - 1)
    expect(seen?.startTime).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000))
    expect(listProcessesWithPs().find((p) => p.pid === pid)?.startTime).toBe(seen?.startTime)
    expect(processInfoWithPs(process.pid)?.startTime).toBeLessThanOrEqual(seen?.startTime ?? 0)
  } finally {
    child.kill('SIGKILL')
    await once(child, 'exit')
  }
  expect(processInfoWithPs(child.pid as number)).toBeUndefined()
})
