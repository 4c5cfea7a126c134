// Serves an McpServer factory over Streamable HTTP on 127.0.0.1:PORT, one server per session.
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'

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
 * Listens on 127.0.0.1 only (never another interface) and serves stateful Streamable HTTP sessions:
 * each `initialize` makes a new server from `makeServer`; DELETE ends its session. The process exits
 * on SIGTERM, SIGINT and when its stdin ends (the host that spawned it went away).
 *
 * @example
 * await serveHttp(() => createWeatherServer())
 */
export async function serveHttp(
  makeServer: () => McpServer,
  options: ServeHttpOptions = {},
): Promise<{ port: number }> {
  const path = options.path ?? '/mcp'
  const port = options.port ?? Number(process.env.PORT ?? 0)
  const sessions = new Map<string, StreamableHTTPServerTransport>()

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== path) return reply(res, 404, 'not found')
    const sessionId = req.headers['mcp-session-id']
    if (typeof sessionId === 'string') {
      const transport = sessions.get(sessionId)
      if (!transport) return reply(res, 404, 'unknown session')
      return transport.handleRequest(req, res)
    }
    if (req.method !== 'POST') return reply(res, 400, 'no session: initialize first')
    // A request without a session must be initialize; the transport rejects anything else.
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
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
    await transport.handleRequest(req, res)
  }

  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
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
  const bound = typeof address === 'object' && address ? address.port : port
  process.stderr.write(`listening on http://127.0.0.1:${bound}${path}\n`)
  return { port: bound }
}
