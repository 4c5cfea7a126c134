// Serves an McpServer on stdio and makes the process exit when its client goes away or it is signalled.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'

/** Options of {@link serveStdio}; the defaults are what a well-behaved server does. */
export interface ServeStdioOptions {
  /** Exit (code 0) when stdin ends or closes. Default true. */
  exitOnStdinClose?: boolean
  /** Exit (code 0) on SIGTERM and SIGINT. Default true; false installs handlers that ignore them. */
  exitOnSignal?: boolean
  /** The transport to connect; default a `StdioServerTransport` on process.stdin/stdout. */
  transport?: Transport
}

/**
 * Connects `server` to stdio. The v1 `StdioServerTransport` ignores the end of stdin (SDK issue #2002),
 * so a server with a live timer would linger after its client left: this exits instead.
 *
 * @example
 * await serveStdio(createWeatherServer())
 */
export async function serveStdio(server: McpServer, options: ServeStdioOptions = {}): Promise<void> {
  const { exitOnStdinClose = true, exitOnSignal = true } = options

  // process.exit rather than waiting for the event loop to drain: a live timer or socket must not
  // keep us alive. Writes to a pipe are synchronous on POSIX, so nothing already sent is lost.
  const exit = (): void => {
    server.close().catch(() => {})
    process.exit(0)
  }

  if (exitOnStdinClose) {
    process.stdin.once('end', exit)
    process.stdin.once('close', exit)
  }
  // A client that vanished makes our next write fail with EPIPE; unhandled, that is a crash (exit 1).
  process.stdout.on('error', () => {
    if (exitOnStdinClose) exit()
  })
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    // Any listener replaces Node's default "die on signal", which is how the opt-out ignores them.
    process.on(signal, () => {
      if (exitOnSignal) exit()
      else process.stderr.write(`ignoring ${signal} (deliberate)\n`)
    })
  }

  await server.connect(options.transport ?? new StdioServerTransport())
}
