// A server by URL whose query holds a token (`?api_key=`): the token reaches the server, and never a
// message, the host's timeline or the tool-coverage identity. Real HTTP on 127.0.0.1.
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { inspect } from 'node:util'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { afterEach, describe, expect, test } from 'vitest'
import { createWeatherServer } from '../../example-servers/weather/service.js'
import { HostManager } from '../../src/host/host-manager.js'
import { serverIdentity } from '../../src/host/records/tool-usage.js'
import { ServerExitError, ServerStartError } from '../../src/launchers/errors.js'
import { rejectionOf } from '../support/assertions.js'

const SECRET = 'sk-live-0123456789'

let http: Server | undefined
afterEach(async () => {
  http?.closeAllConnections()
  await new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined)))
  http = undefined
})

/** A stateful weather server over Streamable HTTP; `urls` are the request URLs it saw. */
async function weatherOverHttp(urls: string[]): Promise<number> {
  const sessions = new Map<string, StreamableHTTPServerTransport>()
  const handle = async (
    req: IncomingMessage,
    res: Parameters<StreamableHTTPServerTransport['handleRequest']>[1],
  ) => {
    urls.push(req.url ?? '')
    const known = sessions.get(String(req.headers['mcp-session-id']))
    if (known) return known.handleRequest(req, res)
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, transport),
    })
    await createWeatherServer().connect(transport)
    await transport.handleRequest(req, res)
  }
  http = createServer((req, res) => void handle(req, res))
  await new Promise<void>((resolve) => http?.listen(0, '127.0.0.1', resolve))
  return (http.address() as AddressInfo).port
}

/** Everything the host could print of itself. */
function printed(host: HostManager): string {
  const timelines = [host.timeline, ...host.entries.map((entry) => entry.timeline)]
  const text = JSON.stringify(timelines.map((timeline) => timeline.events))
  // Not vacuous: the timelines hold the server's requests.
  expect(text).toContain('tools/call weather_lookup')
  return text
}

describe('a token in the query of a server by URL', () => {
  test('reaches the server; not the timeline, the coverage identity, or the error when it stops answering', async () => {
    const urls: string[] = []
    const port = await weatherOverHttp(urls)
    const url = `http://127.0.0.1:${port}/mcp?api_key=${SECRET}&region=eu`
    const host = await HostManager.start({ servers: { remote: { transport: 'http', url } } })
    try {
      await host.callTool('weather_lookup', { location: 'London' })
      expect(urls[0]).toBe(`/mcp?api_key=${SECRET}&region=eu`)
      // Counted without port, query and credentials: the token is not in it.
      expect(serverIdentity({ transport: 'http', url })).toBe('http://127.0.0.1:*/mcp')
      http?.closeAllConnections()
      await new Promise((resolve) => http?.close(resolve))
      http = undefined
      const error = await rejectionOf(host.callTool('weather_lookup', { location: 'Paris' }))
      expect(error).toBeInstanceOf(ServerExitError)
      expect((error as Error).message).toMatch(
        new RegExp(
          `^Server "remote" at http://127\\.0\\.0\\.1:${port}/mcp\\?api_key=\\*\\*\\*&region=\\*\\*\\* stopped answering`,
        ),
      )
      expect(printed(host)).not.toContain(SECRET)
    } finally {
      await host.shutdown()
    }
    expect(printed(host)).not.toContain(SECRET)
  })

  test('a server that cannot be reached: the ServerStartError prints the URL without the token', async () => {
    const port = await weatherOverHttp([])
    http?.close()
    http = undefined
    const url = `http://127.0.0.1:${port}/mcp?token=${SECRET}`
    const error = await rejectionOf(
      HostManager.start({ servers: { remote: { transport: 'http', url, startupTimeout: 300 } } }),
    )
    expect(error).toBeInstanceOf(ServerStartError)
    expect((error as Error).message).toContain(`\n  url: http://127.0.0.1:${port}/mcp?token=***`)
    expect(inspect(error, { depth: 10 })).not.toContain(SECRET)
  })
})
