// Serves an SDK v2 McpServer factory on stdio and makes the process exit when its client goes away or
// it is signalled.
import type { McpServer, Transport } from '@modelcontextprotocol/server'
import { StdioServerTransport, serveStdio as serveEras } from '@modelcontextprotocol/server/stdio'

/** Which protocol revisions a server answers on stdio. */
export type StdioEras = 'both' | 'modern-only' | 'legacy-only'

/** Options of {@link serveStdio}; the defaults are what a well-behaved server does. */
export interface ServeStdioOptions {
  /** Exit (code 0) when stdin ends or closes. Default true. */
  exitOnStdinClose?: boolean
  /** Exit (code 0) on SIGTERM and SIGINT. Default true; false installs handlers that ignore them. */
  exitOnSignal?: boolean
  /** The transport to serve; default a `StdioServerTransport` on process.stdin/stdout. */
  transport?: Transport
  /**
   * `'both'` (default): the SDK's era-owning entry serves 2026-07-28 and 2025-11-25 from the factory;
   * `'modern-only'`: the same entry with `legacy: 'reject'` (`initialize` gets -32022);
   * `'legacy-only'`: one instance connected directly, as a 2025 server is (`server/discover` gets -32601).
   */
  eras?: StdioEras
}

/**
 * Serves `makeServer` on stdio. The process exits on stdin end and on SIGTERM/SIGINT rather than
 * waiting for the event loop to drain: a server with a live timer would otherwise linger.
 *
 * @example
 * await serveStdio(() => createWeatherMcpServer())
 */
export async function serveStdio(
  makeServer: () => McpServer,
  options: ServeStdioOptions = {},
): Promise<void> {
  const { exitOnStdinClose = true, exitOnSignal = true, eras = 'both' } = options
  const transport = options.transport ?? new StdioServerTransport()
  let close: () => Promise<void> = async () => {}

  // Writes to a pipe are synchronous on POSIX, so nothing already sent is lost by exiting at once.
  const exit = (): void => {
    close().catch(() => {})
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

  if (eras === 'legacy-only') {
    const server = makeServer()
    close = () => server.close()
    await server.connect(transport)
    return
  }
  const onerror = (error: Error): void => {
    process.stderr.write(`serveStdio: ${error.message}\n`)
  }
  const handle = serveEras(() => makeServer(), {
    transport,
    legacy: eras === 'modern-only' ? 'reject' : 'serve',
    onerror,
  })
  close = () => handle.close()
}
