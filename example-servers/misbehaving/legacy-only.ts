// 'legacy-only': speaks 2025-11-25 only, as every 1.x-built server does: `server/discover` gets -32601
// (Method not found) and `initialize` is answered with 2025-11-25, on the same connection.
import { serveStdio } from '../shared/stdio-main.js'
import { createWeatherMcpServer } from '../weather/server.js'
import type { MisbehaviourOptions } from './options.js'

export async function run(_options: MisbehaviourOptions): Promise<void> {
  await serveStdio(() => createWeatherMcpServer({ name: 'misbehaving-legacy-only' }), { eras: 'legacy-only' })
}
