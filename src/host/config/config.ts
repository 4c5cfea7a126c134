// Validates a host config before anything starts, into a frozen copy that is what runs; every
// problem becomes a ConfigError issue naming its field.

import { isAbsolute } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inspect } from 'node:util'
import type { Root } from '@modelcontextprotocol/client'
import { z } from 'zod'
import { serverCassetteProblems } from '../../cassette/options.js'
import {
  isProtocolSetting,
  PROTOCOL_REVISIONS,
  type ProtocolSetting,
} from '../../launchers/client/protocol.js'
import { invalidMilliseconds } from '../../launchers/util/wait.js'
import { type OptionProblem, wireServerProblems, wireSeverityProblems } from '../../wire/check/options.js'
import type { ConfigIssue } from '../errors.js'
import { ConfigError } from '../errors.js'
import { freezeCopy, isPlainObject, readOnce } from './config-copy.js'
import type { HostConfig, ServerConfig } from './config-types.js'

/** Transports this version can start; the others are recognised and rejected loudly. */
export const SUPPORTED_TRANSPORTS = ['stdio', 'http', 'memory', 'worker'] as const
const KNOWN_TRANSPORTS = ['stdio', 'http', 'memory', 'worker']

/** Milliseconds: an integer from `min` to MAX_TIMER_MS (wait.ts, which words the problem). */
const ms = (min: 0 | 1) =>
  z.custom<number>((value) => invalidMilliseconds(value, min) === undefined, {
    error: (issue) => invalidMilliseconds(issue.input, min),
  })

// spawn throws a raw TypeError on a NUL byte in the command, an argument, cwd or the environment.
const NUL = 'must not contain a NUL byte'
const noNul = (text: string) => !text.includes('\0')
const nonEmpty = z
  .string({ error: 'expected a non-empty string' })
  .min(1, { error: 'expected a non-empty string' })

/**
 * An object of own keys of any name into a plain copy: zod's record drops a key named `__proto__`
 * unchecked. `keyProblem` rejects a key (reported at the object's path).
 */
function ownRecord<T>(value: z.ZodType<T>, error: string, keyProblem: (key: string) => string | undefined) {
  return z.unknown().transform((input, ctx) => {
    if (!isPlainObject(input)) {
      ctx.issues.push({ code: 'custom', message: error, input })
      return z.NEVER
    }
    const entries: Array<[string, T]> = []
    for (const [key, item] of Object.entries(input)) {
      const problem = keyProblem(key)
      if (problem) ctx.issues.push({ code: 'custom', message: problem, input })
      const result = value.safeParse(item)
      if (result.success) entries.push([key, result.data])
      for (const issue of result.error?.issues ?? []) {
        ctx.issues.push({ code: 'custom', message: issue.message, input: item, path: [key, ...issue.path] })
      }
    }
    return Object.fromEntries(entries)
  })
}

function envNameProblem(name: string): string | undefined {
  if (name === '') return 'a variable name must not be empty'
  if (name.includes('=')) return `variable name ${JSON.stringify(name)} must not contain "="`
  if (name.includes('\0')) return `variable name ${JSON.stringify(name)} ${NUL}`
  return undefined
}

/** A wire (or cassette) setting checked by its own (zod-free) validator; each problem an issue at its path. */
const wireSetting = (problems: (value: unknown) => OptionProblem[]) =>
  z.unknown().superRefine((value, ctx) => {
    for (const p of problems(value))
      ctx.addIssue({ code: 'custom', message: p.message, path: [...p.path], input: value })
  })

/** A `protocol` setting: one of the revisions the host speaks, or 'auto'. */
const protocolSetting = z.custom<ProtocolSetting>(isProtocolSetting, {
  error: `expected one of ${[...PROTOCOL_REVISIONS, 'auto'].map((v) => `'${v}'`).join(', ')}`,
})

const common = {
  protocol: protocolSetting.optional(),
  wire: wireSetting(wireServerProblems).optional(),
  cassette: wireSetting(serverCassetteProblems).optional(),
  startupTimeout: ms(1).optional(),
  requestTimeout: ms(1).optional(),
  exclude: z.array(nonEmpty, { error: 'expected an array of names' }).optional(),
  shutdown: z.strictObject({ graceMs: ms(0).optional(), termMs: ms(0).optional() }).optional(),
}

const processSpec = {
  command: nonEmpty.refine(noNul, { error: NUL }),
  args: z
    .array(z.string({ error: 'expected every argument to be a string' }).refine(noNul, { error: NUL }), {
      error: 'expected an array of strings',
    })
    .optional(),
  env: ownRecord(
    z.string({ error: 'expected every value to be a string' }).refine(noNul, { error: NUL }),
    'expected an object of variables',
    envNameProblem,
  ).optional(),
  cwd: nonEmpty.refine(noNul, { error: NUL }).optional(),
}

// RFC 9110 token characters; a value must not break the header line (CR, LF, NUL).
const headerNameProblem = (name: string) =>
  /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)
    ? undefined
    : `${JSON.stringify(name)} is not a valid header name`

/** The URL, if it is an http:// or https:// one. */
function httpUrlOf(text: string): URL | undefined {
  try {
    const url = new URL(text)
    return ['http:', 'https:'].includes(url.protocol) ? url : undefined
  } catch {
    return undefined
  }
}

// fetch refuses a URL with credentials, and the URL is printed in messages: they belong in headers.
const httpUrl = nonEmpty
  .refine((text) => httpUrlOf(text) !== undefined, {
    error: 'expected an http:// or https:// URL',
    abort: true,
  })
  .refine(
    (text) => {
      const url = httpUrlOf(text)
      return url?.username === '' && url.password === ''
    },
    {
      error:
        'must not contain credentials ("user:password@"): send them in headers instead ' +
        "(e.g. headers: { Authorization: 'Basic ' + btoa('user:password') })",
    },
  )

// fetch sends header values as bytes: a character above U+00FF cannot be sent.
const latin1 = (value: string) => /^[\u0000-\u00ff]*$/.test(value)

const httpByUrl = z.strictObject({
  transport: z.literal('http'),
  url: httpUrl,
  headers: ownRecord(
    z
      .string({ error: 'expected every value to be a string' })
      .refine((v) => !/[\r\n\0]/.test(v), { error: 'must not contain CR, LF or NUL', abort: true })
      .refine(latin1, {
        error:
          'must hold only Latin-1 characters (U+0000 to U+00FF), as HTTP header values are bytes: ' +
          'percent-encode or base64 the value',
      }),
    'expected an object of header names and values',
    headerNameProblem,
  ).optional(),
  ...common,
})

const httpSpawned = z.strictObject({
  transport: z.literal('http'),
  ...processSpec,
  path: nonEmpty
    .refine((p) => p.startsWith('/') && !/[\s\0?#]/.test(p), {
      error: 'expected a URL path starting with "/" (no spaces, "?" or "#")',
    })
    .optional(),
  portEnv: nonEmpty
    .refine((name) => envNameProblem(name) === undefined, {
      error: 'expected an environment variable name (no "=" or NUL)',
    })
    .optional(),
  ...common,
})

/** Keys of a spawned http server that a server by URL must not have, and the other way round. */
const SPAWN_KEYS = ['command', 'args', 'env', 'cwd', 'path', 'portEnv']
const URL_KEYS = ['url', 'headers']

/** `http` has two shapes: by `url` (running elsewhere) or by `command` (spawned); never both. */
function checkHttp(config: Record<string, unknown>, prefix: string): Checked {
  const byUrl = 'url' in config
  if (!byUrl && !('command' in config)) {
    const message = 'expected url (a running server) or command (a server the host spawns)'
    return { issues: [{ path: prefix, message }] }
  }
  const mixed = (byUrl ? SPAWN_KEYS : URL_KEYS).filter((key) => key in config)
  if (mixed.length > 0) {
    const shape = byUrl ? 'url' : 'command'
    return {
      issues: mixed.map((key) => ({
        path: `${prefix}.${key}`,
        message: `{ transport: 'http', ${shape} } does not support "${key}" (give url for a running server, or command for one the host spawns, not both)`,
      })),
    }
  }
  const result = (byUrl ? httpByUrl : httpSpawned).safeParse(config)
  return result.success
    ? { config: result.data as ServerConfig }
    : { issues: issuesOf(result.error, prefix, 'http') }
}

const serverSchemas: Record<string, z.ZodType> = {
  stdio: z.strictObject({ transport: z.literal('stdio'), ...processSpec, ...common }),
  memory: z.strictObject({
    transport: z.literal('memory'),
    server: z.custom<() => unknown>((value) => typeof value === 'function', {
      error: 'expected a function returning an McpServer',
    }),
    ...common,
  }),
}

/** An absolute path, or a file: URL Node can turn into one. */
function isModuleLocation(text: string): boolean {
  if (!text.startsWith('file:')) return isAbsolute(text)
  try {
    fileURLToPath(text)
    return true
  } catch {
    return false
  }
}

const worker = {
  module: nonEmpty
    .refine(noNul, { error: NUL, abort: true })
    .refine(isModuleLocation, { error: 'expected an absolute path or a file: URL of an ES module' }),
  export: nonEmpty.optional(),
  // Cloned now: what cannot reach a thread fails here, and the caller's objects are never frozen.
  workerData: z
    .unknown()
    .transform((value, ctx) => {
      try {
        return structuredClone(value)
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error)
        ctx.issues.push({
          code: 'custom',
          message: `cannot be sent to a worker thread (${why})`,
          input: value,
        })
        return z.NEVER
      }
    })
    .optional(),
  files: ownRecord(
    z.string({ error: 'expected every file content to be a string' }),
    'expected an object of absolute file paths to their contents',
    (file) => (isAbsolute(file) ? undefined : `file path ${JSON.stringify(file)} is not absolute`),
  ).optional(),
}

// Node takes any positive number of MB; 2^20 MB (1 TiB) is far past what a thread can use.
const megabytes = z
  .number({ error: 'expected a positive number of megabytes' })
  .refine((n) => Number.isFinite(n) && n > 0 && n <= 2 ** 20, {
    error: 'expected a positive number of megabytes, at most 1048576',
  })
  .optional()

serverSchemas.worker = z.strictObject({
  transport: z.literal('worker'),
  ...worker,
  resourceLimits: z
    .strictObject({
      maxOldGenerationSizeMb: megabytes,
      maxYoungGenerationSizeMb: megabytes,
      codeRangeSizeMb: megabytes,
      stackSizeMb: megabytes,
    })
    .optional(),
  ...common,
})

const fileUri = z.string({ error: 'expected a file:// URI' }).refine(
  (text) => {
    try {
      return text.startsWith('file://') && new URL(text).protocol === 'file:'
    } catch {
      return false
    }
  },
  { error: 'expected a file:// URI' },
)

// A root's `_meta` is copied: the caller's object is never frozen, and what is answered never changes.
const meta = z.unknown().transform((value, ctx) => {
  if (!isPlainObject(value)) {
    ctx.issues.push({ code: 'custom', message: 'expected an object', input: value })
    return z.NEVER
  }
  try {
    return structuredClone(value)
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    ctx.issues.push({ code: 'custom', message: `cannot be copied (${why})`, input: value })
    return z.NEVER
  }
})

const rootsSchema = z.array(
  z.strictObject(
    { uri: fileUri, name: z.string({ error: 'expected a string' }).optional(), _meta: meta.optional() },
    { error: 'expected a root ({ uri: "file:///...", name? })' },
  ),
  { error: 'expected an array of roots ({ uri: "file:///...", name? })' },
)

const handler = (what: string) =>
  z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
    error: `expected a function (params, { server }) returning ${what}`,
  })

const clientSchema = z.strictObject(
  {
    name: nonEmpty.optional(),
    version: nonEmpty.optional(),
    sampling: handler('a CreateMessageResult').optional(),
    elicitation: handler('an ElicitResult').optional(),
    roots: rootsSchema.optional(),
    maxRounds: z
      .number({ error: 'expected a whole number of rounds, 1 or more' })
      .int({ error: 'expected a whole number of rounds, 1 or more' })
      .min(1, { error: 'expected a whole number of rounds, 1 or more' })
      .optional(),
  },
  { error: 'expected an object ({ name?, version?, sampling?, elicitation?, roots?, maxRounds? })' },
)

const hostSchema = z.strictObject({
  servers: z.custom<Record<string, unknown>>(isPlainObject, {
    error: 'expected an object of named server configs',
  }),
  requestTimeout: ms(1).optional(),
  startupTimeout: ms(1).optional(),
  client: clientSchema.optional(),
  wire: wireSetting(wireSeverityProblems).optional(),
  protocol: protocolSetting.optional(),
})

function issuesOf(error: z.ZodError, prefix: string, transport?: string): ConfigIssue[] {
  return error.issues.flatMap((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.')
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: path ? `${path}.${key}` : key,
        message:
          transport && issue.path.length === 0
            ? `{ transport: '${transport}' } does not support "${key}"`
            : `unknown option "${key}"`,
      }))
    }
    return [{ path, message: issue.message }]
  })
}

type Checked = { config: ServerConfig; issues?: never } | { issues: ConfigIssue[] }

/** Checks one server config, already read once (see readOnce); its validated copy or its problems. */
function checkServer(name: string, config: unknown): Checked {
  const prefix = `servers.${name}`
  if (name.trim() === '') return { issues: [{ path: prefix, message: 'a server name must not be empty' }] }
  if (!isPlainObject(config)) {
    return { issues: [{ path: prefix, message: 'expected a server config object (e.g. weatherServer())' }] }
  }
  const transport = config.transport
  if (typeof transport !== 'string' || !KNOWN_TRANSPORTS.includes(transport)) {
    return {
      issues: [{ path: `${prefix}.transport`, message: `expected one of ${KNOWN_TRANSPORTS.join(', ')}` }],
    }
  }
  if (transport === 'http') return checkHttp(config, prefix)
  const schema = serverSchemas[transport]
  if (!schema) {
    const supported = SUPPORTED_TRANSPORTS.join(', ')
    const message = `"${transport}" is not supported by this version yet (supported: ${supported})`
    return { issues: [{ path: `${prefix}.transport`, message }] }
  }
  const result = schema.safeParse(config)
  return result.success
    ? { config: result.data as ServerConfig }
    : { issues: issuesOf(result.error, prefix, transport) }
}

/**
 * Validates `config` whole, collecting every problem into one ConfigError. Returns a frozen plain
 * copy, read once: use it, not `config` (a getter could answer differently the second time).
 */
export function validateHostConfig(config: unknown): HostConfig {
  const unreadable: ConfigIssue[] = []
  const copy = readOnce(config, { path: '', issues: unreadable })
  if (unreadable.length > 0) throw new ConfigError(unreadable)
  if (!isPlainObject(copy)) {
    throw new ConfigError([
      { path: '(config)', message: 'expected a host config object ({ servers: { ... } })' },
    ])
  }
  const result = hostSchema.safeParse(copy)
  if (!result.success) throw new ConfigError(issuesOf(result.error, ''))
  const issues: ConfigIssue[] = []
  const servers: Array<[string, ServerConfig]> = []
  for (const [name, server] of Object.entries(result.data.servers)) {
    const checked = checkServer(name, server)
    if (checked.issues) issues.push(...checked.issues)
    else servers.push([name, checked.config])
  }
  if (issues.length > 0) throw new ConfigError(issues)
  // fromEntries defines keys: a server named __proto__ stays a server.
  return freezeCopy({ ...result.data, servers: Object.fromEntries(servers) }) as HostConfig
}

/** Validates one server's config (for addServer); a frozen plain copy, read once, as validateHostConfig. */
export function validateServerConfig(name: string, config: unknown): ServerConfig {
  if (typeof name !== 'string') {
    throw new ConfigError([{ path: `servers.${inspect(name)}`, message: 'a server name must be a string' }])
  }
  const unreadable: ConfigIssue[] = []
  // Depth 2: where a server config sits in a host config.
  const copy = readOnce(config, { path: `servers.${name}`, issues: unreadable, depth: 2 })
  if (unreadable.length > 0) throw new ConfigError(unreadable)
  const checked = checkServer(name, copy)
  if (checked.issues) throw new ConfigError(checked.issues)
  return freezeCopy(checked.config)
}

/** Validates `setRoots()`'s argument into a frozen copy, read once; problems are ConfigError issues at `roots`. */
export function validateRoots(roots: unknown): Root[] {
  const unreadable: ConfigIssue[] = []
  // Depth 2: where roots sit in a host config (client.roots).
  const copy = readOnce(roots, { path: 'roots', issues: unreadable, depth: 2 })
  if (unreadable.length > 0) throw new ConfigError(unreadable, 'the roots')
  const result = rootsSchema.safeParse(copy)
  if (!result.success) throw new ConfigError(issuesOf(result.error, 'roots'), 'the roots')
  return freezeCopy(result.data)
}

/**
 * Declares a host config with full type checking; validation happens when a host starts.
 * @example
 * export const config = defineHostConfig({ servers: { weather: weatherServer() } })
 */
export function defineHostConfig<const T extends HostConfig>(config: T): T {
  return config
}
