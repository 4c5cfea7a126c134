// How the third-party tests start @modelcontextprotocol/server-everything (a pinned devDependency):
// over stdio, or spawned over Streamable HTTP (it serves /mcp on the PORT the host gives it).
import { createRequire } from 'node:module'
import path from 'node:path'
import type { ServerConfig } from '../../src/host/config-types.js'

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
 * Over HTTP it keeps running after stdin closes (express): a short grace, then SIGTERM.
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
        shutdown: { graceMs: 200 },
      }
}
