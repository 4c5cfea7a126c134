// The plugin's options: validated once in the main process, with errors that name the option.
import { z } from 'zod'
import { DEFAULT_SETTINGS, type Severity } from '../fixtures/settings.js'
import { ConfigError } from '../host/errors.js'

export interface McpHostOptions {
  /** Harness resources (hosts, servers, clients, requests) outliving their test. Default `'error'`. */
  leaks?: Severity
  /** Any child process (and its descendants) started during a test and still running after it. Default `'error'`. */
  processes?: Severity
  /** Report async handles created during a test and still active after it, with call sites (slow). Default `false`. */
  trace?: boolean
  /** ms one host's teardown may take; then its processes are killed and it fails. Default 10000. */
  teardownTimeout?: number
}

const severity = z.enum(['error', 'warn', 'off'])

const schema = z.strictObject({
  leaks: severity.optional(),
  processes: severity.optional(),
  trace: z.boolean().optional(),
  teardownTimeout: z.number().int().positive().optional(),
})

export function validateOptions(options: unknown): Required<McpHostOptions> {
  const result = schema.safeParse(options ?? {})
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) =>
        issue.code === 'unrecognized_keys'
          ? {
              path: `mcpHost.${issue.keys[0]}`,
              message: `unknown option (options: ${Object.keys(schema.shape).join(', ')})`,
            }
          : { path: ['mcpHost', ...issue.path.map(String)].join('.'), message: issue.message },
      ),
    )
  }
  const { reportDir: _, ...defaults } = DEFAULT_SETTINGS
  return { ...defaults, ...result.data }
}
