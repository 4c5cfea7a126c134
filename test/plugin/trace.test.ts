// The opt-in handle trace on real handles: what outlives the owner is reported once, with the
// user's call site; what was closed, unref'd or made by another owner is not.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFile } from 'node:fs'
import net from 'node:net'
import { setInterval as every, setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, test } from 'vitest'
import { startHandleTrace } from '../../src/plugin/worker/trace.js'
import { type Attribution, runAttributed } from '../../src/scope/index.js'
import { siteMatcher } from '../support/assertions.js'

const site = siteMatcher(import.meta.url)
const owner = (label: string): Attribution => ({ label, shared: false })

/** A server listening on 127.0.0.1, made outside every trace. */
async function listening(): Promise<net.Server> {
  const server = net.createServer((socket) => socket.on('error', () => {}))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return server
}

const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port
const closed = (server: net.Server) => new Promise((resolve) => server.close(resolve))

async function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exit = once(child, 'exit')
  child.kill('SIGKILL')
  await exit
}

describe('timers', () => {
  test('a pending timer is reported once, with the line that created it', async () => {
    const test = owner('test "pending timer"')
    const trace = startHandleTrace(test)
    const timer = runAttributed(test, () => setTimeout(() => {}, 10_000)) // site:pending-timer
    try {
      const leaks = await trace.stop()
      expect(leaks).toHaveLength(1)
      expect(leaks[0]).toMatchObject({
        kind: 'timer',
        label: 'a timer (setTimeout/setInterval) created during the test is still scheduled',
        detail: 'setTimeout of 10000 ms',
        hint: 'clear it with clearTimeout/clearInterval, or await it, before the test ends.',
        createdIn: { context: 'test "pending timer"', at: expect.stringMatching(site('pending-timer')) },
      })
      expect(leaks[0]?.frame).toContain('trace.test.ts')
    } finally {
      clearTimeout(timer)
    }
  })

  test('a cleared, an unref`d and a fired timer are not reported', async () => {
    const test = owner('test "quiet timers"')
    const trace = startHandleTrace(test)
    const unrefd = runAttributed(test, () => {
      clearTimeout(setTimeout(() => {}, 10_000))
      setTimeout(() => {}, 5)
      return setTimeout(() => {}, 10_000).unref()
    })
    try {
      expect(await trace.stop({ graceMs: 500 })).toEqual([])
    } finally {
      clearTimeout(unrefd)
    }
  })

  test("node:timers/promises timers are the caller's lines, never a cut-off `/promises:79:21`", async () => {
    const test = owner('test "promises timers"')
    const trace = startHandleTrace(test)
    const stop = new AbortController()
    const ticks = runAttributed(test, () => {
      sleep(10_000, undefined, { signal: stop.signal }).catch(() => {}) // site:promises-timeout
      const iterator = every(10_000, undefined, { signal: stop.signal })[Symbol.asyncIterator]()
      iterator.next().catch(() => {}) // site:promises-interval
      return iterator
    })
    try {
      const leaks = await trace.stop()
      expect(leaks.map((leak) => [leak.detail, leak.createdIn.at])).toEqual([
        ['setTimeout of 10000 ms', expect.stringMatching(site('promises-timeout'))],
        ['setInterval every 10000 ms', expect.stringMatching(site('promises-interval'))],
      ])
    } finally {
      stop.abort()
      await ticks.return?.()
    }
  })

  test('an interval is reported as one', async () => {
    const test = owner('test "interval"')
    const trace = startHandleTrace(test)
    const interval = runAttributed(test, () => setInterval(() => {}, 1)) // site:interval
    try {
      const leaks = await trace.stop()
      expect(leaks.map((leak) => [leak.kind, leak.detail, leak.createdIn.at])).toEqual([
        ['timer', 'setInterval every 1 ms', expect.stringMatching(site('interval'))],
      ])
    } finally {
      clearInterval(interval)
    }
  })
})

describe('sockets and servers', () => {
  test('a listening server is reported, with the listen call and its address', async () => {
    const test = owner('test "open server"')
    const trace = startHandleTrace(test)
    const server = runAttributed(test, () => net.createServer().listen(0, '127.0.0.1')) // site:server
    try {
      await once(server, 'listening')
      const leaks = await trace.stop()
      expect(leaks.map((leak) => [leak.kind, leak.detail, leak.createdIn.at])).toEqual([
        ['server', `listening on 127.0.0.1:${portOf(server)}`, expect.stringMatching(site('server'))],
      ])
    } finally {
      await closed(server)
    }
  })

  test('a closed server is not reported', async () => {
    const test = owner('test "closed server"')
    const trace = startHandleTrace(test)
    await runAttributed(test, async () => closed(await listening()))
    expect(await trace.stop()).toEqual([])
  })

  test('a connected socket left open is reported; the server made outside the trace is not', async () => {
    const server = await listening()
    const test = owner('test "open socket"')
    const trace = startHandleTrace(test)
    const socket = runAttributed(test, () => net.connect(portOf(server), '127.0.0.1')) // site:socket
    try {
      await once(socket, 'connect')
      const leaks = await trace.stop()
      expect(leaks.map((leak) => [leak.kind, leak.detail, leak.createdIn.at])).toEqual([
        ['socket', `connected to 127.0.0.1:${portOf(server)}`, expect.stringMatching(site('socket'))],
      ])
    } finally {
      socket.destroy()
      await closed(server)
    }
  })
})

describe('child processes', () => {
  test('a running child is reported once (its stdio pipes are part of it), an exited one is not', async () => {
    const test = owner('test "child"')
    const trace = startHandleTrace(test)
    const child = runAttributed(test, () => spawn('sleep', ['5'])) // site:child
    try {
      const leaks = await trace.stop()
      expect(leaks.map((leak) => [leak.kind, leak.detail, leak.createdIn.at])).toEqual([
        ['process', `pid ${child.pid}`, expect.stringMatching(site('child'))],
      ])
      expect(leaks[0]?.hint).toBe("kill it (child.kill()) and await its 'exit' event before the test ends.")
    } finally {
      await killed(child)
    }

    const again = startHandleTrace(test)
    const quick = runAttributed(test, () => spawn('true'))
    await once(quick, 'close')
    expect(await again.stop()).toEqual([])
  })
})

describe('files and stdio', () => {
  test('an fs call still in flight is reported', async () => {
    const test = owner('test "fs call"')
    const trace = startHandleTrace(test)
    const read = new Promise((resolve) => runAttributed(test, () => readFile(import.meta.filename, resolve))) // site:read
    try {
      const leaks = await trace.stop({ turns: 0, graceMs: 0 })
      expect(leaks.map((leak) => [leak.kind, leak.createdIn.at, leak.hint])).toEqual([
        [
          'file',
          expect.stringMatching(site('read')),
          'wait for its callback, or use fs/promises and await it, before the test ends.',
        ],
      ])
    } finally {
      await read
    }
  })

  test("console output and stdout/stderr writes are the runtime's", async () => {
    const test = owner('test "stdio"')
    const trace = startHandleTrace(test)
    runAttributed(test, () => {
      console.log('trace test: console.log')
      console.error('trace test: console.error')
      process.stdout.write('trace test: stdout\n')
      process.stderr.write('trace test: stderr\n')
    })
    expect(await trace.stop({ turns: 0, graceMs: 0 })).toEqual([])
  })
})

describe('attribution', () => {
  test("another owner's handles are not charged to this one", async () => {
    const test = owner('test "mine"')
    const trace = startHandleTrace(test)
    const theirs = runAttributed(owner('test "theirs"'), () => setTimeout(() => {}, 10_000))
    const outside = setTimeout(() => {}, 10_000)
    try {
      expect(await trace.stop()).toEqual([])
    } finally {
      clearTimeout(theirs)
      clearTimeout(outside)
    }
  })

  test('two overlapping traces each get only their own', async () => {
    const first = owner('test "first"')
    const second = owner('test "second"')
    const firstTrace = startHandleTrace(first)
    const a = runAttributed(first, () => setTimeout(() => {}, 10_000)) // site:first
    const secondTrace = startHandleTrace(second)
    const b = runAttributed(second, () => setTimeout(() => {}, 10_000)) // site:second
    try {
      const firstLeaks = await firstTrace.stop()
      const c = runAttributed(second, () => setTimeout(() => {}, 10_000)) // site:second-later
      const secondLeaks = await secondTrace.stop()
      clearTimeout(c)
      expect(firstLeaks.map((leak) => leak.createdIn)).toEqual([
        expect.objectContaining({ context: 'test "first"', at: expect.stringMatching(site('first')) }),
      ])
      expect(secondLeaks.map((leak) => leak.createdIn.at)).toEqual([
        expect.stringMatching(site('second')),
        expect.stringMatching(site('second-later')),
      ])
    } finally {
      clearTimeout(a)
      clearTimeout(b)
    }
  })

  test('nothing is recorded after stop(): a later trace of the same owner starts empty', async () => {
    const test = owner('test "restarted"')
    const trace = startHandleTrace(test)
    await trace.stop()
    const between = runAttributed(test, () => setTimeout(() => {}, 10_000))
    try {
      expect(await startHandleTrace(test).stop()).toEqual([])
      expect(await trace.stop()).toEqual([])
    } finally {
      clearTimeout(between)
    }
  })
})
