// Tool coverage for clients the test files create (`observe: 'all'`): the same records the host's
// own connections make (../../host/tool-usage.ts), read from the tap's paired events. The server is
// named as it names itself (its `initialize` answer), and identified by what its transport talks to.
import { recordDuration, recordListed, statsOf, toolUsageRecorded } from '../../host/records/tool-usage.js'
import type { TapListener } from '../../wire/tap-types.js'

export function toolUsageListener(name: () => string, identity: string): TapListener {
  return {
    outbound: (e) => {
      if (!toolUsageRecorded()) return
      const m = e.message as { id?: unknown; method?: unknown; params?: { name?: unknown } }
      // Counted once sent: a call the server never answers still reached it.
      if (m.method === 'tools/call' && m.id !== undefined && typeof m.params?.name === 'string')
        statsOf(name(), identity, m.params.name).count++
    },
    inbound: (e) => {
      if (!toolUsageRecorded() || !e.request) return undefined
      const m = e.message as { result?: { tools?: unknown; isError?: unknown }; error?: unknown }
      if (e.request.method === 'tools/list') recordListed(name(), identity, m.result?.tools)
      if (e.request.method === 'tools/call') {
        const tool = (e.request.params as { name?: unknown } | undefined)?.name
        if (typeof tool === 'string')
          recordDuration(
            statsOf(name(), identity, tool),
            e.at - e.request.at,
            'error' in m || m.result?.isError === true,
          )
      }
      return undefined
    },
    close: (pending) => {
      if (!toolUsageRecorded()) return
      for (const request of pending) {
        const tool = (request.params as { name?: unknown } | undefined)?.name
        if (request.method === 'tools/call' && request.origin === 'client' && typeof tool === 'string')
          statsOf(name(), identity, tool).errors++
      }
    },
  }
}
