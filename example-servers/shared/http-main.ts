// Serves an SDK v2 McpServer factory over Streamable HTTP on 127.0.0.1:PORT, both protocol revisions:
// 2025-11-25 in stateful sessions (as before: one server per session, DELETE ends it), 2026-07-28 through
// the SDK's `createMcpHandler` (no session; one server per request).
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import {
  createMcpHandler,
  isLegacyRequest,
  type McpServer,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server'
import { BodyTooLargeError, toWebRequest, writeWebResponse } from './node-http.js'

/** Options of {@link serveHttp}. */
export interface ServeHttpOptions {
  /** The TCP port; default the `PORT` environment variable (what the host passes), else 0 (any free port). */
  port?: number
  /** Where Streamable HTTP is served; default '/mcp'. */
  path?: string
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }))
}

/**
 * Listens on 127.0.0.1 only (never another interface). A 2025 request without a session must be
 * `initialize` and opens one (a new server from `makeServer`); DELETE ends it. A 2026-07-28 request
 * (its `_meta` names the revision) is served statelessly by the SDK. The process exits on SIGTERM,
 * SIGINT and when its stdin ends (the host that spawned it went away).
 *
 * @example
 * await serveHttp(() => createWeatherMcpServer())
 */
export async function serveHttp(
  makeServer: () => McpServer,
  options: ServeHttpOptions = {},
): Promise<{ port: number }> {
  const path = options.path ?? '/mcp'
  const port = options.port ?? Number(process.env.PORT ?? 0)
  const onerror = (error: Error): void => {
    process.stderr.write(`mcp: ${error.message}\n`)
  }
  const sessions = new Map<string, WebStandardStreamableHTTPServerTransport>()
  const modern = createMcpHandler(() => makeServer(), { legacy: 'reject', onerror })
  let bound = port

  const openSession = async (request: Request): Promise<Response> => {
    // The transport rejects anything but initialize on a request without a session.
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, transport)
      },
      onsessionclosed: (id) => {
        sessions.delete(id)
      },
    })
    const server = makeServer()
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId)
      server.close().catch(() => {})
    }
    await server.connect(transport)
    return transport.handleRequest(request)
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== path) return reply(res, 404, 'not found')
    const request = await toWebRequest(req, bound)
    const sessionId = req.headers['mcp-session-id']
    if (typeof sessionId === 'string') {
      const transport = sessions.get(sessionId)
      if (!transport) return reply(res, 404, 'unknown session')
      return writeWebResponse(res, await transport.handleRequest(request))
    }
    if (await isLegacyRequest(request)) {
      if (req.method !== 'POST') return reply(res, 400, 'no session: initialize first')
      return writeWebResponse(res, await openSession(request))
    }
    return writeWebResponse(res, await modern.fetch(request))
  }

  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) return reply(res, 413, error.message)
      process.stderr.write(`request failed: ${error instanceof Error ? error.message : String(error)}\n`)
      if (!res.headersSent) reply(res, 500, 'internal error')
      else res.end()
    })
  })

  // process.exit rather than draining: open SSE streams and keep-alive sockets must not keep us alive.
  const exit = (): void => process.exit(0)
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, exit)
  process.stdin.once('end', exit)
  process.stdin.once('close', exit)
  process.stdin.resume()

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(port, '127.0.0.1', () => resolve())
  })
  const address = http.address()
  bound = typeof address === 'object' && address ? address.port : port
  process.stderr.write(`listening on http://127.0.0.1:${bound}${path}\n`)
  return { port: bound }
}
