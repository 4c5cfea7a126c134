// The reaper process on its own: this test is its client. Closing the pipe is, for the reaper,
// exactly what a SIGKILLed client looks like; the killed-runner cases are in test/e2e/reaper.test.ts.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, test } from 'vitest'
import { processInfo } from '../../src/launchers/processes/process-table.js'
import {
  REAPER_CLIENT_VARIABLE,
  type ReapedLine,
  type ReaperMessage,
  type Watched,
} from '../../src/launchers/processes/reaper-protocol.js'
import { settlesWithin } from '../../src/launchers/util/wait.js'
import { isDead, MARK_VAR, markEnv, markedServers, waitDead, waitForMarked } from './process-helpers.js'

const linux = process.platform === 'linux'
const reaperScript = fileURLToPath(new URL('../../dist/src/launchers/reaper.js', import.meta.url))
const TOKEN_VAR = 'VITEST_MCP_HOST_SERVER'

// Ignores SIGTERM and stdin; as "parent" it first starts a child in a new session (out of its group).
const STUBBORN = `process.on('SIGTERM', () => {})
if (process.argv[1] === 'parent') require('node:child_process').spawn(process.execPath, ['-e', process.env.STUBBORN, 'child'], { detached: true, stdio: 'ignore' }).unref()
setInterval(() => {}, 1000)`

const mark = markedServers()
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A stubborn process leading its own group, its env carrying `token`; resolves once its child runs too. */
async function stubborn(token: string, withChild: boolean) {
  const m = mark('reaper')
  const child = spawn(process.execPath, ['-e', STUBBORN, withChild ? 'parent' : 'alone'], {
    detached: true,
    stdio: 'ignore',
    env: { ...markEnv(m), STUBBORN, [TOKEN_VAR]: token },
  })
  child.unref()
  const pid = child.pid ?? -1
  await waitForMarked(m)
  if (withChild) await expect.poll(() => markedPidsOf(m).length, { timeout: 5000 }).toBe(2)
  const watched: Watched = {
    kind: 'server',
    leader: true,
    label: `server "${token}"`,
    pid,
    startTime: processInfo(pid)?.startTime,
    token: { name: TOKEN_VAR, value: token },
    termMs: 200,
  }
  return { watched, mark: m, pids: () => markedPidsOf(m) }
}

function markedPidsOf(m: string): number[] {
  if (!linux) return []
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'latin1').includes(`${MARK_VAR}=${m}\0`) && !isDead(pid)
      } catch {
        return false
      }
    })
}

function startReaper(): {
  reaper: ChildProcessWithoutNullStreams
  send: (m: ReaperMessage) => void
  exited: Promise<number | null>
} {
  const reaper = spawn(process.execPath, [reaperScript], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    env: { [REAPER_CLIENT_VARIABLE]: `${process.pid}:7` },
  }) as unknown as ChildProcessWithoutNullStreams
  const exited = new Promise<number | null>((resolve) => reaper.once('exit', (code) => resolve(code)))
  return { reaper, send: (m) => reaper.stdin.write(`${JSON.stringify(m)}\n`), exited }
}

function reportLines(dir: string): ReapedLine[] {
  const file = path.join(dir, `reaper-${process.pid}-7.jsonl`)
  try {
    return readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ReapedLine)
  } catch {
    return []
  }
}

describe.runIf(linux)('the reaper process', () => {
  test('when its client is gone it kills what it watched: the group (SIGTERM ignored) and a child in another session, found by token', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'reaper-test-'))
    dirs.push(dir)
    const server = await stubborn('tok-a', true)
    const [before] = [server.pids()]
    const { send, reaper, exited } = startReaper()
    send({ op: 'report', dir })
    send({ op: 'watch', id: 1, watched: server.watched })
    const started = performance.now()
    reaper.stdin.end()
    expect(await settlesWithin(exited, 5000), 'the reaper exits after reaping').toBe(true)
    const ms = performance.now() - started
    expect(server.pids()).toEqual([])
    // SIGTERM is ignored: termMs (200), then SIGKILL.
    expect(ms).toBeGreaterThanOrEqual(150)
    expect(ms).toBeLessThan(3000)
    // One line as the pipe closed (the reporter then waits for the next), one once all is killed.
    const [reaping, reaped] = reportLines(dir)
    expect(reaping).toEqual({ event: 'reaping', worker: { pid: process.pid, threadId: 7 }, unexpected: true })
    if (reaped?.event !== 'reaped') throw new Error(`expected a reaped line, got ${JSON.stringify(reaped)}`)
    expect(reaped).toMatchObject({ worker: { pid: process.pid, threadId: 7 }, unexpected: true })
    expect(new Set(reaped.reaped.map((p) => p.pid))).toEqual(new Set(before))
    expect(reaped.reaped).toContainEqual({ pid: server.watched.pid, label: 'server "tok-a"' })
  })

  test('what was released, and a pid whose process is not the one watched (reused), are left alone', async () => {
    const released = await stubborn('tok-b', false)
    const reused = await stubborn('tok-c', false)
    const killed = await stubborn('tok-d', false)
    const { send, reaper, exited } = startReaper()
    send({ op: 'watch', id: 1, watched: released.watched })
    send({ op: 'release', id: 1 })
    // Another start time: the watched process is gone and this pid belongs to somebody else now.
    const other = {
      ...reused.watched,
      startTime: (reused.watched.startTime ?? 0) + 1,
      token: { name: TOKEN_VAR, value: 'not-its-token' },
    }
    send({ op: 'watch', id: 2, watched: other })
    send({ op: 'watch', id: 3, watched: killed.watched })
    reaper.stdin.end()
    expect(await settlesWithin(exited, 5000)).toBe(true)
    expect(await waitDead(killed.watched.pid)).toBe(true)
    expect(isDead(released.watched.pid), 'released').toBe(false)
    expect(isDead(reused.watched.pid), 'not the watched process').toBe(false)
    for (const left of [released, reused]) {
      process.kill(-left.watched.pid, 'SIGKILL')
      expect(await waitDead(left.watched.pid)).toBe(true)
    }
  })

  test('a goodbye with nothing watched ends it at once, before its pipe closes; with something watched, it reaps at the close and says the exit was normal', async () => {
    const idle = startReaper()
    idle.send({ op: 'bye' })
    expect(await settlesWithin(idle.exited, 5000), 'exits on the goodbye').toBe(true)
    idle.reaper.stdin.destroy()

    const dir = mkdtempSync(path.join(tmpdir(), 'reaper-test-'))
    dirs.push(dir)
    const server = await stubborn('tok-e', false)
    const busy = startReaper()
    busy.send({ op: 'report', dir })
    busy.send({ op: 'watch', id: 1, watched: server.watched })
    busy.send({ op: 'bye' })
    expect(await settlesWithin(busy.exited, 300), 'still watching until the pipe closes').toBe(false)
    busy.reaper.stdin.end()
    expect(await settlesWithin(busy.exited, 5000)).toBe(true)
    expect(server.pids()).toEqual([])
    expect(reportLines(dir)).toEqual([
      { event: 'reaping', worker: { pid: process.pid, threadId: 7 }, unexpected: false },
      {
        event: 'reaped',
        worker: { pid: process.pid, threadId: 7 },
        unexpected: false,
        reaped: [{ pid: server.watched.pid, label: 'server "tok-e"' }],
      },
    ])
  })

  test("once a group leader is gone, only members of its group carrying its token are its (the group id may be another session's)", async () => {
    const m = mark('reaper-group')
    // A leads a new group and starts two members in it, one with the token and one without; then exits.
    const LEADER = `const { spawn } = require('node:child_process')
const member = (env) => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', env }).pid
console.log(JSON.stringify({ token: member(process.env), foreign: member({ ${MARK_VAR}: process.env.${MARK_VAR} }) }))
process.exit(0)`
    const leader = spawn(process.execPath, ['-e', LEADER], {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...markEnv(m), [TOKEN_VAR]: 'tok-g' },
    })
    const leaderPid = leader.pid as number
    const startTime = processInfo(leaderPid)?.startTime
    let output = ''
    leader.stdout.on('data', (chunk) => (output += chunk))
    await once(leader, 'exit')
    const members = JSON.parse(output) as { token: number; foreign: number }
    const { send, reaper, exited } = startReaper()
    send({
      op: 'watch',
      id: 1,
      watched: {
        kind: 'server',
        leader: true,
        label: 'server "g"',
        pid: leaderPid,
        startTime,
        token: { name: TOKEN_VAR, value: 'tok-g' },
      },
    })
    reaper.stdin.end()
    expect(await settlesWithin(exited, 5000)).toBe(true)
    expect(await waitDead(members.token), 'the member carrying the token').toBe(true)
    expect(isDead(members.foreign), 'the member without it').toBe(false)
    process.kill(members.foreign, 'SIGKILL')
    expect(await waitDead(members.foreign)).toBe(true)
  })

  test('a goodbye, then the release of the last watched process, ends it at once', async () => {
    const server = await stubborn('tok-h', false)
    const { send, exited } = startReaper()
    send({ op: 'watch', id: 1, watched: server.watched })
    send({ op: 'bye' })
    expect(await settlesWithin(exited, 300), 'still watching').toBe(false)
    send({ op: 'release', id: 1 })
    expect(await settlesWithin(exited, 5000), 'exits on the last release, its pipe still open').toBe(true)
    expect(isDead(server.watched.pid)).toBe(false)
    process.kill(-server.watched.pid, 'SIGKILL')
    expect(await waitDead(server.watched.pid)).toBe(true)
  })

  test('lines that are not messages, or too long, are ignored', async () => {
    const server = await stubborn('tok-f', false)
    const { send, reaper, exited } = startReaper()
    reaper.stdin.write('not json\n')
    reaper.stdin.write(`${'x'.repeat(200_000)}\n`)
    send({ op: 'watch', id: 1, watched: server.watched })
    reaper.stdin.end()
    expect(await settlesWithin(exited, 5000)).toBe(true)
    expect(server.pids()).toEqual([])
  })
})
