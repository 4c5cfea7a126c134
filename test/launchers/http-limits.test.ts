// An HTTP server's answers are read within the message limit (64 MiB, as a stdio line), by URL and
// spawned: a body or one SSE event past it rejects its request at once with ResponseTooLargeError,
// and the rest is not read. An error page is a short HttpResponseError with the page on it.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, test } from 'vitest'
import type { ServerConfig } from '../../src/host/config/config-types.js'
import { HostManager } from '../../src/host/host-manager.js'
import { ServerStartError } from '../../src/launchers/errors.js'
import { MAX_MESSAGE_BYTES } from '../../src/launchers/output/message-limit.js'
import { HttpResponseError, ResponseTooLargeError } from '../../src/launchers/transports/http/http-errors.js'
import { pollUntil } from '../../src/launchers/util/wait.js'
import { rejectionOf } from '../support/assertions.js'
import { bigAnswerServer } from '../support/big-answer-http-server.mjs'
import { markEnv, markedPids, markedServers } from './process-helpers.js'

const MiB = 1024 * 1024
/** Past the limit by more than the socket buffers between the two ends can hold. */
const OVER = 80 * MiB
const bigServerScript = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../support/big-answer-http-server.mjs',
)
const newMark = markedServers()

async function listening(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`
}

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

/** The big-answer server in this process, and what each of its tools/call answers wrote. */
async function bigAnswers(): Promise<{ url: string; written: Map<string, number> }> {
  const written = new Map<string, number>()
  const server = bigAnswerServer({ onWritten: (tool: string, bytes: number) => written.set(tool, bytes) })
  servers.push(server)
  return { url: await listening(server), written }
}

function textOf(result: unknown): string {
  return ((result as { content: Array<{ text: string }> }).content[0] as { text: string }).text
}

const advice =
  'the most the host reads of one message (as of a stdio line); it was not read further. Make the ' +
  'server answer with less (a page of results, or a link to a resource).'

describe('answers past the message limit', () => {
  test('a JSON body: the call rejects with ResponseTooLargeError, the rest is not read, the host goes on', async () => {
    const { url, written } = await bigAnswers()
    await using host = await HostManager.start({ servers: { big: { transport: 'http', url } } })
    const error = await rejectionOf(host.callTool('sized_json', { bytes: OVER }, { timeout: 30_000 }))
    expect(error).toBeInstanceOf(ResponseTooLargeError)
    expect((error as Error).message).toBe(
      `Server "big" answered tools/call sized_json with an HTTP response body over 64 MiB, ${advice}`,
    )
    expect(error).toMatchObject({ server: 'big', limit: MAX_MESSAGE_BYTES, part: 'body' })
    // The connection was closed under the server before it wrote all it meant to.
    expect(await pollUntil(() => written.has('sized_json'), 5000)).toBe(true)
    expect(written.get('sized_json')).toBeLessThan(OVER)
    const events = host.entries[0]?.timeline.events ?? []
    expect(events.find((e) => e.event === 'response-too-large')?.detail).toBe(
      'tools/call sized_json: a body over 64 MiB',
    )
    expect(textOf(await host.callTool('many_events', { events: 3, size: 10 }))).toBe('3 events')
  }, 60_000)

  test('one SSE event: the call rejects with ResponseTooLargeError at once, not at its timeout', async () => {
    const { url, written } = await bigAnswers()
    await using host = await HostManager.start({ servers: { big: { transport: 'http', url } } })
    const error = await rejectionOf(host.callTool('sized_event', { bytes: OVER }, { timeout: 30_000 }))
    expect(error).toBeInstanceOf(ResponseTooLargeError)
    expect((error as Error).message).toBe(
      `Server "big" answered tools/call sized_event with an SSE event over 64 MiB, ${advice}`,
    )
    expect(error).toMatchObject({ server: 'big', part: 'event', during: 'tools/call sized_event' })
    expect(await pollUntil(() => written.has('sized_event'), 5000)).toBe(true)
    expect(written.get('sized_event')).toBeLessThan(OVER)
    expect(host.pendingRequests).toEqual([])
  }, 60_000)

  test('an SSE stream of small events, more than the limit in all, is read whole', async () => {
    const { url, written } = await bigAnswers()
    await using host = await HostManager.start({ servers: { big: { transport: 'http', url } } })
    const events = Math.ceil(OVER / (16 * 1024))
    const result = await host.callTool('many_events', { events, size: 16 * 1024 }, { timeout: 30_000 })
    expect(textOf(result)).toBe(`${events} events`)
    expect(written.get('many_events')).toBeGreaterThan(OVER)
  }, 60_000)

  test('a spawned server: the same limit, and nothing of it is left running', async () => {
    const mark = newMark('big-answers')
    const config: ServerConfig = {
      transport: 'http',
      command: process.execPath,
      args: [bigServerScript],
      env: markEnv(mark),
    }
    const host = await HostManager.start({ servers: { spawned: config } })
    try {
      const error = await rejectionOf(host.callTool('sized_json', { bytes: OVER }, { timeout: 30_000 }))
      expect(error).toBeInstanceOf(ResponseTooLargeError)
      expect(error).toMatchObject({ server: 'spawned', part: 'body', during: 'tools/call sized_json' })
    } finally {
      await host.shutdown()
    }
    expect(markedPids(mark)).toEqual([])
  }, 60_000)
})

/** A 2 KB error page, as a proxy or a framework serves it. */
const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Error</title>
</head>
<body>
<pre>Cannot POST /mcp</pre>
${'<p>filler line of the page</p>\n'.repeat(64)}</body>
</html>
`

describe('an HTTP error status', () => {
  async function pageServer(status: number, contentType: string, page: string): Promise<string> {
    const server = createServer((_req, res) =>
      res.writeHead(status, { 'content-type': contentType }).end(page),
    )
    servers.push(server)
    return listening(server)
  }

  test('at initialize: a short ServerStartError (status, content type, first line), the page on its cause', async () => {
    expect(PAGE.length).toBeGreaterThan(2000)
    const url = await pageServer(404, 'text/html; charset=utf-8', PAGE)
    const error = await rejectionOf(HostManager.start({ servers: { lost: { transport: 'http', url } } }))
    expect(error).toBeInstanceOf(ServerStartError)
    // A 404 says which path was not found (http-not-found.ts); the page is on the cause.
    expect((error as Error).message).toBe(
      `Server "lost" failed during initialize: HTTP 404: path "/mcp" not found at ${new URL(url).origin} ` +
        "(no MCP endpoint there; check the URL's path, or `path` for a spawned server).\n" +
        `  url: ${url}`,
    )
    const cause = (error as Error).cause
    expect(cause).toBeInstanceOf(HttpResponseError)
    expect(cause).toMatchObject({ server: 'lost', status: 404, code: 404, body: PAGE, truncated: false })
  })

  test('a page of 1 MB is kept to its first 16 KiB; a JSON-RPC error body shows its message', async () => {
    const big = `${'a'.repeat(1024 * 1024)}\n`
    const error = await rejectionOf(
      HostManager.start({
        servers: { huge: { transport: 'http', url: await pageServer(500, 'text/plain', big) } },
      }),
    )
    const cause = (error as Error).cause as HttpResponseError
    expect(cause.body).toBe('a'.repeat(16 * 1024))
    expect(cause.truncated).toBe(true)
    expect((error as Error).message.length).toBeLessThan(400)
    const rpc = JSON.stringify({
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Bad Request: No valid session ID provided' },
      id: null,
    })
    const url = await pageServer(400, 'application/json', rpc)
    const json = await rejectionOf(HostManager.start({ servers: { rpc: { transport: 'http', url } } }))
    expect((json as Error).message).toBe(
      'Server "rpc" failed during initialize: HTTP 400 Bad Request from server "rpc" ' +
        `(application/json): Bad Request: No valid session ID provided.\n  url: ${url}`,
    )
  })

  test('while in use: the call rejects with the same short HttpResponseError', async () => {
    const { url } = await bigAnswers()
    await using host = await HostManager.start({ servers: { big: { transport: 'http', url } } })
    const error = await rejectionOf(host.callTool('error_page', { page: PAGE }))
    expect(error).toBeInstanceOf(HttpResponseError)
    expect((error as Error).message).toBe(
      'HTTP 500 Internal Server Error from server "big" (text/html; charset=utf-8): Cannot POST /mcp',
    )
    expect((error as HttpResponseError).body).toBe(PAGE)
  })
})
