// The v2 stand-in server (server.mjs) over Streamable HTTP on 127.0.0.1:$PORT/mcp, both revisions, the
// way the SDK documents it (`isLegacyRequest` in front of a `legacy: 'reject'` handler): 2026-07-28
// statelessly through `createMcpHandler`, 2025-11-25 in sessions of the SDK's
// `WebStandardStreamableHTTPServerTransport` (its server→client requests need one). Every HTTP request
// is logged to stderr as `http <METHOD> session=<id|-> version=<MCP-Protocol-Version|-> method=<Mcp-Method|->`,
// so a test can tell from the server's side what the client sent.
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import {
  createMcpHandler,
  isLegacyRequest,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server'
import { createEverything, createStore } from './server.mjs'

const PATH = '/mcp'
const store = createStore()
const onerror = (error) => process.stderr.write(`v2-everything: ${error.message}\n`)
const modern = createMcpHandler(({ era }) => createEverything(store, { era }), { legacy: 'reject', onerror })
store.changes.on('updated', (uri) => modern.notify.resourceUpdated(uri))
const sessions = new Map()

async function openSession(request) {
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => sessions.set(id, transport),
    onsessionclosed: (id) => sessions.delete(id),
  })
  const server = createEverything(store, { era: 'legacy' })
  await server.connect(transport)
  return transport.handleRequest(request)
}

async function route(request) {
  const id = request.headers.get('mcp-session-id')
  if (id !== null) return sessions.get(id)?.handleRequest(request) ?? failure(404, 'unknown session')
  if (await isLegacyRequest(request)) {
    return request.method === 'POST' ? openSession(request) : failure(400, 'no session: initialize first')
  }
  return modern.fetch(request)
}

function failure(status, message) {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null })
  return new Response(body, { status, headers: { 'content-type': 'application/json' } })
}

/** node:http → web Request (the body read whole), for the SDK's fetch-shaped handlers. */
async function toRequest(req, port) {
  const chunks = []
  if (req.method !== 'GET' && req.method !== 'HEAD') for await (const chunk of req) chunks.push(chunk)
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    for (const one of [value].flat()) if (one !== undefined) headers.append(name, one)
  }
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined
  return new Request(`http://127.0.0.1:${port}${req.url}`, { method: req.method, headers, body })
}

/** Web Response → node:http, streaming its body (an SSE stream stays open until either side ends it). */
async function send(res, response) {
  res.writeHead(response.status, Object.fromEntries(response.headers))
  res.flushHeaders()
  if (!response.body) return void res.end()
  const reader = response.body.getReader()
  res.once('close', () => reader.cancel().catch(() => {}))
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    res.write(value)
  }
  res.end()
}

const http = createServer((req, res) => {
  const h = (name) => req.headers[name] ?? '-'
  process.stderr.write(
    `http ${req.method} session=${h('mcp-session-id')} version=${h('mcp-protocol-version')} method=${h('mcp-method')}\n`,
  )
  const served =
    new URL(req.url ?? '/', 'http://127.0.0.1').pathname === PATH
      ? toRequest(req, http.address().port).then(route)
      : Promise.resolve(failure(404, 'not found'))
  served
    .then((response) => send(res, response))
    .catch((error) => {
      onerror(error)
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
})
http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stderr.write(`v2-everything on http://127.0.0.1:${http.address().port}${PATH}\n`)
})
// Open SSE streams and keep-alive sockets must not keep it alive once its host is gone.
process.on('SIGTERM', () => process.exit(0))
process.stdin.once('end', () => process.exit(0))
process.stdin.resume()
