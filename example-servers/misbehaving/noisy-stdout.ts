// 'noisy-stdout': prints a non-JSON line on stdout, the channel reserved for JSON-RPC, after its
// handshake (legacy: after notifications/initialized; 2026-07-28: after the server/discover answer).
import type { Transport } from '@modelcontextprotocol/server'
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio'
import { serveStdio } from '../shared/stdio-main.js'
import { createWeatherMcpServer } from '../weather/server.js'
import type { MisbehaviourOptions } from './options.js'

const NOISE = 'debug: hello from noisy-stdout\n'

export async function run(_options: MisbehaviourOptions): Promise<void> {
  const transport = new StdioServerTransport()
  // On 2026-07-28 there is no initialized notification: the noise follows the discover answer.
  const send = transport.send.bind(transport)
  let discovered = false
  transport.send = async (message) => {
    await send(message)
    if (!discovered && 'result' in message && message.result && 'supportedVersions' in message.result) {
      discovered = true
      process.stdout.write(NOISE)
    }
  }
  const makeServer = () => {
    const server = createWeatherMcpServer({ name: 'misbehaving-noisy-stdout' })
    // After notifications/initialized, so the initialize response itself arrives intact.
    server.server.oninitialized = () => {
      process.stdout.write(NOISE)
    }
    return server
  }
  await serveStdio(makeServer, { transport: transport as Transport })
}
