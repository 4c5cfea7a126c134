// Launches an in-process server over the SDK's linked in-memory transport pair.
import { inspect } from 'node:util'
import { InMemoryTransport } from '@modelcontextprotocol/client'
import { newHostClient, tapped } from '../client/client.js'
import { isRequestTimeout } from '../client/request-timeout.js'
import { ServerStartError } from '../errors.js'
import type { LaunchedServer, LaunchOptions } from '../launcher.js'
import type { MemoryServerConfig } from '../server-config.js'
import { isServerLike, type ServedServer, serveInProcess } from './serve-in-process.js'

const TIMED_OUT: unique symbol = Symbol('timed out')

/**
 * `promise`'s value, or TIMED_OUT if it takes longer than `ms`; no timer is left behind. A plain
 * timer, not an aborted `timers/promises` delay: each abort builds two errors with stacks (~0.1 ms).
 */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(resolve, ms, TIMED_OUT)
  })
  try {
    return await Promise.race([promise, timedOut])
  } finally {
    clearTimeout(timer)
  }
}

export async function launchMemory(
  name: string,
  config: MemoryServerConfig,
  options: LaunchOptions,
): Promise<LaunchedServer> {
  const ms = options.startupTimeout
  const fail = (cause: unknown, reason: 'protocol' | 'timeout' = 'protocol') =>
    new ServerStartError({
      server: name,
      reason,
      command: '(in-memory server)',
      stderrTail: '',
      timeoutMs: ms,
      cause,
    })
  const deadline = performance.now() + ms
  const left = () => Math.max(1, Math.ceil(deadline - performance.now()))
  // A factory that throws synchronously rejects like one that returns a rejected promise.
  const making = new Promise<unknown>((resolve) => resolve(config.server()))
  let made: unknown
  try {
    made = await within(making, ms)
  } catch (error) {
    throw fail(error)
  }
  if (made === TIMED_OUT) {
    // Whatever the factory makes after the timeout is closed, never used.
    making.then((late) => (isServerLike(late) ? late.close() : undefined)).catch(() => {})
    throw fail(new Error(`server() did not return within ${ms} ms (startupTimeout)`), 'timeout')
  }
  if (!isServerLike(made)) {
    const shown = inspect(made, { depth: 0, breakLength: Number.POSITIVE_INFINITY, maxStringLength: 60 })
    throw fail(new Error(`server() returned ${shown}, not an McpServer (or a Promise of one)`))
  }
  const server = made
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  const client = newHostClient(options.client)
  // An SDK v2 server is served on both revisions (serve-in-process.ts); set once it is.
  let served: ServedServer | undefined
  let stopping: Promise<undefined> | undefined
  const stop = () => {
    stopping ??= Promise.allSettled([client.close(), (async () => (served ?? server).close())()]).then(() => {
      options.timeline.record('stopped')
      return undefined
    })
    return stopping
  }
  let connected: true | typeof TIMED_OUT
  try {
    // One deadline for the factory and the handshake: the startup timeout bounds them together.
    connected = await within(
      (async () => {
        served = await serveInProcess(server, serverSide, {
          again: config.server,
          onerror: (error) => options.timeline.record('server-error', error.message),
        })
        await client.connect(tapped(client, clientSide, options.client), { timeout: left() })
        return true as const
      })(),
      left(),
    )
  } catch (error) {
    await stop()
    const timedOut = isRequestTimeout(error)
    throw fail(error, timedOut ? 'timeout' : 'protocol')
  }
  if (connected === TIMED_OUT) {
    await stop()
    throw fail(new Error(`the server did not connect within ${ms} ms (startupTimeout)`), 'timeout')
  }
  options.timeline.record('initialized', client.getServerVersion()?.name)
  return { client, process: undefined, stop }
}
