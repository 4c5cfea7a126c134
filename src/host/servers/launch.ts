// Which launcher starts a server: one per transport (a replayed cassette is connected elsewhere).

import type { LaunchedServer, LaunchOptions } from '../../launchers/launcher.js'
import { launchHttp } from '../../launchers/transports/http/http.js'
import { launchMemory } from '../../launchers/transports/memory.js'
import { launchStdio } from '../../launchers/transports/stdio.js'
import { launchWorker } from '../../launchers/transports/worker/worker.js'
import type { ServerConfig } from '../config/config-types.js'
import { ConfigError } from '../errors.js'

export function launch(name: string, config: ServerConfig, options: LaunchOptions): Promise<LaunchedServer> {
  switch (config.transport) {
    case 'stdio':
      return launchStdio(name, config, options)
    case 'memory':
      return launchMemory(name, config, options)
    case 'worker':
      return launchWorker(name, config, options)
    case 'http':
      return launchHttp(name, config, options)
    default: {
      // Every transport is handled (a new one is a type error here); validation rejects the rest
      // before anything starts, and this guards direct internal use.
      const transport: never = config
      throw new ConfigError([
        {
          path: `servers.${name}.transport`,
          message: `"${(transport as { transport: string }).transport}" is not supported`,
        },
      ])
    }
  }
}
