// `setLoggingLevel`: on every ready server that declares logging, or on one that must. On 2025-11-25
// it is a `logging/setLevel` request; 2026-07-28 has none: the level is kept for the server and sent
// in the `_meta` of every later request to it (the wire tap adds it), where a v2 server reads it.
import type { LoggingLevel } from '@modelcontextprotocol/client'
import { isModernRevision } from '../../launchers/client/protocol.js'
import { ConfigError } from '../errors.js'
import type { ServerEntry } from '../servers/server-entry.js'
import type { ServerSet } from '../servers/server-set.js'
import type { Dispatch, RequestOptions } from './dispatch.js'
import { sdkOptions, usableClient } from './sending.js'

const declaresLogging = (entry: ServerEntry) => entry.client?.getServerCapabilities()?.logging !== undefined

/** The servers `opts.server` names (which must declare logging), or every ready one that declares it. */
function loggingServers(servers: ServerSet, server: string | undefined): ServerEntry[] {
  if (server === undefined)
    return servers.live().filter((entry) => entry.state === 'ready' && declaresLogging(entry))
  const entry = servers.get(server)
  if (entry.state === 'ready' && !declaresLogging(entry)) {
    const message =
      'does not declare the logging capability, so it takes no logging/setLevel and sends no log ' +
      'messages; nothing was sent. Leave out { server } to set the level on the servers that log'
    throw new ConfigError([{ path: `servers.${server}`, message }], "setLoggingLevel()'s server")
  }
  return [entry]
}

export function setLoggingLevelOn(
  dispatch: Dispatch,
  servers: ServerSet,
  level: LoggingLevel,
  opts: RequestOptions,
): Promise<void> {
  const invalid = dispatch.checkTimeout('setLoggingLevel', opts.timeout)
  if (invalid) return Promise.reject(invalid)
  return dispatch.whileOpen('setLoggingLevel', async () => {
    const entries = loggingServers(servers, opts.server)
    const perRequest = entries.filter((entry) => isModernRevision(entry.era))
    // Checked like a request (a crashed or stopping server rejects), though nothing is sent now.
    for (const entry of perRequest) usableClient(entry, `setLoggingLevel(${level})`)
    for (const entry of perRequest) entry.setLogLevel(level)
    await Promise.all(
      entries
        .filter((entry) => !perRequest.includes(entry))
        .map((entry) =>
          dispatch.requestTo(
            entry,
            `logging/setLevel ${level} (${entry.name})`,
            opts,
            async (client, call) => {
              await client.setLoggingLevel(level, sdkOptions(call))
            },
          ),
        ),
    )
  })
}
