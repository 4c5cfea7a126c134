// A Streamable HTTP session of the host: initialized with retries until the server listens, ended with DELETE.

import { setTimeout as delay } from 'node:timers/promises'
import type { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { type ClientSide, newHostClient, tapped } from '../../client/client.js'
import { isRequestTimeout } from '../../client/request-timeout.js'
import type { StartFailure } from '../../errors.js'
import type { ServerProcess } from '../../processes/server-process.js'
import type { ShutdownOptions } from '../../server-config.js'
import type { Timeline } from '../../timeline.js'
import { settlesWithin } from '../../util/wait.js'
import { boundedTransport } from './bounded-fetch.js'
import { HttpResponseError } from './http-errors.js'
import { notFoundAt } from './http-not-found.js'

/** First and largest pause between attempts to initialize a server that is not listening yet. */
const FIRST_RETRY_MS = 2
const MAX_RETRY_MS = 10
/** The least time a DELETE of the session gets at shutdown (else `shutdown.graceMs`). */
const MIN_SESSION_END_MS = 100

export interface Session {
  readonly client: Client
  readonly transport: StreamableHTTPClientTransport
}

/** Why attempts to initialize ended without a session: the last error, and whether time ran out. */
export class NoSession extends Error {
  constructor(
    readonly reason: StartFailure,
    readonly last: unknown,
    /** Tried until the startup timeout (else it failed at once). */
    readonly waited = reason === 'timeout',
  ) {
    super(last instanceof Error ? last.message : String(last), { cause: last })
  }
}

/** Where and how `initialize()` opens a session. */
export interface InitializeOptions {
  readonly url: URL
  /** Headers (and the like) of every request of the session. */
  readonly requestInit?: RequestInit
  /** How long it may keep trying, in ms. */
  readonly ms: number
  readonly timeline: Timeline
  /** The server's process when we spawned it: its exit ends the tries at once. */
  readonly proc?: ServerProcess
  /** What the session's client answers the server. */
  readonly side?: ClientSide
}

/**
 * Initializes a session at `url`, trying again after errors that mean nothing listens there yet
 * (refused, reset, a gateway's 502/503/504), with a short growing pause, until `ms` pass or `proc`
 * (if any) exits. Anything else (an unknown host, a failed TLS handshake, an HTTP error) fails at once.
 */
export async function initialize({
  url,
  requestInit,
  ms,
  timeline,
  proc,
  side,
}: InitializeOptions): Promise<Session> {
  const deadline = performance.now() + ms
  const exited = new AbortController()
  void proc?.ended.then(() => exited.abort())
  let pause = FIRST_RETRY_MS
  let attempts = 0
  for (;;) {
    const left = Math.ceil(deadline - performance.now())
    const transport = boundedTransport(url, requestInit, timeline)
    const client = newHostClient(side)
    attempts += 1
    try {
      await client.connect(tapped(client, transport, side), { timeout: Math.max(1, left) })
      if (attempts > 1) timeline.record('http-attempts', `${attempts} until initialize succeeded`)
      return { client, transport }
    } catch (thrown) {
      await client.close().catch(() => {})
      const error = probeCause(thrown)
      if (isRequestTimeout(error)) throw new NoSession('timeout', error)
      if (exited.signal.aborted) throw new NoSession('exit', error)
      // Waiting cannot help a name that does not resolve or a TLS handshake that fails.
      if (!notListening(error)) {
        throw isNetworkError(error)
          ? new NoSession('unreachable', describeNetworkError(error))
          : new NoSession('protocol', notFoundAt(url, error) ?? error)
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
export async function endSession(
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

/**
 * What made SDK v2's `server/discover` probe fail (its `EraNegotiationFailed` error wraps it): the
 * network error or HTTP error page a plain request would have met; anything else as it is.
 */
function probeCause(error: unknown): unknown {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: unknown }
  return code === 'ERA_NEGOTIATION_FAILED' && cause instanceof Error ? cause : error
}

/** Errno codes of fetch's failures that mean "nobody listens there yet, or it just went away". */
const NOT_LISTENING = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'UND_ERR_SOCKET'])

/** fetch's network failures are TypeErrors ("fetch failed"), their errno in `cause`. */
export function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError && (error as { cause?: unknown }).cause instanceof Error
}

function notListening(error: unknown): boolean {
  if (error instanceof HttpResponseError) return [502, 503, 504].includes(error.status)
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code
  return isNetworkError(error) && typeof code === 'string' && NOT_LISTENING.has(code)
}

/**
 * "fetch failed" says nothing: its cause does (`connect ECONNREFUSED 127.0.0.1:9`; for TLS, its
 * `reason` and code rather than OpenSSL's multi-line message).
 */
export function describeNetworkError(error: unknown): Error {
  const cause = (error as { cause?: unknown } | undefined)?.cause
  if (!(error instanceof TypeError && cause instanceof Error)) {
    return error instanceof Error ? error : new Error(String(error))
  }
  const { reason, code } = cause as { reason?: unknown; code?: unknown }
  const text = typeof reason === 'string' ? reason : (cause.message.trim().split('\n')[0] ?? '')
  const described = typeof code === 'string' && !text.includes(code) ? `${text} (${code})` : text
  return new Error(described, { cause: error })
}
