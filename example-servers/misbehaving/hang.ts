// 'hang': answers initialize and the list requests, but no tools/call ever gets an answer.
import { serveStdio } from '../shared/stdio-main.js'
import { createWeatherMcpServer } from '../weather/server.js'
import type { MisbehaviourOptions } from './options.js'

export async function run(_options: MisbehaviourOptions): Promise<void> {
  const makeServer = () => {
    const server = createWeatherMcpServer({ name: 'misbehaving-hang' })
    // Replaces McpServer's tools/call handler (tools/list still works). A promise that never settles
    // holds no handle, so stdin still decides when the process ends.
    server.server.setRequestHandler('tools/call', () => new Promise<never>(() => {}))
    return server
  }
  await serveStdio(makeServer)
}
