// How the third-party tests start @modelcontextprotocol/server-everything (a pinned devDependency):
// over stdio, or spawned over Streamable HTTP (it serves /mcp on the PORT the host gives it).
import { createRequire } from 'node:module'
import path from 'node:path'
import type { ServerConfig } from '../../src/host/config/config-types.js'
import type { HostManager } from '../../src/host/host-manager.js'
import type { HostNotification } from '../../src/host/records/notifications.js'

/** Its built entry, `node <entry> stdio|streamableHttp`. */
export const everythingEntry = path.join(
  path.dirname(
    createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/package.json'),
  ),
  'dist',
  'index.js',
)

/**
 * Its config on `transport`. Over stdio its 350 ms roots-sync timer (armed after initialize) delays
 * its exit on stdin close: a long grace keeps a loaded machine from turning that into a SIGTERM.
 * Over HTTP it never reads stdin (express): the host stops it with SIGTERM, as every spawned HTTP server.
 */
export function everythingServer(transport: 'stdio' | 'http', env?: Record<string, string>): ServerConfig {
  return transport === 'stdio'
    ? {
        transport: 'stdio',
        command: process.execPath,
        args: [everythingEntry, 'stdio'],
        ...(env && { env }),
        shutdown: { graceMs: 3000 },
      }
    : {
        transport: 'http',
        command: process.execPath,
        args: [everythingEntry, 'streamableHttp'],
        path: '/mcp',
        ...(env && { env }),
      }
}

/** Its tools for a client without capabilities (12 always, plus the task tool), sorted. */
export const EVERYTHING_BASE_TOOLS = [
  'echo',
  'get-annotated-message',
  'get-env',
  'get-resource-links',
  'get-resource-reference',
  'get-structured-content',
  'get-sum',
  'get-tiny-image',
  'gzip-file-as-resource',
  'simulate-research-query',
  'toggle-simulated-logging',
  'toggle-subscriber-updates',
  'trigger-long-running-operation',
]

/**
 * What it adds (after initialize) for a client with sampling, elicitation (form and URL), roots
 * and client-side tasks: the roots, elicitation and sampling tools, and the two that ask the
 * client for a task.
 */
export const EVERYTHING_CLIENT_TOOLS = [
  'get-roots-list',
  'trigger-elicitation-request',
  'trigger-elicitation-request-async',
  'trigger-sampling-request',
  'trigger-sampling-request-async',
  'trigger-url-elicitation',
]

/**
 * Resolves with the log message (`notifications/message`) whose data is `data`, once the server
 * "everything" of `host` has sent it (or at once if it had); rejects after `timeoutMs`. It logs what it
 * did (roots received, ...) only once done: the event to wait on, instead of polling its effect.
 */
export function everythingLogged(
  host: HostManager,
  data: string,
  timeoutMs = 5000,
): Promise<HostNotification> {
  return host.waitForNotification(
    {
      server: 'everything',
      method: 'notifications/message',
      where: (n) => (n.params as { data?: unknown }).data === data,
    },
    { timeout: timeoutMs },
  )
}
