// A wrong URL path: the start fails saying which path was not found, not with the server's page.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test } from 'vitest'
import { HostManager, HttpResponseError, ServerStartError } from '../../src/index.js'
import { rejectionOf } from '../support/assertions.js'

const PAGE = `<!DOCTYPE html>\n<html><head><title>Not Found</title></head>\n<body>${'<p>Cannot POST</p>\n'.repeat(50)}</body></html>\n`

test('a 404 page at the URL: the message names the path tried, the page stays out of it', async () => {
  const site = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end(PAGE))
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`
  try {
    const error = await rejectionOf(
      HostManager.start({ servers: { remote: { transport: 'http', url: `${origin}/api/mcp` } } }),
    )
    expect(error).toBeInstanceOf(ServerStartError)
    expect((error as Error).message).toBe(
      `Server "remote" failed during initialize: HTTP 404: path "/api/mcp" not found at ${origin} ` +
        "(no MCP endpoint there; check the URL's path, or `path` for a spawned server).\n" +
        `  url: ${origin}/api/mcp`,
    )
    // The server's own answer is still there for whoever digs: on the cause.
    const cause = (error as Error).cause
    expect(cause).toBeInstanceOf(HttpResponseError)
    expect((cause as HttpResponseError).body).toBe(PAGE)
  } finally {
    site.closeAllConnections()
    await new Promise((resolve) => site.close(resolve))
  }
})
