// How one routed request is sent: the client it may use, the SDK options its budget gives, and a
// failure the server's exit caused told as that exit.

import type { Client } from '@modelcontextprotocol/client'
import { TASK_ROUNDS_EXCEEDED } from '../../launchers/client/task-extension.js'
import { ServerExitError } from '../../launchers/errors.js'
import { describeNetworkError, isNetworkError } from '../../launchers/transports/http/http-session.js'
import { onAbort } from '../../launchers/util/abort-listeners.js'
import { invalidMilliseconds } from '../../launchers/util/wait.js'
import { InputRoundsError, namingMalformedResult, ServerNotReadyError } from '../errors.js'
import type { ServerEntry } from '../servers/server-entry.js'
import type { Call } from './requests.js'

/** Why `ms` is no usable per-call timeout, if it is not (API.md: 1 to 2^31−1 ms, whole). */
export function invalidTimeout(ms: unknown): string | undefined {
  return ms === undefined ? undefined : invalidMilliseconds(ms)
}

/**
 * The SDK's own per-request timer is a backstop a little behind the call's budget, so the budget's
 * error (which names it) is the one the caller gets. Each SDK request gets a signal of its own that
 * follows the call's: the SDK v1 adds an abort listener per request and never removes it, so a call
 * polling a task would pile them up on its one signal (and print a MaxListenersExceededWarning).
 * Not `AbortSignal.any`: Node keeps such a signal, with its listeners, alive for as long as its
 * source has not aborted (the SDK's listener holds the client: a closed host could not let it go).
 * Our one listener per call signal (abort-listeners.ts) goes with the call.
 */
export function sdkOptions(call: Call): { signal: AbortSignal; timeout: number | undefined } {
  const remaining = call.remaining()
  const own = new AbortController()
  if (call.signal.aborted) own.abort(call.signal.reason)
  else onAbort(call.signal, () => own.abort(call.signal.reason))
  return {
    signal: own.signal,
    timeout: remaining === undefined ? undefined : Math.ceil(remaining) + 1000,
  }
}

export function usableClient(entry: ServerEntry, during: string): Client {
  if (entry.state === 'crashed') {
    throw new ServerExitError(entry.name, entry.exit, entry.stderrTail(), during)
  }
  if (!entry.client || entry.state !== 'ready') {
    throw new ServerNotReadyError(entry.name, entry.state, during)
  }
  return entry.client
}

/**
 * Sends, and turns a failure caused by the server's exit into `ServerExitError`; for a server by
 * URL, whose process is not ours to see, a connection that failed is that (not fetch's raw
 * "fetch failed" TypeError). A result the SDK's schema rejects is a MalformedResultError naming
 * the server and the request (not zod's raw error).
 */
export async function sendTo<T>(entry: ServerEntry, during: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send()
  } catch (error) {
    if (entry.state === 'crashed')
      throw new ServerExitError(entry.name, entry.exit, entry.stderrTail(), during)
    const url = 'url' in entry.config ? entry.url : undefined
    if (url !== undefined && isNetworkError(error)) {
      throw new ServerExitError(entry.name, undefined, '', during, {
        url,
        error: describeNetworkError(error),
      })
    }
    const { code, data } = (error ?? {}) as { code?: unknown; data?: { rounds?: unknown } }
    if (code === 'INPUT_REQUIRED_ROUNDS_EXCEEDED' && typeof data?.rounds === 'number')
      throw new InputRoundsError(entry.name, during, data.rounds)
    // A server's task (2026-07-28) that asked for input too often: the host cancelled it.
    const taskRounds = (data as Record<string, unknown> | undefined)?.[TASK_ROUNDS_EXCEEDED]
    if (typeof taskRounds === 'number') throw new InputRoundsError(entry.name, during, taskRounds)
    throw namingMalformedResult(error, entry.name, during)
  }
}
