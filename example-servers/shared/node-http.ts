// node:http ↔ web-standard Request/Response, for SDK v2's fetch-shaped HTTP handlers. Hand-written
// (~50 lines) rather than `@modelcontextprotocol/node`, whose hono dependency would be bundled into
// every example server and paid at each start.
import type { IncomingMessage, ServerResponse } from 'node:http'

/** The SDK's own default bound on a POST body (4 MiB); a larger one is answered 413 unread. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024

/** Thrown by {@link toWebRequest} for a body over {@link MAX_BODY_BYTES}. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError'
}

/** The request as a web `Request` (body read fully, bounded), on `http://127.0.0.1:<port>`. */
export async function toWebRequest(req: IncomingMessage, port: number): Promise<Request> {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one)
  }
  const method = req.method ?? 'GET'
  let body: Buffer | undefined
  if (method !== 'GET' && method !== 'HEAD') {
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > MAX_BODY_BYTES) throw new BodyTooLargeError(`request body over ${MAX_BODY_BYTES} bytes`)
      chunks.push(chunk)
    }
    body = Buffer.concat(chunks)
  }
  return new Request(new URL(req.url ?? '/', `http://127.0.0.1:${port}`), { method, headers, body })
}

/** Writes `response` to `res`, streaming its body (SSE included) until it ends or the client leaves. */
export async function writeWebResponse(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers))
  if (!response.body) {
    res.end()
    return
  }
  // Headers now: an SSE stream's client waits for them before the first event.
  res.flushHeaders()
  const reader = response.body.getReader()
  res.once('close', () => {
    reader.cancel().catch(() => {})
  })
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      res.write(value)
    }
  } finally {
    res.end()
  }
}
