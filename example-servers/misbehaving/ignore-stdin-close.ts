// 'ignore-stdin-close': keeps running after its stdin closes, until SIGTERM (SDK issue #2002 in the flesh).
import { serveStdio } from '../shared/stdio-main.js'
import { createWeatherMcpServer } from '../weather/server.js'
import type { MisbehaviourOptions } from './options.js'

export async function run(_options: MisbehaviourOptions): Promise<void> {
  // A live timer, like a real server's poller: without it the event loop would empty and Node would exit.
  setInterval(() => {}, 60_000)
  await serveStdio(() => createWeatherMcpServer({ name: 'misbehaving-ignore-stdin-close' }), {
    exitOnStdinClose: false,
  })
}
