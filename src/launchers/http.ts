// Launches a Streamable HTTP server: one already running at a URL, or one we spawn on a loopback port.
import { createServer } from 'node:net'
import { ServerStartError } from './errors.js'
import { endSession, initialize, isNetworkError, NoSession, type Session } from './http-session.js'
import type { LaunchedServer, LaunchOptions } from './launcher.js'
import { LineSplitter } from './line-splitter.js'
import { shownLine } from './noise.js'
import type { HttpSpawnedServerConfig, HttpUrlServerConfig } from './server-config.js'
import { commandLine, ServerProcess } from './server-process.js'
import { settlesWithin } from './wait.js'

export type HttpServerConfig = HttpUrlServerConfig | HttpSpawnedServerConfig

/** The longest stdout line kept of a spawned HTTP server's log; a longer one is noted, not kept. */
const LOG_LINE_BYTES = 64 * 1024
/** How long a request whose connection broke waits for the server's exit to be seen (see exitAware). */
const EXIT_WAIT_MS = 100

export function launchHttp(
  name: string,
  config: HttpServerConfig,
  options: LaunchOptions,
): Promise<LaunchedServer> {
  return 'url' in config ? connectUrl(name, config, options) : launchSpawned(name, config, options)
}

async function connectUrl(
  name: string,
  config: HttpUrlServerConfig,
  options: LaunchOptions,
): Promise<LaunchedServer> {
  const url = new URL(config.url)
  const requestInit = config.headers ? { headers: { ...config.headers } } : undefined
  let session: Session
  try {
    session = await initialize(
      url,
      requestInit,
      options.startupTimeout,
      options.timeline,
      undefined,
      options.client,
    )
  } catch (error) {
    const { reason, last, waited } = error instanceof NoSession ? error : new NoSession('protocol', error)
    throw new ServerStartError({
      server: name,
      reason,
      command: '',
      url: url.href,
      stderrTail: '',
      ...(waited && { timeoutMs: options.startupTimeout }),
      cause: last,
    })
  }
  options.timeline.record('initialized', session.client.getServerVersion()?.name)
  let stopping: Promise<undefined> | undefined
  const stop = () => {
    stopping ??= endSession(session, options.shutdown, options.timeline).then(() => {
      options.timeline.record('stopped')
      return undefined
    })
    return stopping
  }
  return { client: session.client, process: undefined, stop }
}

/** Spawns tried when each finds its port taken after all (EADDRINUSE): a race with another process. */
const PORT_ATTEMPTS = 3

async function launchSpawned(
  name: string,
  config: HttpSpawnedServerConfig,
  options: LaunchOptions,
): Promise<LaunchedServer> {
  const deadline = performance.now() + options.startupTimeout
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnOnFreePort(name, config, options, deadline)
    } catch (error) {
      // Another process bound its port between our check and its own bind: another port, while time is left.
      const portTaken =
        error instanceof ServerStartError && error.reason === 'exit' && /EADDRINUSE/.test(error.stderrTail)
      if (!portTaken || attempt >= PORT_ATTEMPTS || performance.now() >= deadline) throw error
      options.timeline.record('port-taken', `attempt ${attempt} exited with EADDRINUSE; another port`)
    }
  }
}

async function spawnOnFreePort(
  name: string,
  config: HttpSpawnedServerConfig,
  options: LaunchOptions,
  deadline: number,
): Promise<LaunchedServer> {
  const { command, args, cwd, path = '/mcp' } = config
  let port: number
  try {
    port = await freeLoopbackPort()
  } catch (error) {
    const why = `no free port on 127.0.0.1 to pass as PORT (${error instanceof Error ? error.message : String(error)})`
    throw new ServerStartError({
      server: name,
      reason: 'spawn',
      command: commandLine(config),
      stderrTail: '',
      cause: new Error(why, { cause: error }),
    })
  }
  // PORT last: the host chose it, and the URL below must be where the server listens.
  const env = { ...config.env, PORT: String(port) }
  const proc = await ServerProcess.spawn(name, { command, args, cwd, env }, options.timeline)
  keepStdoutAsLog(proc)
  const url = new URL(`http://127.0.0.1:${port}${path}`)
  const left = Math.max(1, deadline - performance.now())
  let session: Session
  try {
    session = await initialize(url, undefined, left, options.timeline, proc, options.client)
  } catch (error) {
    const { reason, last, waited } = error instanceof NoSession ? error : new NoSession('protocol', error)
    const exited = proc.exit !== undefined
    const neverListened = !exited && reason === 'unreachable' && waited
    // Its last words are in the pipes when it exits; then it and its group are gone before we report.
    if (exited) await settlesWithin(proc.drained, 100)
    await proc.stop(options.shutdown)
    throw new ServerStartError({
      server: name,
      // Still running when time ran out: it never listened, or never answered.
      reason: exited ? 'exit' : neverListened ? 'timeout' : reason,
      ...(neverListened && { note: `nothing listened at its url: ${(last as Error).message}` }),
      command: proc.command,
      url: url.href,
      exit: proc.ending,
      stderrTail: proc.stderr.tail(),
      ...((waited || reason === 'timeout') && { timeoutMs: options.startupTimeout }),
      cause: last,
    })
  }
  options.timeline.record('initialized', session.client.getServerVersion()?.name)
  exitAware(session, proc)
  let stopping: Promise<Awaited<ReturnType<ServerProcess['stop']>>> | undefined
  // Exited while in use: what is pending fails now (the owner has marked it crashed by then).
  void proc.ended.then(() =>
    setImmediate(() => {
      if (!stopping) session.client.close().catch(() => {})
    }),
  )
  const stop = () => {
    stopping ??= (async () => {
      if (proc.running) await endSession(session, options.shutdown, options.timeline)
      else await session.client.close().catch(() => {})
      return proc.stop(options.shutdown)
    })()
    return stopping
  }
  return { client: session.client, process: proc, stop }
}

/**
 * A dying server's sockets close before its exit is seen: a request whose connection broke waits
 * (at most EXIT_WAIT_MS) for the exit, so that it fails as what it is, a crash (ServerExitError),
 * not as "fetch failed".
 */
function exitAware({ transport }: Session, proc: ServerProcess): void {
  const send = transport.send.bind(transport)
  transport.send = async (...args) => {
    try {
      return await send(...args)
    } catch (error) {
      if (isNetworkError(error) && (await settlesWithin(proc.ended, EXIT_WAIT_MS))) {
        // Its owner marks it crashed in a reaction to `ended` registered before ours; one turn more.
        await new Promise((resolve) => setImmediate(resolve))
      }
      throw error
    }
  }
}

/**
 * Ports tried first: below Linux's ephemeral range (32768–60999), where the kernel hands out the
 * ports of `listen(0)` and of outgoing connections. A port from `listen(0)`, closed for the server
 * to take, may be handed to the next process that asks, such as another run's server; a random port
 * here is only taken by another random pick (about 1 in 12,000).
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

/** Stdout is not the protocol here: its lines go to the stderr tail, marked, bounded like it. */
function keepStdoutAsLog(proc: ServerProcess): void {
  const lines = new LineSplitter(
    LOG_LINE_BYTES,
    (line) => proc.stderr.push(`[stdout] ${shownLine(line)}\n`),
    ({ bytes, head }) =>
      proc.stderr.push(
        `[stdout] ${shownLine(head)}… (a line over ${LOG_LINE_BYTES} bytes, ${bytes}+ bytes)\n`,
      ),
  )
  proc.child.stdout.on('data', (chunk: Buffer) => lines.push(chunk))
  proc.child.stdout.on('end', () => lines.flush())
}
