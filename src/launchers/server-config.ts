// What a server is, per transport: the part of a host's configuration (API.md "HostConfig") the
// launchers start servers from. The host config (host/config/config-types.ts) adds what a host is.
import type { McpServer as McpServerV2 } from '@modelcontextprotocol/server'
import type { ServerCassetteSetting } from '../cassette/options.js'
import type { WireServerSetting } from '../wire/check/options.js'
import type { ProtocolSetting } from './client/protocol.js'
import type { ServerLike } from './transports/serve-in-process.js'

/** How a spawned server is stopped: stdin closed, `graceMs`, SIGTERM to its group, `termMs`, SIGKILL. */
export interface ShutdownOptions {
  graceMs?: number
  termMs?: number
}

/** What every server config may set, whatever its transport. */
export interface CommonServerOptions {
  startupTimeout?: number
  requestTimeout?: number
  /** Tool, prompt or resource names hidden from routing. */
  exclude?: string[]
  shutdown?: ShutdownOptions
  /** This server's wire check: a severity overriding the host's, or `{ ignore: [rule ids] }` to skip rules. */
  wire?: WireServerSetting
  /**
   * Record this server's traffic per test into `__cassettes__/` and replay it after that without
   * starting it (API.md "Cassettes"); `redact`: key names, dotted paths or RegExps never written.
   */
  cassette?: ServerCassetteSetting
  /**
   * The protocol revision to speak with this server, overriding the host's: `'2025-11-25'`,
   * `'2026-07-28'`, or `'auto'` (the newest both sides speak; the default is the host's). A pinned revision the server lacks
   * fails its start (`ServerStartError` naming the revisions it offered).
   */
  protocol?: ProtocolSetting
}

/** How a spawned server (stdio, or HTTP by command) is run. */
export interface ProcessSpec {
  command: string
  args?: string[]
  /** Added to a minimal environment (HOME LOGNAME PATH SHELL TERM USER); `process.env` is not inherited. */
  env?: Record<string, string>
  cwd?: string
}

export type StdioServerConfig = CommonServerOptions & ProcessSpec & { transport: 'stdio' }
/** A Streamable HTTP server already running at `url` (http or https): never stopped by the host. */
export type HttpUrlServerConfig = CommonServerOptions & {
  transport: 'http'
  url: string
  /** Sent with every request (e.g. `authorization`). */
  headers?: Record<string, string>
}
/**
 * A Streamable HTTP server the host spawns like a stdio one, passing a free loopback port as the
 * env variable `portEnv` (default `PORT`, with `HOST=127.0.0.1`) and in place of `${port}` in `args`
 * and `env` values; it serves at `http://127.0.0.1:<port>{path}`. Stopped by ending its session, then
 * SIGTERM to its group, `shutdown.termMs`, SIGKILL (it does not read stdin: `graceMs` is unused).
 */
export type HttpSpawnedServerConfig = CommonServerOptions &
  ProcessSpec & {
    transport: 'http'
    /** Where it serves Streamable HTTP; default '/mcp'. */
    path?: string
    /** The environment variable that carries the port; default 'PORT'. */
    portEnv?: string
  }
export type MemoryServerConfig = CommonServerOptions & {
  transport: 'memory'
  /**
   * An SDK v2 McpServer (or Server) is served on both revisions; an SDK 1.x one (typed by shape:
   * this package needs no SDK 1.x) on 2025-11-25.
   */
  server: () => McpServerV2 | ServerLike | Promise<McpServerV2 | ServerLike>
}
/**
 * A server in a thread of this process's tinypool pool. Stopping it closes its port, waits
 * `shutdown.graceMs` for the server to close, then terminates the thread and waits at most
 * `shutdown.termMs` for it to exit.
 */
export type WorkerServerConfig = CommonServerOptions & {
  transport: 'worker'
  /** An absolute path or a file: URL of an ES module exporting the server factory. */
  module: string
  /** The factory's export name; default 'default'. Called with `workerData`. */
  export?: string
  /** Passed to the factory (structured-cloned into the thread). */
  workerData?: unknown
  /**
   * Absolute path → UTF-8 content: every way the server's modules can hold `fs` (`node:fs`, `fs`,
   * `fs/promises`, named, default and namespace imports, `require`, `process.getBuiltinModule`)
   * gives an in-memory volume holding these, never the disk (README "files").
   */
  files?: Record<string, string>
  /**
   * The thread's V8 heap limits in MB (Node's `Worker` `resourceLimits`); default
   * `{ maxOldGenerationSizeMb: 128 }` (DEFAULT_WORKER_RESOURCE_LIMITS). A server that reaches them
   * ends: the call in flight rejects with `ServerExitError` saying it ran out of memory.
   */
  resourceLimits?: WorkerResourceLimits
}

/** Node's `ResourceLimits` for a worker thread, each a positive number of MB. */
export interface WorkerResourceLimits {
  /** The main heap (old generation); default 128. */
  maxOldGenerationSizeMb?: number
  /** The heap for new objects (young generation); Node's default when unset. */
  maxYoungGenerationSizeMb?: number
  /** Memory for generated code; Node's default when unset. */
  codeRangeSizeMb?: number
  /** The thread's stack; Node's default (4) when unset. */
  stackSizeMb?: number
}

/** The limits of a worker server that sets none: a runaway server ends before it weighs on the test process. */
export const DEFAULT_WORKER_RESOURCE_LIMITS: Readonly<WorkerResourceLimits> = Object.freeze({
  maxOldGenerationSizeMb: 128,
})

export type ServerConfig =
  | StdioServerConfig
  | HttpUrlServerConfig
  | HttpSpawnedServerConfig
  | MemoryServerConfig
  | WorkerServerConfig
