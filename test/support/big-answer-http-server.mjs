// A bare Streamable HTTP MCP server (no SDK, no sessions) whose tools answer with a lot: a JSON body
// or one SSE event of a given size, many small SSE events, or an error page. Run as a program it
// listens on 127.0.0.1:$PORT; imported, `bigAnswerServer()` runs it in process.
import { createServer } from 'node:http'

const TOOLS = ['sized_json', 'sized_event', 'many_events', 'error_page']
const CHUNK = Buffer.alloc(64 * 1024, 'x')

/** Writes `chunks` as fast as the client reads them; resolves with the bytes written once ended or closed. */
async function stream(res, chunks) {
  let written = 0
  let closed = false
  res.on('close', () => {
    closed = true
  })
  for (const chunk of chunks) {
    if (closed) break
    written += chunk.length
    if (!res.write(chunk)) {
      await new Promise((resolve) => {
        const done = () => {
          res.off('drain', done)
          res.off('close', done)
          resolve()
        }
        res.on('drain', done)
        res.on('close', done)
      })
    }
  }
  if (!closed) res.end()
  return written
}

/** The start of a tools/call result whose text is the chunks after it. */
function resultHead(id) {
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"content":[{"type":"text","text":"`
}

function* sized(head, bytes, tail) {
  yield head
  for (let left = bytes; left > 0; left -= CHUNK.length) yield CHUNK.subarray(0, Math.min(left, CHUNK.length))
  yield tail
}

function* events(count, size, last) {
  const filler = 'y'.repeat(size)
  const event = `event: message\r\ndata: {"jsonrpc":"2.0","method":"notifications/filler","params":{"text":"${filler}"}}\r\n\r\n`
  for (let i = 0; i < count; i++) yield event
  yield `event: message\ndata: ${JSON.stringify(last)}\n\n`
}

function callTool(message, res) {
  const { name, arguments: args = {} } = message.params
  const { id } = message
  const json = { 'content-type': 'application/json' }
  const sse = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }
  if (name === 'sized_json')
    return res.writeHead(200, json) && stream(res, sized(resultHead(id), args.bytes, '"}]}}'))
  if (name === 'sized_event') {
    const tail = '"}]}}\n\n'
    return (
      res.writeHead(200, sse) &&
      stream(res, sized(`event: message\ndata: ${resultHead(id)}`, args.bytes, tail))
    )
  }
  if (name === 'error_page') {
    res.writeHead(500, { 'content-type': 'text/html; charset=utf-8' })
    return stream(res, [args.page])
  }
  // many_events: `events` notifications of `size` bytes each, then the result.
  const result = {
    jsonrpc: '2.0',
    id,
    result: { content: [{ type: 'text', text: `${args.events} events` }] },
  }
  return res.writeHead(200, sse) && stream(res, events(args.events, args.size, result))
}

function answer(message) {
  if (message.method === 'initialize') {
    return {
      protocolVersion: message.params.protocolVersion,
      capabilities: { tools: {} },
      serverInfo: { name: 'big-answers', version: '1.0.0' },
    }
  }
  if (message.method === 'tools/list') {
    return { tools: TOOLS.map((name) => ({ name, inputSchema: { type: 'object' } })) }
  }
  return {}
}

/** The server; `options.onWritten(tool, bytes)` hears how much each tools/call answer wrote. */
export function bigAnswerServer(options = {}) {
  return createServer((req, res) => {
    if (req.method !== 'POST') return void res.writeHead(405).end()
    const parts = []
    req.on('data', (chunk) => parts.push(chunk))
    req.on('end', async () => {
      const message = JSON.parse(Buffer.concat(parts).toString('utf8'))
      if (!('id' in message)) return void res.writeHead(202).end()
      if (message.method === 'tools/call') {
        const written = await callTool(message, res)
        options.onWritten?.(message.params.name, written)
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: answer(message) }))
    })
  })
}

if (process.env.PORT) {
  const server = bigAnswerServer()
  server.listen(Number(process.env.PORT), '127.0.0.1')
}
