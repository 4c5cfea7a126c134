// Who listens on a port: the check that keeps a spawned HTTP server from being taken for another
// process's server on the same port (issue 27). Real processes and sockets.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { afterEach, expect, test } from 'vitest'
import { portHolding } from '../../src/launchers/processes/port-holders.js'

const linux = process.platform === 'linux'
const children: ChildProcess[] = []

afterEach(async () => {
  for (const child of children.splice(0)) {
    const exited = once(child, 'exit')
    // Its whole group: a wrapper's child too.
    process.kill(-(child.pid as number), 'SIGKILL')
    await exited
  }
})

/** A node process running `script`, resolved once it has printed its first line (its port). */
async function listening(script: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  })
  children.push(child)
  const [line] = (await once(child.stdout as NonNullable<typeof child.stdout>, 'data')) as [Buffer]
  return { child, port: Number(line.toString().trim()) }
}

const LISTEN = `const s = require('node:net').createServer(); s.listen(0, process.argv[1] || '127.0.0.1', () => console.log(s.address().port))`

test('a process listening on 127.0.0.1:port holds it', async () => {
  const { child, port } = await listening(LISTEN)
  expect(portHolding(child.pid as number, port)).toEqual(linux ? { holds: true } : { holds: undefined })
})

test('a process whose descendant listens holds it too (a wrapper such as npx)', async () => {
  const wrapper = `const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(LISTEN)}], { stdio: ['ignore', 'inherit', 'inherit'] }); setInterval(() => {}, 1000)`
  const { child, port } = await listening(wrapper)
  expect(portHolding(child.pid as number, port)).toEqual(linux ? { holds: true } : { holds: undefined })
})

test('another process listening there: not held, and the message says so', async () => {
  const { port } = await listening(LISTEN)
  const { child: other } = await listening(`console.log(0); setInterval(() => {}, 1000)`)
  const holding = portHolding(other.pid as number, port)
  if (!linux) return expect(holding).toEqual({ holds: undefined })
  expect(holding).toEqual({
    holds: false,
    why: `another process listens on 127.0.0.1:${port}, not the one started (pid ${other.pid}) nor its descendants`,
  })
})

test('a listener on every interface (0.0.0.0) answers 127.0.0.1 too: another process holding it is found', async () => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve))
  const { port } = server.address() as { port: number }
  try {
    const { child } = await listening(`console.log(0); setInterval(() => {}, 1000)`)
    expect(portHolding(child.pid as number, port).holds).toBe(linux ? false : undefined)
    expect(portHolding(process.pid, port)).toEqual(linux ? { holds: true } : { holds: undefined })
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
})

test('nothing listening: not held', async () => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  expect(portHolding(process.pid, port)).toEqual(
    linux ? { holds: false, why: `nothing listens on 127.0.0.1:${port} any more` } : { holds: undefined },
  )
})
