// Errors of configuration, routing and teardown; each says what to fix.
import { brandClass } from '../scope/class-brand.js'

// The cassettes' errors (issue 24), likewise.
export { CassetteFileError, CassetteMismatchError, CassetteMissingError } from '../cassette/errors.js'
// The wire check's error (issue 22) lives with its checker; listed here with the host's errors.
export { ProtocolViolationError } from '../wire/check/violation-error.js'

export interface ConfigIssue {
  /** Dotted path of the offending field: `servers.weather.command`. */
  readonly path: string
  readonly message: string
  /** Where in a config file the field is, 1-based (UTF-16 columns, as editors count them). */
  readonly line?: number
  readonly column?: number
}

export interface ConfigErrorOptions {
  /** Names what was configured, for the summary line of several issues. */
  subject?: string
  /** The config file the issues are in, as the caller gave its path: every message line starts with it. */
  file?: string
  cause?: unknown
}

/** How many issues a ConfigError's message lists; the rest are counted. */
export const LISTED_ISSUES = 20

/** `file:line:column: path: message`, each part only where it is known. */
function lineOf(issue: ConfigIssue, file: string | undefined): string {
  const where =
    file === undefined
      ? undefined
      : issue.line === undefined
        ? file
        : `${file}:${issue.line}:${issue.column ?? 1}`
  return [where, issue.path || undefined, issue.message].filter((part) => part !== undefined).join(': ')
}

/**
 * Invalid configuration. `path` names the first offending field; `issues` lists them all; `file` is
 * set when they come from a config file (see loadHostConfig).
 */
export class ConfigError extends Error {
  static {
    brandClass(this, 'ConfigError')
  }

  override readonly name = 'ConfigError'
  readonly path: string
  readonly issues: readonly ConfigIssue[]
  readonly file?: string

  /** The second argument may be the subject alone (what was configured), or options. */
  constructor(issues: readonly ConfigIssue[], options: string | ConfigErrorOptions = {}) {
    const {
      subject = 'the host config',
      file,
      cause,
    } = typeof options === 'string' ? { subject: options } : options
    // The first few only: a file of 50,000 mistakes is no 4 MB message. `issues` has them all.
    const lines = issues.slice(0, LISTED_ISSUES).map((issue) => lineOf(issue, file))
    const more = issues.length - lines.length
    if (more > 0) lines.push(`and ${more} more (all ${issues.length} are in the error's issues)`)
    const summary =
      file === undefined ? `${issues.length} problems in ${subject}` : `${file}: ${issues.length} problems`
    const message = issues.length === 1 ? (lines[0] ?? '') : `${summary}:\n  ${lines.join('\n  ')}`
    super(message, cause === undefined ? undefined : { cause })
    this.issues = issues
    this.path = issues[0]?.path ?? ''
    if (file !== undefined) this.file = file
  }
}

/** A server name the host does not know; the message lists the servers it has. */
export function noSuchServer(name: string, servers: Iterable<string>): ConfigError {
  const names = [...servers]
  return new ConfigError([
    { path: `servers.${name}`, message: `no such server (servers: ${names.join(', ') || 'none'})` },
  ])
}

export type RoutedKind = 'tool' | 'prompt' | 'resource'

/** The request a routed name is sent with. */
export const METHOD_OF: Readonly<Record<RoutedKind, string>> = {
  tool: 'tools/call',
  prompt: 'prompts/get',
  resource: 'resources/read',
}

/**
 * No server offers the prompt or resource (or, as its subclass ToolNotFoundError, the tool) that
 * was asked for. `requested` is the name or URI asked for (`name` is the error's class name, as on
 * every error); `offered` lists what the servers do offer (`name (server)` when several could).
 */
export class NotOfferedError extends Error {
  static {
    brandClass(this, 'NotOfferedError')
  }

  override readonly name: string = 'NotOfferedError'
  readonly kind: RoutedKind
  readonly requested: string
  readonly offered: readonly string[]

  // Positional, not a named object (issue 26 §2): a public constructor (api/), users may call it.
  constructor(kind: RoutedKind, requested: string, offered: readonly string[], server?: string) {
    const where = server ? `Server "${server}" does not offer` : 'No server offers'
    const list = offered.length > 0 ? offered.join(', ') : '(none)'
    super(`${where} ${kind} "${requested}". Available ${kind}s: ${list}.`)
    this.kind = kind
    this.requested = requested
    this.offered = offered
  }

  /** The same list as `offered` (its name before 0.3). */
  get available(): readonly string[] {
    return this.offered
  }
}

/** No server offers the tool that was asked for (a NotOfferedError of kind 'tool'). */
export class ToolNotFoundError extends NotOfferedError {
  static {
    brandClass(this, 'ToolNotFoundError')
  }

  override readonly name: string = 'ToolNotFoundError'
}

/** The routing failure for `kind`: ToolNotFoundError for a tool, NotOfferedError otherwise. */
export function notOffered(
  kind: RoutedKind,
  requested: string,
  offered: readonly string[],
  server?: string,
): NotOfferedError {
  return kind === 'tool'
    ? new ToolNotFoundError(kind, requested, offered, server)
    : new NotOfferedError(kind, requested, offered, server)
}

/** Several servers offer the name; pick one with `{ server }`. */
export class AmbiguousToolError extends Error {
  static {
    brandClass(this, 'AmbiguousToolError')
  }

  override readonly name = 'AmbiguousToolError'
  readonly kind: RoutedKind
  readonly requested: string
  readonly servers: readonly string[]

  constructor(kind: RoutedKind, requested: string, servers: readonly string[]) {
    super(
      `${kind[0]?.toUpperCase()}${kind.slice(1)} "${requested}" is offered by several servers: ` +
        `${servers.join(', ')}. Pick one with { server: '${servers[0]}' }.`,
    )
    this.kind = kind
    this.requested = requested
    this.servers = servers
  }
}

/** A host's teardown did not finish in time; what was still open is named. Processes were killed. */
export class TeardownTimeoutError extends Error {
  static {
    brandClass(this, 'TeardownTimeoutError')
  }

  override readonly name = 'TeardownTimeoutError'
  readonly timeoutMs: number
  readonly stillOpen: readonly string[]

  constructor(timeoutMs: number, stillOpen: readonly string[]) {
    super(
      `Host teardown did not finish within ${timeoutMs} ms. Still open: ${stillOpen.join(', ') || '(nothing named)'}. ` +
        'Its server processes were killed.',
    )
    this.timeoutMs = timeoutMs
    this.stillOpen = stillOpen
  }
}

/**
 * A request for a server that is not ready: still starting (`addServer()` not awaited yet) or
 * stopped by the host. Nothing was sent.
 */
export class ServerNotReadyError extends Error {
  static {
    brandClass(this, 'ServerNotReadyError')
  }

  override readonly name = 'ServerNotReadyError'
  readonly server: string
  readonly state: string

  constructor(server: string, state: string, during: string) {
    const fix =
      state === 'starting'
        ? 'await addServer() before using it'
        : 'the host stopped it: use a server only between its start and removeServer() or shutdown()'
    super(`Server "${server}" is ${state}, not ready, so ${during} was not sent: ${fix}.`)
    this.server = server
    this.state = state
  }
}

/**
 * A host method was called after `shutdown()`: nothing was started or sent. Or, with `request`,
 * `shutdown()` cut off a request that was still pending (`method` is then `shutdown`).
 */
export class HostClosedError extends Error {
  static {
    brandClass(this, 'HostClosedError')
  }

  override readonly name = 'HostClosedError'
  /** The host, as its scope names it: `fixture "hostManager" of test "x"`. */
  readonly host: string
  readonly method: string
  /** The request shutdown() cut off (`tools/call weather_lookup`); absent for a call after it. */
  readonly request?: string

  constructor(host: string, method: string, request?: string) {
    super(
      request === undefined
        ? `Cannot call ${method}() on ${host}: it was shut down, so nothing was started or sent. ` +
            'Use a host only while the code that owns it runs: a test-scoped hostManager inside its test, ' +
            'not from a module variable, a late timer or a later test.'
        : `Request "${request}" was cut off: ${host} was shut down while it was pending. ` +
            'Await every request before shutdown(), or give it a timeout that ends it first.',
    )
    this.host = host
    this.method = method
    if (request !== undefined) this.request = request
  }
}

/** A schema validation error (zod's, as the SDK raises it): not always an `Error` instance. */
export interface SchemaError {
  readonly name: string
  readonly issues: ReadonlyArray<{ readonly path?: ReadonlyArray<PropertyKey>; readonly message?: string }>
}

function isSchemaError(error: unknown): error is SchemaError {
  const { name, issues } = (error ?? {}) as { name?: unknown; issues?: unknown }
  return typeof name === 'string' && /ZodError$/.test(name) && Array.isArray(issues)
}

/** How many of a malformed result's problems the message names. */
const LISTED_RESULT_ISSUES = 3

/**
 * A server answered a request with a result that is not valid MCP (the SDK's schema rejected it);
 * the validation error is the `cause`.
 */
export class MalformedResultError extends Error {
  static {
    brandClass(this, 'MalformedResultError')
  }

  override readonly name = 'MalformedResultError'
  readonly server: string
  /** The request's method: `tools/call`. */
  readonly method: string
  /** The request, as the host's timeline names it: `tools/call weather_lookup`. */
  readonly request: string

  constructor(server: string, request: string, cause: SchemaError) {
    const problems = cause.issues.slice(0, LISTED_RESULT_ISSUES).map((issue) => {
      const path = (issue.path ?? []).map(String).join('.')
      return `${path || '(result)'}: ${issue.message ?? 'invalid'}`
    })
    const more = cause.issues.length - problems.length
    super(
      `Server "${server}" answered ${request} with a result that is not valid MCP: ${problems.join('; ')}` +
        `${more > 0 ? `; and ${more} more` : ''}. The server must answer as the MCP schema says (the validation error is the cause).`,
      { cause },
    )
    this.server = server
    this.method = request.split(' ')[0] ?? request
    this.request = request
  }
}

/**
 * SDK v2's `SdkError` `INVALID_RESULT` ("Invalid result for tools/list: <zod's issues as JSON>") as a
 * schema error: the issues read back from its message (the SDK keeps only the text), set on it as
 * `issues`; one issue with the text when they cannot be read.
 */
function fromInvalidResult(error: unknown): SchemaError | undefined {
  // By its code, not the class: this module loads no SDK (the plugin's setup file imports it).
  if (!(error instanceof Error) || (error as { code?: unknown }).code !== 'INVALID_RESULT') return undefined
  const text = /^Invalid result for [^:]+: ([\s\S]*)$/.exec(error.message)?.[1] ?? error.message
  let issues: SchemaError['issues'] = [{ message: text }]
  try {
    const parsed: unknown = JSON.parse(text)
    if (Array.isArray(parsed) && parsed.length > 0) issues = parsed
  } catch {
    // Not zod's JSON (the SDK's own check, e.g. "not an object"): the text is the one issue.
  }
  return Object.assign(error, { issues })
}

/** `error`, or a MalformedResultError around it when it is the SDK's schema rejecting a result. */
export function namingMalformedResult(error: unknown, server: string, request: string): unknown {
  const schemaError = isSchemaError(error) ? error : fromInvalidResult(error)
  return schemaError ? new MalformedResultError(server, request, schemaError) : error
}

/**
 * A server still answered `input_required` after the host's handlers had answered `maxRounds` rounds
 * of one request (2026-07-28): the request is given up. `rounds` is the limit (`client.maxRounds`).
 */
export class InputRoundsError extends Error {
  static {
    brandClass(this, 'InputRoundsError')
  }

  override readonly name = 'InputRoundsError'
  readonly server: string
  /** The request's method: `tools/call`. */
  readonly method: string
  readonly rounds: number

  constructor(server: string, request: string, rounds: number) {
    super(
      `Server "${server}" still asked for input after ${rounds} rounds of ${request} (client.maxRounds is ` +
        `${rounds}); the request was given up. Make the server finish in fewer rounds, or raise client.maxRounds.`,
    )
    this.server = server
    this.method = request.split(' ')[0] ?? request
    this.rounds = rounds
  }
}
