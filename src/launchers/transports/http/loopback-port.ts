// Picks the loopback port a spawned HTTP server is asked to listen on.
import { connect, createServer } from 'node:net'

/**
 * Ports tried first: below Linux's ephemeral range (32768–60999), where the kernel hands out the
 * ports of `listen(0)` and of outgoing connections. A port from `listen(0)`, closed for the server
 * to take, may be handed to the next process that asks, such as another run's server; a random port
 * here is only taken by another random pick (about 1 in 12,000). Either way the port is free only
 * "a moment ago": the launcher checks that the server which answers there is its own.
 */
const PICK_FROM = 20_000
const PICK_SPAN = 12_000
const PICK_TRIES = 20

/** Whether `port` could be bound on 127.0.0.1 just now (then it is released). */
function bindable(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', () => resolve(undefined))
    server.listen(port, '127.0.0.1', () => {
      const address = server.address()
      const bound = typeof address === 'object' && address ? address.port : undefined
      server.close(() => resolve(bound))
    })
  })
}

/** A TCP port free on 127.0.0.1 a moment ago (we release it before the server binds it). */
async function freeLoopbackPort(): Promise<number> {
  for (let i = 0; i < PICK_TRIES; i++) {
    const port = await bindable(PICK_FROM + Math.floor(Math.random() * PICK_SPAN))
    if (port !== undefined) return port
  }
  const any = await bindable(0)
  if (any === undefined) throw new Error('binding 127.0.0.1 failed for every port tried')
  return any
}

/**
 * Where the launcher gets its ports. @internal A seam for tests: replacing `next` makes the
 * chosen port collide with a listener on purpose (the race this package must not lose).
 */
export const portPicker: { next: () => Promise<number> } = { next: freeLoopbackPort }

/**
 * Whether something accepts connections on 127.0.0.1:`port` now: `undefined` if it does (or no
 * answer came within `ms`), else the connect error (ECONNREFUSED: nothing listens). Used after a
 * start timed out, to tell "never listened" from "listened but never answered" (a timed-out
 * request says neither: under load its connect may be what took the time).
 */
export function refusedAt(port: number, ms: number): Promise<Error | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' })
    const timer = setTimeout(() => done(undefined), ms)
    const done = (result: Error | undefined) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(result)
    }
    socket.once('connect', () => done(undefined))
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' ? error : undefined),
    )
  })
}
