// 'ignore-sigterm': survives both the end of stdin and SIGTERM/SIGINT; only SIGKILL ends it.
import { serveStdio } from '../shared/stdio-main.js'
import { createWeatherMcpServer } from '../weather/server.js'
import type { MisbehaviourOptions } from './options.js'

export async function run(_options: MisbehaviourOptions): Promise<void> {
  // Keeps the event loop alive once stdin is gone.
  setInterval(() => {}, 60_000)
  await serveStdio(() => createWeatherMcpServer({ name: 'misbehaving-ignore-sigterm' }), {
    exitOnStdinClose: false,
    exitOnSignal: false,
  })
}
