// `vitest-mcp-host`: the fixture, the host, the ownership core, the errors and the types. Importing it
// leaves Vitest's `expect` as it is: the plugin and `vitest-mcp-host/matchers` register the matchers.

export type { CassetteMode, ServerCassetteSetting } from './cassette/options.js'
export type { RedactRule } from './cassette/redact.js'
export {
  type HostConfigFunction,
  type HostManagerFixture,
  type HostManagerFixtureOptions,
  type HostManagerFixtures,
  type HostScope,
  hostManager,
} from './fixtures/index.js'
export { defineHostConfig } from './host/config/config.js'
export { type FsLike, type LoadHostConfigOptions, loadHostConfig } from './host/config/config-file.js'
export type {
  ClientConfig,
  ClientHandlerContext,
  CommonServerOptions,
  ElicitationHandler,
  HostConfig,
  HttpSpawnedServerConfig,
  HttpUrlServerConfig,
  MemoryServerConfig,
  ProcessSpec,
  SamplingHandler,
  ServerConfig,
  ShutdownOptions,
  StdioServerConfig,
  WorkerResourceLimits,
  WorkerServerConfig,
} from './host/config/config-types.js'
export {
  AmbiguousToolError,
  CassetteFileError,
  CassetteMismatchError,
  CassetteMissingError,
  ConfigError,
  type ConfigErrorOptions,
  type ConfigIssue,
  HostClosedError,
  InputRoundsError,
  MalformedResultError,
  NotOfferedError,
  ProtocolViolationError,
  type RoutedKind,
  type SchemaError,
  ServerNotReadyError,
  TeardownTimeoutError,
  ToolNotFoundError,
} from './host/errors.js'
export { HostManager } from './host/host-manager.js'
export type { HostNotification, NotificationFilter } from './host/records/notifications.js'
export type { NotificationWaitFilter, WaitOptions } from './host/records/wait-notification.js'
export type { CallToolOptions, Progress } from './host/requests/call-tool.js'
export type { CompleteOptions, CompletionArgument, CompletionRef } from './host/requests/completion.js'
export type { RequestOptions } from './host/requests/dispatch.js'
export type { ServerHandle, ServerState } from './host/servers/server-entry.js'

export {
  PROTOCOL_REVISIONS,
  type ProtocolRevision,
  type ProtocolSetting,
} from './launchers/client/protocol.js'
export {
  ServerExitError,
  ServerStartError,
  type StartErrorDetails,
  type StartFailure,
} from './launchers/errors.js'
export type { ExitInfo } from './launchers/processes/spawned-process.js'
export {
  type ErrorPage,
  HttpResponseError,
  ResponseTooLargeError,
  type TooLargeDetails,
} from './launchers/transports/http/http-errors.js'
export type { ServerLike } from './launchers/transports/serve-in-process.js'
export {
  type ContextLabel,
  type ContextSite,
  CrossContextDisposalError,
  type FindingListener,
  type Leak,
  LeakError,
  type ResourceInfo,
  type ResourceRef,
  Scope,
  ScopeClosedError,
  type ScopeState,
} from './scope/index.js'
export type { ObserveMode, WireServerSetting, WireSeverity } from './wire/check/options.js'
export type { ViolationSeverity } from './wire/check/rules.js'
export type { Violation, ViolationDirection } from './wire/check/violation.js'
