// Entry of the bundled weather server factory (dist/example-servers/weather-worker.mjs), for the
// worker and memory transports: its default export makes a new, unconnected weather McpServer.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { createWeatherServer } from './weather/service.js'

/** `workerData` may name the server (`{ name }`); the service is the same whatever it says. */
export default function weatherFactory(data?: { name?: string } | null): McpServer {
  return createWeatherServer(typeof data?.name === 'string' ? { name: data.name } : {})
}
