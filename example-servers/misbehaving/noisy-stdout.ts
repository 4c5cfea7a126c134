// 'noisy-stdout': prints a non-JSON line on stdout, the channel reserved for JSON-RPC, after initialize.
import { serveStdio } from '../shared/stdio-main.js'
import { createWeatherServer } from '../weather/service.js'
import type { MisbehaviourOptions } from './options.js'

export async function run(_options: MisbehaviourOptions): Promise<void> {
  const server = createWeatherServer({ name: 'misbehaving-noisy-stdout' })
  // After notifications/initialized, so the initialize response itself arrives intact.
  server.server.oninitialized = () => {
    process.stdout.write('debug: hello from noisy-stdout\n')
  }
  await serveStdio(server)
}
