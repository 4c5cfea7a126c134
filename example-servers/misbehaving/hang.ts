// 'hang': answers initialize and the list requests, but no tools/call ever gets an answer.
import { CallToolRequestSchema } from '@modelcontextprotocol/sdk/types.js'
import { serveStdio } from '../shared/stdio-main.js'
import { createWeatherServer } from '../weather/service.js'
import type { MisbehaviourOptions } from './options.js'

export async function run(_options: MisbehaviourOptions): Promise<void> {
  const server = createWeatherServer({ name: 'misbehaving-hang' })
  // Replaces McpServer's tools/call handler (tools/list still works). A promise that never settles
  // holds no handle, so stdin still decides when the process ends.
  server.server.setRequestHandler(CallToolRequestSchema, () => new Promise<never>(() => {}))
  await serveStdio(server)
}
