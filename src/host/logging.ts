// `setLoggingLevel`: on every ready server that declares logging, or on one that must.
import type { LoggingLevel } from '@modelcontextprotocol/client'
import type { Dispatch, RequestOptions } from './dispatch.js'
import { ConfigError } from './errors.js'
import { requireRevisionFor } from './revision-methods.js'
import { sdkOptions } from './sending.js'
import type { ServerEntry } from './server-entry.js'
import type { ServerSet } from './server-set.js'

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
    for (const entry of entries) requireRevisionFor(entry, 'setLoggingLevel()')
    await Promise.all(
      entries.map((entry) =>
        dispatch.requestTo(entry, `logging/setLevel ${level} (${entry.name})`, opts, async (client, call) => {
          await client.setLoggingLevel(level, sdkOptions(call))
        }),
      ),
    )
  })
}
