// The shapes of a host's configuration (API.md "HostConfig"); validation lives in config.ts. What a
// server is belongs to the launchers, which start them (launchers/server-config.ts).
import type { ServerConfig } from '../launchers/server-config.js'

export type {
  HttpSpawnedServerConfig,
  HttpUrlServerConfig,
  MemoryServerConfig,
  ProcessSpec,
  ServerConfig,
  ShutdownOptions,
  StdioServerConfig,
  WorkerServerConfig,
} from '../launchers/server-config.js'

export interface HostConfig {
  servers: Record<string, ServerConfig>
  /** ms; the default timeout of every request. */
  requestTimeout?: number
  /** ms; per server, spawn + connect + initialize. */
  startupTimeout?: number
}
