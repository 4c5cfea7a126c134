// The shapes of a host's configuration (API.md "HostConfig"); validation lives in config.ts. What a
// server is belongs to the launchers, which start them (launchers/server-config.ts).
import type { Root } from '@modelcontextprotocol/client'
import type { ElicitationHandler, SamplingHandler } from '../../launchers/client/client.js'
import type { ProtocolSetting } from '../../launchers/client/protocol.js'
import type { ServerConfig } from '../../launchers/server-config.js'
import type { WireSeverity } from '../../wire/check/options.js'

export type {
  ClientHandlerContext,
  ElicitationHandler,
  SamplingHandler,
} from '../../launchers/client/client.js'

export type {
  CommonServerOptions,
  HttpSpawnedServerConfig,
  HttpUrlServerConfig,
  MemoryServerConfig,
  ProcessSpec,
  ServerConfig,
  ShutdownOptions,
  StdioServerConfig,
  WorkerResourceLimits,
  WorkerServerConfig,
} from '../../launchers/server-config.js'

export interface HostConfig {
  servers: Record<string, ServerConfig>
  /** ms; the default timeout of every request. */
  requestTimeout?: number
  /** ms; per server, spawn + connect + initialize. */
  startupTimeout?: number
  /** The host's own side of the protocol (since 0.2). */
  client?: ClientConfig
  /**
   * The wire check for every server (a server's own `wire` overrides it): `'error'` fails the test
   * a violation of a MUST travelled in, `'warn'` lists it, `'off'` does not check. Default: the
   * plugin's `wire`, else `'error'`.
   */
  wire?: WireSeverity
  /**
   * The protocol revision every server is spoken to with (a server's own `protocol` overrides it):
   * `'2025-11-25'`, `'2026-07-28'`, or `'auto'` (the newest both sides speak). Default: `'2025-11-25'` for now (README "Protocol eras").
   */
  protocol?: ProtocolSetting
}

/**
 * What the host answers servers. It declares exactly the capabilities it has handlers for:
 * `sampling`, `elicitation`, and `roots` (with `listChanged`; `setRoots()` changes them).
 */
export interface ClientConfig {
  /** clientInfo sent to servers; ours by default. */
  name?: string
  version?: string
  /** Answers `sampling/createMessage`; a throw (or an invalid result) answers the server with an error. */
  sampling?: SamplingHandler
  /** Answers `elicitation/create`; a throw (or an invalid result) answers the server with an error. */
  elicitation?: ElicitationHandler
  /** Answered to `roots/list`; `setRoots()` replaces them and notifies every server. */
  roots?: Root[]
  /** `input_required` rounds the handlers answer for one request on 2026-07-28 (default 10); more is an `InputRoundsError`. */
  maxRounds?: number
}
