/**
 * The wire check's settings (API.md "Wire check"), checked by hand so the plugin's options can use
 * them without zod: `wire` on the plugin, the host config and each server; `observe` on the plugin.
 * Unknown rule ids in `ignore` are a ConfigError naming the known ones (a typo would silently ignore nothing).
 */
import { isRuleId, RULES } from './rules.js'

/** `'error'`: a violation of a MUST fails the test it travelled in; `'warn'`: listed; `'off'`: not checked. */
export type WireSeverity = 'error' | 'warn' | 'off'
/** A server's own setting: a severity, or rule ids to skip for it (a third-party server you cannot fix). */
export type WireServerSetting = WireSeverity | { ignore: string[] }
/** `'host'`: only this package's hosts are observed; `'all'`: also MCP clients test files create. */
export type ObserveMode = 'host' | 'all'

export interface OptionProblem {
  /** Below the option's own path: `['ignore', 2]`. */
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

const SEVERITIES: readonly unknown[] = ['error', 'warn', 'off']
const show = (value: unknown) => (typeof value === 'function' ? 'a function' : JSON.stringify(value))

/** Problems of a host's or the plugin's `wire` (a severity); none for undefined. */
export function wireSeverityProblems(value: unknown): OptionProblem[] {
  if (value === undefined || SEVERITIES.includes(value)) return []
  return [{ path: [], message: `expected 'error', 'warn' or 'off', got ${show(value)}` }]
}

/** Problems of a server's `wire`: a severity or `{ ignore: [rule ids] }`; none for undefined. */
export function wireServerProblems(value: unknown): OptionProblem[] {
  if (value === undefined || SEVERITIES.includes(value)) return []
  const expected = `expected 'error', 'warn', 'off' or { ignore: [rule ids] }, got ${show(value)}`
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [{ path: [], message: expected }]
  const problems: OptionProblem[] = []
  for (const key of Object.keys(value)) {
    if (key !== 'ignore') problems.push({ path: [key], message: `unknown option "${key}" (options: ignore)` })
  }
  const ignore = (value as { ignore?: unknown }).ignore
  if (!Array.isArray(ignore)) {
    problems.push({ path: ['ignore'], message: `expected an array of rule ids, got ${show(ignore)}` })
    return problems
  }
  ignore.forEach((id, index) => {
    if (typeof id !== 'string' || !isRuleId(id))
      problems.push({
        path: ['ignore', index],
        message: `unknown rule id ${show(id)} (rules: ${RULES.map((r) => r.id).join(', ')})`,
      })
  })
  return problems
}

/** Problems of the plugin's `observe`; none for undefined. */
export function observeProblems(value: unknown): OptionProblem[] {
  if (value === undefined || value === 'host' || value === 'all') return []
  return [{ path: [], message: `expected 'host' or 'all', got ${show(value)}` }]
}

/** `a.b[2]`-free dotted form used by ConfigError paths: `ignore.2`. */
export function problemPath(base: string, problem: OptionProblem): string {
  return [base, ...problem.path.map(String)].join('.')
}

/** What one server's connection is checked with, once the three levels are combined. */
export interface EffectiveWire {
  readonly severity: WireSeverity
  /** Rule ids not reported for this server. */
  readonly ignore: readonly string[]
}

/**
 * A server's own `wire` overrides its host's, which overrides the plugin's (default `'error'`).
 * `{ ignore }` on a server keeps the host's severity and skips those rules.
 * @example
 * resolveWire({ plugin: 'error', host: 'warn', server: { ignore: ['tool.output-schema'] } })
 * // → { severity: 'warn', ignore: ['tool.output-schema'] }
 */
export function resolveWire(levels: {
  plugin?: WireSeverity | undefined
  host?: WireSeverity | undefined
  server?: WireServerSetting | undefined
}): EffectiveWire {
  const inherited = levels.host ?? levels.plugin ?? 'error'
  const server = levels.server
  if (server === undefined) return { severity: inherited, ignore: [] }
  if (typeof server === 'string') return { severity: server, ignore: [] }
  return { severity: inherited, ignore: [...server.ignore] }
}
