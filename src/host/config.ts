// Validates a host config before anything starts; every problem becomes a ConfigError issue.
import { z } from 'zod'
import type { HostConfig, ServerConfig } from './config-types.js'
import type { ConfigIssue } from './errors.js'
import { ConfigError } from './errors.js'

/** Transports this version can start; the others are recognised and rejected loudly. */
export const SUPPORTED_TRANSPORTS = ['stdio', 'memory'] as const
const KNOWN_TRANSPORTS = ['stdio', 'http', 'memory', 'worker']

const ms = (what: string) =>
  z
    .number({ error: `expected ${what} in milliseconds, a positive number` })
    .int()
    .positive({
      error: `expected ${what} in milliseconds, a positive number`,
    })
const nonEmpty = z
  .string({ error: 'expected a non-empty string' })
  .min(1, { error: 'expected a non-empty string' })

const common = {
  startupTimeout: ms('a timeout').optional(),
  requestTimeout: ms('a timeout').optional(),
  exclude: z.array(nonEmpty, { error: 'expected an array of names' }).optional(),
  shutdown: z
    .strictObject({
      graceMs: z.number().int().nonnegative({ error: 'expected milliseconds, 0 or more' }).optional(),
      termMs: z.number().int().nonnegative({ error: 'expected milliseconds, 0 or more' }).optional(),
    })
    .optional(),
}

const processSpec = {
  command: nonEmpty,
  args: z
    .array(z.string({ error: 'expected every argument to be a string' }), {
      error: 'expected an array of strings',
    })
    .optional(),
  env: z.record(z.string(), z.string({ error: 'expected every value to be a string' })).optional(),
  cwd: nonEmpty.optional(),
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

const hostSchema = z.strictObject({
  servers: z.record(z.string(), z.unknown(), { error: 'expected an object of named server configs' }),
  requestTimeout: ms('a timeout').optional(),
  startupTimeout: ms('a timeout').optional(),
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

/** Checks one server config; returns its problems (none when valid). */
export function serverConfigIssues(name: string, config: unknown): ConfigIssue[] {
  const prefix = `servers.${name}`
  if (name.trim() === '') return [{ path: prefix, message: 'a server name must not be empty' }]
  if (typeof config !== 'object' || config === null) {
    return [{ path: prefix, message: 'expected a server config object (e.g. weatherServer())' }]
  }
  const transport = (config as { transport?: unknown }).transport
  if (typeof transport !== 'string' || !KNOWN_TRANSPORTS.includes(transport)) {
    return [{ path: `${prefix}.transport`, message: `expected one of ${KNOWN_TRANSPORTS.join(', ')}` }]
  }
  const schema = serverSchemas[transport]
  if (!schema) {
    return [
      {
        path: `${prefix}.transport`,
        message: `"${transport}" is not supported by this version yet (supported: ${SUPPORTED_TRANSPORTS.join(', ')})`,
      },
    ]
  }
  const result = schema.safeParse(config)
  return result.success ? [] : issuesOf(result.error, prefix, transport)
}

/** Validates `config` whole, collecting every problem; throws one ConfigError listing them. */
export function validateHostConfig(config: unknown): HostConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ConfigError([
      { path: '(config)', message: 'expected a host config object ({ servers: { ... } })' },
    ])
  }
  const result = hostSchema.safeParse(config)
  if (!result.success) throw new ConfigError(issuesOf(result.error, ''))
  const issues = Object.entries(result.data.servers).flatMap(([name, server]) =>
    serverConfigIssues(name, server),
  )
  if (issues.length > 0) throw new ConfigError(issues)
  return config as HostConfig
}

export function validateServerConfig(name: string, config: unknown): ServerConfig {
  const issues = serverConfigIssues(name, config)
  if (issues.length > 0) throw new ConfigError(issues)
  return config as ServerConfig
}

/**
 * Declares a host config with full type checking; validation happens when a host starts.
 * @example
 * export const config = defineHostConfig({ servers: { weather: weatherServer() } })
 */
export function defineHostConfig<const T extends HostConfig>(config: T): T {
  return config
}
