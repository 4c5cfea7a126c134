// The host's Streamable HTTP client transport: a server's answers are read within the message limit,
// and its error pages become short named errors.
import { AsyncLocalStorage } from 'node:async_hooks'
import {
  type FetchLike,
  type JSONRPCMessage,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client'
import { MAX_MESSAGE_BYTES, MAX_MESSAGE_SIZE } from '../../output/message-limit.js'
import type { Timeline } from '../../timeline.js'
import { ERROR_BODY_BYTES, type ErrorPage, HttpResponseError, ResponseTooLargeError } from './http-errors.js'
import { SseEventMeter } from './sse-events.js'

/** One `send()` under way: the request it carries, and how the SSE stream answering it ends. */
interface Sending {
  /** `tools/call big`; undefined for a notification or a response (nothing waits for an answer). */
  readonly during: string | undefined
  /** Resolves when the stream answering the POST ends; rejects when one of its events is too large. */
  answer?: Promise<void>
}

/** The send() a fetch belongs to (the SDK gives fetch nothing else to tell them apart). */
const sending = new AsyncLocalStorage<Sending>()

/** Statuses whose Response has no body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304])
const noop = () => {}

/**
 * A Streamable HTTP transport to the server whose events `timeline` records (`server "name"`). A
 * request answered on an SSE stream is sent before its answer is read, and the SDK only reports a
 * broken stream to `onerror` (the request then waits for its timeout): `send()` here also waits for
 * that stream, and rejects when it was too large. `Protocol.request` rejects with what `send()`
 * rejects with, so the request fails at once, with `ResponseTooLargeError`.
 */
export function boundedTransport(
  url: URL,
  requestInit: RequestInit | undefined,
  timeline: Timeline,
): StreamableHTTPClientTransport {
  const server = /^server "(.*)"$/s.exec(timeline.owner)?.[1] ?? timeline.owner
  const bounded = boundedFetch(server, timeline)
  return new BoundedHttpTransport(url, { ...(requestInit && { requestInit }), fetch: bounded })
}

class BoundedHttpTransport extends StreamableHTTPClientTransport {
  override async send(
    message: JSONRPCMessage | JSONRPCMessage[],
    options?: Parameters<StreamableHTTPClientTransport['send']>[1],
  ): Promise<void> {
    const current: Sending = { during: requestLabel(message) }
    await sending.run(current, () => super.send(message, options))
    await current.answer
  }
}

/** `tools/call weather_lookup` for a request (the first of a batch); undefined for anything else. */
function requestLabel(message: JSONRPCMessage | JSONRPCMessage[]): string | undefined {
  const first = Array.isArray(message) ? message[0] : message
  if (!first || !('method' in first) || !('id' in first)) return undefined
  const subject = first.params?.name ?? first.params?.uri
  return typeof subject === 'string' ? `${first.method} ${subject}` : first.method
}

/**
 * fetch, with every 2xx body read through a meter (a JSON body, or each SSE event, at most
 * MAX_MESSAGE_BYTES) and every error status thrown as HttpResponseError, its page read up to
 * ERROR_BODY_BYTES. A 405 to GET or DELETE is returned as it is: the SDK takes it as "not offered".
 */
function boundedFetch(server: string, timeline: Timeline): FetchLike {
  return async (url, init) => {
    const response = await fetch(url, init)
    const method = init?.method ?? 'GET'
    if (response.status >= 400 && !(response.status === 405 && method !== 'POST')) {
      const page = await readErrorPage(response)
      // On 2026-07-28 a request's JSON-RPC error may come as an HTTP 400 (no session to fail):
      // the transport delivers it as the request's answer.
      if (isModern(init) && isJsonRpcError(page)) {
        return new Response(page.body, { status: response.status, headers: response.headers })
      }
      throw new HttpResponseError({ server, ...page })
    }
    if (!response.ok || response.body === null || NULL_BODY.has(response.status)) return response
    const sse = mediaType(response) === 'text/event-stream'
    const current = method === 'POST' ? sending.getStore() : undefined
    let answered: { resolve: () => void; reject: (error: Error) => void } | undefined
    if (sse && current?.during !== undefined) {
      current.answer = new Promise<void>((resolve, reject) => {
        answered = { resolve, reject }
      })
      // Rejected before send() awaits it, it is still handled there.
      current.answer.catch(noop)
    }
    const meter = sse ? new SseEventMeter() : undefined
    let total = 0
    const body = metered(
      response.body,
      (chunk) => (meter ? meter.push(chunk) : (total += chunk.byteLength)) > MAX_MESSAGE_BYTES,
      () => {
        const error = new ResponseTooLargeError({
          server,
          part: sse ? 'event' : 'body',
          during: current?.during,
        })
        const what = `${sse ? 'an SSE event' : 'a body'} over ${MAX_MESSAGE_SIZE}`
        timeline.record('response-too-large', `${current?.during ?? `${method} stream`}: ${what}`)
        return error
      },
      answered,
    )
    const { status, statusText, headers } = response
    return new Response(body, { status, statusText, headers })
  }
}

/**
 * `body`, read only as its reader asks (nothing buffered ahead), until `over(chunk)` says the
 * message went past the limit: then the chunk is dropped, the stream errors with `tooLarge()` and
 * the connection is cancelled. `answered` learns how the stream ended.
 */
function metered(
  body: ReadableStream<Uint8Array>,
  over: (chunk: Uint8Array) => boolean,
  tooLarge: () => Error,
  answered: { resolve: () => void; reject: (error: Error) => void } | undefined,
): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let next: Awaited<ReturnType<typeof reader.read>>
        try {
          next = await reader.read()
        } catch (error) {
          // Broken off (the server went away, the transport closed): the SDK's own handling stands.
          answered?.resolve()
          throw error
        }
        if (next.done) {
          answered?.resolve()
          controller.close()
        } else if (over(next.value)) {
          const error = tooLarge()
          answered?.reject(error)
          controller.error(error)
          await reader.cancel(error).catch(noop)
        } else controller.enqueue(next.value)
      },
      cancel(reason) {
        answered?.resolve()
        return reader.cancel(reason)
      },
    },
    { highWaterMark: 0 },
  )
}

/** The error page's status, type and first ERROR_BODY_BYTES; the rest is not read. */
async function readErrorPage(response: Response): Promise<Omit<ErrorPage, 'server'>> {
  const parts: Uint8Array[] = []
  let size = 0
  let truncated = false
  const reader = response.body?.getReader()
  try {
    for (;;) {
      const next = await reader?.read()
      if (!next || next.done) break
      if (size + next.value.byteLength > ERROR_BODY_BYTES) {
        parts.push(next.value.subarray(0, ERROR_BODY_BYTES - size))
        truncated = true
        break
      }
      parts.push(next.value)
      size += next.value.byteLength
    }
  } catch {
    // Broken off while the page arrived: what came is the page.
  }
  await reader?.cancel().catch(noop)
  return {
    status: response.status,
    statusText: response.statusText,
    contentType: response.headers.get('content-type'),
    body: new TextDecoder().decode(Buffer.concat(parts)),
    truncated,
  }
}

/** A request sent on 2026-07-28 (its `MCP-Protocol-Version` header). */
function isModern(init: RequestInit | undefined): boolean {
  const version = new Headers(init?.headers).get('mcp-protocol-version')
  return version !== null && version >= '2026-07-28'
}

/** An error page that is a JSON-RPC error response, whole. */
function isJsonRpcError(page: Omit<ErrorPage, 'server'>): boolean {
  if (page.truncated || !page.contentType?.includes('json')) return false
  try {
    const parsed = JSON.parse(page.body) as { jsonrpc?: unknown; error?: unknown }
    return parsed.jsonrpc === '2.0' && typeof parsed.error === 'object' && parsed.error !== null
  } catch {
    return false
  }
}

function mediaType(response: Response): string | undefined {
  return response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase()
}
