// `ping`: one server, or every server of the host, answers `ping` within the call's budget.

import type { ServerSet } from '../servers/server-set.js'
import type { Dispatch, RequestOptions } from './dispatch.js'
import { requireRevisionFor } from './revision-methods.js'
import { sdkOptions } from './sending.js'

/**
 * Pings `opts.server`, or every server the host runs (a crashed one rejects with its
 * ServerExitError, one still starting with ServerNotReadyError): resolves once all answered.
 */
export function pingServers(dispatch: Dispatch, servers: ServerSet, opts: RequestOptions): Promise<void> {
  const invalid = dispatch.checkTimeout('ping', opts.timeout)
  if (invalid) return Promise.reject(invalid)
  return dispatch.whileOpen('ping', async () => {
    const entries = opts.server === undefined ? servers.live() : [servers.get(opts.server)]
    for (const entry of entries) requireRevisionFor(entry, 'ping()')
    await Promise.all(
      entries.map((entry) =>
        dispatch.requestTo(entry, `ping (${entry.name})`, opts, async (client, call) => {
          await client.ping(sdkOptions(call))
        }),
      ),
    )
  })
}
