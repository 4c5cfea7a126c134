// How the third-party-style tests start the SDK v2 stand-in server (v2-everything/): spawned over stdio,
// or over Streamable HTTP on the PORT the host gives it. We found no public npm server built on
// `@modelcontextprotocol/server` 2.x that covers these features (server-everything 2026.8.31 and the
// other reference servers depend on `@modelcontextprotocol/sdk` 1.x), so this one stands in: public
// SDK v2 API only.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ServerConfig } from '../../src/host/config/config-types.js'
import type { ProtocolSetting } from '../../src/launchers/client/protocol.js'

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'v2-everything')

/** Its config on `transport`; both entries exit on stdin end and on SIGTERM. */
export function v2EverythingServer(
  transport: 'stdio' | 'http',
  extra: { env?: Record<string, string>; protocol?: ProtocolSetting } = {},
): ServerConfig {
  return transport === 'stdio'
    ? { transport: 'stdio', command: process.execPath, args: [path.join(dir, 'stdio.mjs')], ...extra }
    : {
        transport: 'http',
        command: process.execPath,
        args: [path.join(dir, 'http.mjs')],
        path: '/mcp',
        ...extra,
      }
}

/** Its tools, sorted. */
export const V2_EVERYTHING_TOOLS = [
  'add',
  'ask-model',
  'confirm',
  'echo',
  'list-roots',
  'log',
  'sign-in',
  'touch',
]

/** The HTTP requests its HTTP entry logged to stderr, one `{ verb, session, version, method }` each. */
export function httpRequestsLogged(stderr: string) {
  return [...stderr.matchAll(/^http (\S+) session=(\S+) version=(\S+) method=(\S+)$/gm)].map(
    ([, verb, session, version, method]) => ({ verb, session, version, method }),
  )
}
