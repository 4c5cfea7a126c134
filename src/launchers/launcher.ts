// The contract every transport's launcher fulfils: start a server and hand back a connected client.
import type { Client } from '@modelcontextprotocol/client'
import type { ClientSide } from './client/client.js'
import type { StdoutNoise } from './output/stdout-noise.js'
import type { ServerProcess } from './processes/server-process.js'
import type { StopReport } from './processes/terminate.js'
import type { ShutdownOptions } from './server-config.js'
import type { Timeline } from './timeline.js'
import type { ServerThread } from './transports/worker/server-thread.js'

export interface LaunchOptions {
  readonly startupTimeout: number
  readonly shutdown: Required<ShutdownOptions>
  readonly timeline: Timeline
  /** Called for every stdout line that is not protocol. */
  readonly onNoise: (noise: StdoutNoise) => void
  /** The host's client side (info, handlers, roots); none: our info, no capabilities. */
  readonly client?: ClientSide
}

/** A started, initialized server. `stop()` is idempotent and resolves when nothing of it runs. */
export interface LaunchedServer {
  readonly client: Client
  /** The OS process, for transports that spawn one. */
  readonly process: ServerProcess | undefined
  /** The worker thread, for a worker server: how it ended, its output, its in-memory files. */
  readonly thread?: ServerThread
  /** Where an HTTP server is talked to (for a spawned one, on the port it was given). */
  readonly url?: string
  stop(): Promise<StopReport | undefined>
}
