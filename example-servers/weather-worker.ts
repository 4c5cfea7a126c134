// Entry of the bundled weather server factory (dist/example-servers/weather-worker.mjs), for the
// worker and memory transports: its default export makes a new, unconnected SDK v2 weather McpServer
// (the host serves it on both protocol revisions).
import type { McpServer } from '@modelcontextprotocol/server'
import { createWeatherMcpServer } from './weather/server.js'

/** `workerData` may name the server (`{ name }`) and add `subscribe_alerts` (`{ alerts: true }`). */
export default function weatherFactory(data?: { name?: string; alerts?: boolean } | null): McpServer {
  return createWeatherMcpServer({
    ...(typeof data?.name === 'string' ? { name: data.name } : {}),
    alerts: data?.alerts === true,
  })
}
