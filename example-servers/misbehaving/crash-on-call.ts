// 'crash-on-call': a normal weather server until weather_lookup is called, then it dies with code 1.
import { serveStdio } from '../shared/stdio-main.js'
import { createWeatherMcpServer } from '../weather/server.js'
import type { MisbehaviourOptions } from './options.js'

export async function run(_options: MisbehaviourOptions): Promise<void> {
  const makeServer = () =>
    createWeatherMcpServer({
      name: 'misbehaving-crash-on-call',
      lookup: ({ location }) => {
        process.stderr.write(
          `crash-on-call: crashing on weather_lookup(${JSON.stringify(location)}) (deliberate)\n`,
        )
        process.exit(1)
      },
    })
  await serveStdio(makeServer)
}
