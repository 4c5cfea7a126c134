// Test-side server configs: an in-memory weather server whose factory counts its calls.

import { createWeatherServer } from '../../example-servers/weather/service.js'
import type { MemoryServerConfig } from '../../src/host/config-types.js'

/** A memory-transport weather server config, and how many servers its factory has created. */
export function countingWeatherServer(): { config: MemoryServerConfig; created: () => number } {
  let created = 0
  const config: MemoryServerConfig = {
    transport: 'memory',
    server: () => {
      created++
      return createWeatherServer()
    },
  }
  return { config, created: () => created }
}
