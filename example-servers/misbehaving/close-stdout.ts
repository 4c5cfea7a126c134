// 'close-stdout': closes its stdout when weather_lookup is called, and keeps running until its stdin ends.
import { closeSync } from 'node:fs'
import { serveStdio } from '../shared/stdio-main.js'
import { createWeatherMcpServer } from '../weather/server.js'
import type { MisbehaviourOptions } from './options.js'

export async function run(_options: MisbehaviourOptions): Promise<void> {
  const makeServer = () =>
    createWeatherMcpServer({
      name: 'misbehaving-close-stdout',
      lookup: ({ location }) => {
        process.stderr.write(
          `close-stdout: closing stdout on weather_lookup(${JSON.stringify(location)}) (deliberate)\n`,
        )
        // The descriptor itself: Node never really closes process.stdout (destroy() is a no-op on it).
        closeSync(1)
        // Never answers: there is nowhere left to answer to.
        return new Promise<never>(() => {})
      },
    })
  // Alive with its stdout gone, as a server with a live timer or socket would be; the end of its
  // stdin (the host's stop) is still its cue to leave.
  process.stdout.on('error', () => {})
  process.stdin.once('end', () => process.exit(0))
  await serveStdio(makeServer, { exitOnStdinClose: false })
}
