// The plugin's options: checked once in the main process, with errors that name the option.
//
// Checked by hand, not with zod like the host config: four fields, and importing zod costs
// ~110 ms in Vitest's main process, which would be most of the plugin's whole budget (BENCHMARKS.md).
import {
  type CassetteMode,
  type CassetteSettings,
  cassetteMode,
  cassetteModeProblems,
} from '../cassette/options.js'
import { envVariable } from '../env.js'
import { DEFAULT_SETTINGS, type Severity } from '../fixtures/settings.js'
import { ConfigError, type ConfigIssue } from '../host/errors.js'
import { invalidMilliseconds } from '../launchers/util/wait.js'
import { BUDGET_STATS, type ToolBudget } from '../report/tool-budgets.js'
import type { RedactRule } from '../snapshot/serializer.js'
import {
  type ObserveMode,
  type OptionProblem,
  observeProblems,
  type WireSeverity,
  wireSeverityProblems,
} from '../wire/check/options.js'

export interface McpHostOptions {
  /** Harness resources (hosts, servers, clients, requests) outliving their test. Default `'error'`. */
  leaks?: Severity
  /** Any child process (and its descendants) started during a test and still running after it. Default `'error'`. */
  processes?: Severity
  /** Report async handles created during a test and still active after it, with call sites (slow). Default `false`. */
  trace?: boolean
  /** ms one host's teardown may take; then its processes are killed and it fails. Default 10000. */
  teardownTimeout?: number
  /**
   * Per server, the advertised tools no test called and the percent called, with per-tool timings,
   * at the run's end and in a JSON file (`outputFile`, default `.vitest-mcp-host/tool-coverage.json`
   * under the root). With `min` (0–100) the run fails when a server is below it, except in a shard or
   * a run writing a blob report: there `min` is judged when the blobs are merged. With `budgets` a
   * tool slower than its budget fails the run the same way. Default `false`.
   */
  toolCoverage?: boolean | ToolCoverageOptions
  /**
   * Show the end-of-run lists marked "(information)": servers that needed a signal to stop, what a
   * timeout cut off. They fail nothing; against real servers they can be most of the section.
   * Default `true`.
   */
  information?: boolean
  /**
   * The wire check (API.md "Wire check"): every JSON-RPC message checked against the landed
   * revision. `'error'` fails the test a violation of a MUST travelled in (ProtocolViolationError),
   * `'warn'` lists it, `'off'` does not check. A host's or server's own `wire` overrides it. Default `'error'`.
   */
  wire?: WireSeverity
  /**
   * `'host'`: only hosts of this package are observed. `'all'`: MCP clients that test files create
   * themselves (SDK v1 and v2 `Client`, any transport) are observed too. Default `'host'`.
   */
  observe?: ObserveMode
  /**
   * MCP results in snapshots: `redact` replaces values by key path (`structuredContent.time`, `*` for
   * one segment, a bare key name anywhere) or by pattern (each match in a string) with `[redacted]`.
   */
  snapshot?: SnapshotOptions
  /**
   * Servers marked `cassette` (API.md "Cassettes"): `'auto'` replays a test's cassette and records it
   * when missing (never in CI), `'record'` re-records, `'replay'` never records (a missing cassette
   * fails the test), `'off'` talks to the real servers. `vitest -u` re-records; the environment
   * variable `VITEST_MCP_HOST_CASSETTES` (or its old name `MCP_HOST_CASSETTES`) overrides this. Default `'auto'`.
   */
  cassettes?: CassetteMode
  /**
   * After the run, one self-contained HTML file (no network; opens from file://) with each test's
   * hosts and servers as lanes on a time axis, and file- and worker-scoped hosts as rows of their
   * own; a failing test that used hosts also gets its timeline page as an annotation (type
   * `vitest-mcp-host timeline`). `true`: `mcp-report/index.html` under the root; a string: that path
   * (relative to the root). Default `false`. A file that cannot be written fails the run with a
   * message naming it. README "HTML report".
   */
  html?: boolean | string
}

export interface SnapshotOptions {
  redact?: RedactRule[]
}

export interface ToolCoverageOptions {
  /**
   * Percent of each server's advertised tools the run must call; below it, the run fails. Not judged
   * in a part of a run (`--shard`, `--reporter=blob`): on `vitest --merge-reports` of the blobs instead.
   */
  min?: number
  /** Where the JSON summary goes, relative to the root. */
  outputFile?: string
  /**
   * Latency budgets in ms, by tool name (every server offering it) or `server/name`: a tool whose
   * p50, p95 or max in the run is above its budget fails the run (judged as `min` is: not in a part).
   * A budget that names no tool called in the run is listed.
   */
  budgets?: Record<string, ToolBudget>
}

const SEVERITIES: readonly unknown[] = ['error', 'warn', 'off']
const SUBJECT = 'the mcpHost() options'

const checks: Record<keyof McpHostOptions, (value: unknown) => string | undefined> = {
  leaks: (v) =>
    SEVERITIES.includes(v) ? undefined : `expected 'error', 'warn' or 'off', got ${JSON.stringify(v)}`,
  processes: (v) =>
    SEVERITIES.includes(v) ? undefined : `expected 'error', 'warn' or 'off', got ${JSON.stringify(v)}`,
  trace: (v) => (typeof v === 'boolean' ? undefined : `expected a boolean, got ${JSON.stringify(v)}`),
  teardownTimeout: (v) => invalidMilliseconds(v),
  toolCoverage: checkToolCoverage,
  information: (v) => (typeof v === 'boolean' ? undefined : `expected a boolean, got ${JSON.stringify(v)}`),
  wire: (v) => firstMessage(wireSeverityProblems(v)),
  observe: (v) => firstMessage(observeProblems(v)),
  snapshot: checkSnapshot,
  cassettes: (v) => firstMessage(cassetteModeProblems(v)),
  html: (v) =>
    typeof v === 'boolean' || (typeof v === 'string' && v.trim() !== '')
      ? undefined
      : `expected a boolean or a non-empty file path, got ${JSON.stringify(v)}`,
}

function checkSnapshot(v: unknown): string | undefined {
  const expected = `expected { redact?: Array<string | RegExp> }, got ${JSON.stringify(v)}`
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return expected
  for (const [key, value] of Object.entries(v)) {
    if (key !== 'redact') return `unknown key ${JSON.stringify(key)} (keys: redact)`
    if (
      !Array.isArray(value) ||
      !value.every((r) => (typeof r === 'string' && r !== '') || r instanceof RegExp)
    )
      return `redact: expected an array of key paths (non-empty strings) and RegExps, got ${String(value)}`
  }
  return undefined
}

function firstMessage(problems: OptionProblem[]): string | undefined {
  return problems[0]?.message
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function checkToolCoverage(v: unknown): string | undefined {
  if (typeof v === 'boolean') return undefined
  const expected = `expected a boolean or { min?: number, outputFile?: string, budgets?: {...} }, got ${JSON.stringify(v)}`
  if (!isRecord(v)) return expected
  for (const [key, value] of Object.entries(v)) {
    if (key === 'min') {
      if (typeof value !== 'number' || !(value >= 0 && value <= 100))
        return `min: expected a percent from 0 to 100, got ${JSON.stringify(value)}`
    } else if (key === 'outputFile') {
      if (typeof value !== 'string' || value === '')
        return `outputFile: expected a non-empty path, got ${JSON.stringify(value)}`
    } else if (key === 'budgets') {
      const problem = checkBudgets(value)
      if (problem) return `budgets${problem}`
    } else return `unknown key ${JSON.stringify(key)} (keys: min, outputFile, budgets)`
  }
  return undefined
}

/** A problem of `budgets`, starting with where in it (`.tool.p95: ...`), or undefined. */
function checkBudgets(v: unknown): string | undefined {
  const shape = "{ [tool or 'server/tool']: { p50?, p95?, max? } } in ms"
  if (!isRecord(v)) return `: expected ${shape}, got ${JSON.stringify(v)}`
  for (const [tool, budget] of Object.entries(v)) {
    const at = `[${JSON.stringify(tool)}]`
    if (tool === '') return `: a tool name cannot be empty (expected ${shape})`
    if (!isRecord(budget) || Object.keys(budget).length === 0)
      return `${at}: expected { p50?, p95?, max? } in ms with at least one of them, got ${JSON.stringify(budget)}`
    for (const [stat, ms] of Object.entries(budget)) {
      if (!(BUDGET_STATS as readonly string[]).includes(stat))
        return `${at}: unknown key ${JSON.stringify(stat)} (keys: ${BUDGET_STATS.join(', ')})`
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0)
        return `${at}.${stat}: expected a number of ms above 0, got ${JSON.stringify(ms)}`
    }
  }
  return undefined
}

export function validateOptions(options: unknown): Required<McpHostOptions> {
  const given = options ?? {}
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new ConfigError([{ path: 'mcpHost', message: 'expected an options object' }], SUBJECT)
  }
  const issues: ConfigIssue[] = []
  for (const [key, value] of Object.entries(given)) {
    const check = checks[key as keyof McpHostOptions]
    const problem = check
      ? value === undefined
        ? undefined
        : check(value)
      : `unknown option (options: ${Object.keys(checks).join(', ')})`
    if (problem) issues.push({ path: `mcpHost.${key}`, message: problem })
  }
  if (issues.length > 0) throw new ConfigError(issues, SUBJECT)
  const { reportDir: _, ...defaults } = DEFAULT_SETTINGS
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined))
  return {
    ...defaults,
    information: true,
    wire: 'error',
    observe: 'host',
    snapshot: {},
    cassettes: 'auto',
    html: false,
    ...defined,
  }
}

/** The cassette mode and update state workers decide with: `VITEST_MCP_HOST_CASSETTES` (or its old name) over the option. */
export function cassetteSettings(
  option: CassetteMode,
  env: NodeJS.ProcessEnv,
  updateSnapshot: string,
): CassetteSettings {
  // A bad value is named by the variable it was set in (the old name is still read).
  const variable = envVariable('CASSETTES', env)
  const given = variable?.value === '' ? undefined : variable?.value
  const problem = firstMessage(cassetteModeProblems(given))
  if (problem && variable)
    throw new ConfigError([{ path: variable.name, message: problem }], 'the environment')
  // Vitest's snapshot decision, taken as is: -u is 'all', CI is 'none'.
  const update = updateSnapshot === 'all' || updateSnapshot === 'none' ? updateSnapshot : 'new'
  return { mode: cassetteMode(option, given), update }
}
