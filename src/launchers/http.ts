// Launches a Streamable HTTP server: one already running at a URL, or one we spawn on a loopback port.
import { createServer } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js'
import type { HttpSpawnedServerConfig, HttpUrlServerConfig, ShutdownOptions } from '../host/config-types.js'
import { HOST_INFO } from '../version.js'
import { ServerStartError, type StartFailure } from './errors.js'
import type { LaunchedServer, LaunchOptions } from './launcher.js'
import { LineSplitter } from './line-splitter.js'
import { shownLine } from './noise.js'
import { ServerProcess } from './server-process.js'
import type { Timeline } from './timeline.js'
import { settlesWithin } from './wait.js'

export type HttpServerConfig = HttpUrlServerConfig | HttpSpawnedServerConfig

/** The longest stdout line kept of a spawned HTTP server's log; a longer one is noted, not kept. */
const LOG_LINE_BYTES = 64 * 1024
/** First and largest pause between attempts to initialize a server that is not listening yet. */
const FIRST_RETRY_MS = 2
const MAX_RETRY_MS = 10
/** The least time a DELETE of the session gets at shutdown (else `shutdown.graceMs`). */
const MIN_SESSION_END_MS = 100

interface Session {
  readonly client: Client
  readonly transport: StreamableHTTPClientTransport
}

/** Why attempts to initialize ended without a session: the last error, and whether time ran out. */
class NoSession extends Error {
  constructor(
    readonly reason: StartFailure,
    readonly last: unknown,
    /** Tried until the startup timeout (else it failed at once). */
    readonly waited = reason === 'timeout',
  ) {
    super(last instanceof Error ? last.message : String(last), { cause: last })
  }
}

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
    session = await initialize(url, requestInit, options.startupTimeout, options.timeline)
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

async function launchSpawned(
  name: string,
  config: HttpSpawnedServerConfig,
  options: LaunchOptions,
): Promise<LaunchedServer> {
  const deadline = performance.now() + options.startupTimeout
  const { command, args, cwd, path = '/mcp' } = config
  const port = await freeLoopbackPort()
  // PORT last: the host chose it, and the URL below must be where the server listens.
  const env = { ...config.env, PORT: String(port) }
  const proc = await ServerProcess.spawn(name, { command, args, cwd, env }, options.timeline)
  keepStdoutAsLog(proc)
  const url = new URL(`http://127.0.0.1:${port}${path}`)
  const left = Math.max(1, deadline - performance.now())
  let session: Session
  try {
    session = await initialize(url, undefined, left, options.timeline, proc)
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
 * Initializes a session at `url`, trying again after errors that mean nothing listens there yet
 * (refused, reset, a gateway's 502/503/504), with a short growing pause, until `ms` pass or `proc`
 * (if any) exits. Anything else (an unknown host, a failed TLS handshake, an HTTP error) fails at once.
 */
async function initialize(
  url: URL,
  requestInit: RequestInit | undefined,
  ms: number,
  timeline: Timeline,
  proc?: ServerProcess,
): Promise<Session> {
  const deadline = performance.now() + ms
  const exited = new AbortController()
  void proc?.ended.then(() => exited.abort())
  let pause = FIRST_RETRY_MS
  let attempts = 0
  for (;;) {
    const left = Math.ceil(deadline - performance.now())
    const transport = new StreamableHTTPClientTransport(url, requestInit ? { requestInit } : {})
    const client = new Client({ ...HOST_INFO }, { capabilities: {} })
    attempts += 1
    try {
      await client.connect(transport, { timeout: Math.max(1, left) })
      if (attempts > 1) timeline.record('http-attempts', `${attempts} until initialize succeeded`)
      return { client, transport }
    } catch (error) {
      await client.close().catch(() => {})
      if (isTimeout(error)) throw new NoSession('timeout', error)
      if (exited.signal.aborted) throw new NoSession('exit', error)
      // Waiting cannot help a name that does not resolve or a TLS handshake that fails.
      if (!notListening(error)) {
        throw isNetworkError(error)
          ? new NoSession('unreachable', describeNetworkError(error))
          : new NoSession('protocol', error)
      }
      const rest = deadline - performance.now()
      if (rest <= 0) throw new NoSession('unreachable', describeNetworkError(error), true)
      await delay(Math.min(pause, rest), undefined, { signal: exited.signal }).catch(() => {})
      if (exited.signal.aborted) throw new NoSession('exit', error)
      pause = Math.min(pause * 2, MAX_RETRY_MS)
    }
  }
}

/**
 * Terminates the session (HTTP DELETE), waiting at most `graceMs` (at least 100 ms) for the answer,
 * then closes the client (which aborts a DELETE still under way). A session not terminated is on
 * the timeline: the server may keep it.
 */
async function endSession(
  { client, transport }: Session,
  shutdown: Required<ShutdownOptions>,
  timeline: Timeline,
): Promise<void> {
  const ms = Math.max(shutdown.graceMs, MIN_SESSION_END_MS)
  const sessionId = transport.sessionId
  let failure: unknown
  const terminating = transport.terminateSession().catch((error: unknown) => {
    failure = error
  })
  if (!(await settlesWithin(terminating, ms))) failure = new Error(`no answer to DELETE within ${ms} ms`)
  if (sessionId !== undefined && failure !== undefined) {
    timeline.record('session-not-terminated', `${sessionId}: ${describeNetworkError(failure).message}`)
  } else if (sessionId !== undefined) timeline.record('session-terminated', sessionId)
  await client.close().catch(() => {})
}

/** A TCP port free on 127.0.0.1 a moment ago (the OS picks it; we close it before the server binds it). */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
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
}

function isTimeout(error: unknown): boolean {
  return error instanceof McpError && error.code === ErrorCode.RequestTimeout
}

/** Errno codes of fetch's failures that mean "nobody listens there yet, or it just went away". */
const NOT_LISTENING = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'UND_ERR_SOCKET'])

/** fetch's network failures are TypeErrors ("fetch failed"), their errno in `cause`. */
function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError && (error as { cause?: unknown }).cause instanceof Error
}

function notListening(error: unknown): boolean {
  if (error instanceof StreamableHTTPError) return [502, 503, 504].includes(error.code ?? 0)
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code
  return isNetworkError(error) && typeof code === 'string' && NOT_LISTENING.has(code)
}

/**
 * "fetch failed" says nothing: its cause does (`connect ECONNREFUSED 127.0.0.1:9`; for TLS, its
 * `reason` and code rather than OpenSSL's multi-line message).
 */
function describeNetworkError(error: unknown): Error {
  const cause = (error as { cause?: unknown } | undefined)?.cause
  if (!(error instanceof TypeError && cause instanceof Error)) {
    return error instanceof Error ? error : new Error(String(error))
  }
  const { reason, code } = cause as { reason?: unknown; code?: unknown }
  const text = typeof reason === 'string' ? reason : (cause.message.trim().split('\n')[0] ?? '')
  const described = typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text
  return new Error(described, { cause: error })
}
