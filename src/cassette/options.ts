/**
 * The cassette settings (API.md "Cassettes"), checked by hand like the wire check's so the plugin
 * can use them without zod: the plugin's `cassettes` mode, `VITEST_MCP_HOST_CASSETTES`, and a server's
 * `cassette`. Each problem is reported by the caller as a ConfigError at its path.
 */
import { envSetting } from '../env.js'
import type { OptionProblem } from '../wire/check/options.js'
import type { RedactRule } from './redact.js'

/**
 * `'auto'`: replay a test's cassette, record it when missing (never in CI); `'record'`: always
 * record (re-record); `'replay'`: always replay, a missing cassette fails; `'off'`: talk to the
 * real servers and write nothing.
 */
export type CassetteMode = 'auto' | 'record' | 'replay' | 'off'

/** A server's `cassette`: `true`, or what to redact before its cassette is written. */
export type ServerCassetteSetting = boolean | { redact?: RedactRule[] }

/** Vitest's snapshot update state (`snapshotOptions.updateSnapshot`): `-u` is `'all'`, CI is `'none'`. */
export type UpdateState = 'all' | 'new' | 'none'

/** What a worker needs to decide per test: the mode (environment first) and Vitest's update state. */
export interface CassetteSettings {
  readonly mode: CassetteMode
  readonly update: UpdateState
}

export const CASSETTE_MODES: readonly CassetteMode[] = ['auto', 'record', 'replay', 'off']
const show = (value: unknown) => (typeof value === 'function' ? 'a function' : JSON.stringify(value))

/** Problems of the plugin's `cassettes` or of `VITEST_MCP_HOST_CASSETTES`; none for undefined. */
export function cassetteModeProblems(value: unknown): OptionProblem[] {
  if (value === undefined || CASSETTE_MODES.includes(value as CassetteMode)) return []
  return [{ path: [], message: `expected 'auto', 'record', 'replay' or 'off', got ${show(value)}` }]
}

/** Problems of a server's `cassette`: a boolean or `{ redact: [key paths or RegExps] }`. */
export function serverCassetteProblems(value: unknown): OptionProblem[] {
  if (value === undefined || typeof value === 'boolean') return []
  const expected = `expected true, false or { redact: [key paths or RegExps] }, got ${show(value)}`
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [{ path: [], message: expected }]
  const problems: OptionProblem[] = []
  for (const key of Object.keys(value)) {
    if (key !== 'redact') problems.push({ path: [key], message: `unknown option "${key}" (options: redact)` })
  }
  const redact = (value as { redact?: unknown }).redact
  if (redact === undefined) return problems
  if (!Array.isArray(redact)) {
    problems.push({
      path: ['redact'],
      message: `expected an array of key paths or RegExps, got ${show(redact)}`,
    })
    return problems
  }
  redact.forEach((rule, index) => {
    if (rule instanceof RegExp) return
    if (typeof rule !== 'string' || rule === '' || rule.split('.').includes(''))
      problems.push({
        path: ['redact', index],
        message: `expected a key name ('apiKey'), a dotted path ('params.arguments.token', * for any key) or a RegExp, got ${show(rule)}`,
      })
  })
  return problems
}

/** The mode in force: `VITEST_MCP_HOST_CASSETTES` (already checked) over the plugin's option, else 'auto'. */
export function cassetteMode(option: CassetteMode | undefined, env: string | undefined): CassetteMode {
  if (env !== undefined && env !== '') return env as CassetteMode
  return option ?? 'auto'
}

/** Without the plugin: the mode from `VITEST_MCP_HOST_CASSETTES` (or its old name; else 'auto'), and CI when `CI` is set. */
export function cassetteSettingsWithoutPlugin(env: NodeJS.ProcessEnv = process.env): CassetteSettings {
  const given = envSetting('CASSETTES', env)
  const mode =
    cassetteModeProblems(given === '' ? undefined : given).length === 0
      ? cassetteMode(undefined, given)
      : 'auto'
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0'
  return { mode, update: ci ? 'none' : 'new' }
}
