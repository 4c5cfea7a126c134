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
export type { CallToolOptions, Progress } from './host/call-tool.js'
export type { CompleteOptions, CompletionArgument, CompletionRef } from './host/completion.js'
export { defineHostConfig } from './host/config.js'
export { type FsLike, type LoadHostConfigOptions, loadHostConfig } from './host/config-file.js'
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
} from './host/config-types.js'
export type { RequestOptions } from './host/dispatch.js'
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
export type { HostNotification, NotificationFilter } from './host/notifications.js'
export type { ServerHandle, ServerState } from './host/server-entry.js'
export type { NotificationWaitFilter, WaitOptions } from './host/wait-notification.js'
export {
  ServerExitError,
  ServerStartError,
  type StartErrorDetails,
  type StartFailure,
} from './launchers/errors.js'
export {
  type ErrorPage,
  HttpResponseError,
  ResponseTooLargeError,
  type TooLargeDetails,
} from './launchers/http-errors.js'
export { PROTOCOL_REVISIONS, type ProtocolRevision, type ProtocolSetting } from './launchers/protocol.js'
export type { ServerLike } from './launchers/serve-in-process.js'
export type { ExitInfo } from './launchers/spawned.js'
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
