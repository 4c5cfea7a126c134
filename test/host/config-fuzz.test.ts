// Seeded config fuzzing of HostManager.start. Whatever the config, start resolves (and is shut
// down) or rejects with a ConfigError naming a field, a ServerStartError, or an AggregateError of
// those; and after every case no process it spawned is left. Replay a failure with what it prints:
//   FUZZ_SEED=<seed> FUZZ_CASE=<i> npx vitest run test/host/config-fuzz.test.ts
// More cases: FUZZ_CASES=5000 (default 300, well under 20 s on 2 cores: most fail validation).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { afterAll, expect, test } from 'vitest'
import { ConfigError } from '../../src/host/errors.js'
import { HostManager } from '../../src/host/host-manager.js'
import { ServerStartError } from '../../src/launchers/errors.js'
import { descendantsOf, type ProcessInfo } from '../../src/launchers/processes/process-table.js'
import { reaperPid } from '../../src/launchers/processes/reaper-client.js'
import { pollUntil, settlesWithin } from '../../src/launchers/util/wait.js'
import { numberFromEnv } from '../support/assertions.js'
import { caseSeed, FUZZ_SECRET, Random, randomConfig } from '../support/random-configs.js'

const SEED = numberFromEnv('FUZZ_SEED') ?? 20_250_807
const ONLY = numberFromEnv('FUZZ_CASE')
const CASES = numberFromEnv('FUZZ_CASES') ?? 300
// No case should come near it: the slowest starts a real server (about 0.2 s) or waits out a 50 ms timeout.
const CASE_BOUND_MS = 10_000
const MAX_REPORTED = 5

const dir = mkdtempSync(join(tmpdir(), 'vitest-mcp-host-fuzz-'))
const paths = { dir, file: join(dir, 'a-file') }
writeFileSync(paths.file, 'not a directory')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

type Outcome = 'resolved' | 'ConfigError' | 'ServerStartError' | 'AggregateError'

/** Why `error` breaks the contract, or undefined if it keeps it. */
function contractProblem(error: unknown): string | undefined {
  // Whatever went wrong, a secret of the config (a URL's query or password, a header) is never printed.
  if (inspect(error, { depth: 10 }).includes(FUZZ_SECRET)) return `a secret printed: ${inspect(error)}`
  const one = (e: unknown): string | undefined => {
    if (e instanceof ConfigError) return e.path ? undefined : `a ConfigError without a path: ${e.message}`
    if (e instanceof ServerStartError)
      return e.server === undefined ? 'a ServerStartError without a server' : undefined
    return `not a ConfigError or ServerStartError: ${e instanceof Error ? `${e.name}: ${e.message}` : inspect(e)}`
  }
  if (error instanceof AggregateError) {
    if (error.errors.length < 2) return `an AggregateError of ${error.errors.length} errors`
    return error.errors.map(one).find((problem) => problem !== undefined)
  }
  return one(error)
}

function outcomeOf(error: unknown): Outcome {
  return error instanceof AggregateError
    ? 'AggregateError'
    : (error as Error).name === 'ConfigError'
      ? 'ConfigError'
      : 'ServerStartError'
}

/** Runs one case; a contract violation as a sentence, or its outcome. */
async function runCase(config: unknown): Promise<{ problem?: string; outcome?: Outcome }> {
  const starting = HostManager.start(config as never)
  if (!(await settlesWithin(starting, CASE_BOUND_MS))) {
    return { problem: `HostManager.start did not settle within ${CASE_BOUND_MS} ms` }
  }
  try {
    const host = await starting
    if (!(await settlesWithin(host.shutdown(), CASE_BOUND_MS))) {
      return { problem: `shutdown did not finish within ${CASE_BOUND_MS} ms` }
    }
    return { outcome: 'resolved' }
  } catch (error) {
    const problem = contractProblem(error)
    return problem ? { problem } : { outcome: outcomeOf(error) }
  }
}

/**
 * Processes under this one that were not there before. Checked at once: start and shutdown settle
 * only when everything they spawned is gone. Any found are killed (bounded), so the next case starts clean.
 */
async function leftBehind(baseline: ReadonlySet<number>): Promise<ProcessInfo[]> {
  // The reaper this process started on its first spawn is the harness's own, for the whole file.
  const fresh = () => descendantsOf(process.pid).filter((p) => !baseline.has(p.pid) && p.pid !== reaperPid())
  const left = fresh()
  for (const p of left) {
    try {
      process.kill(p.pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
  if (left.length > 0 && !(await pollUntil(() => fresh().length === 0, 2000))) {
    throw new Error(
      `processes survived SIGKILL for 2 s: ${fresh()
        .map((p) => p.pid)
        .join(', ')}`,
    )
  }
  return left
}

test(`HostManager.start keeps its error contract for ${ONLY === undefined ? CASES : 1} random configs (seed ${SEED})`, {
  timeout: 60_000 + CASES * 200,
}, async () => {
  const baseline = new Set(descendantsOf(process.pid).map((p) => p.pid))
  const counts: Record<Outcome, number> = {
    resolved: 0,
    ConfigError: 0,
    ServerStartError: 0,
    AggregateError: 0,
  }
  const violations: string[] = []
  const indices = ONLY === undefined ? [...Array(CASES).keys()] : [ONLY]
  for (const i of indices) {
    const config = randomConfig(new Random(caseSeed(SEED, i)), paths)
    // Described before it runs: getters are shown, not called.
    const shown = inspect(config, { depth: 4, maxStringLength: 40, maxArrayLength: 5 }).replace(
      /\s*\n\s*/g,
      ' ',
    )
    const { problem, outcome } = await runCase(config)
    if (outcome) counts[outcome]++
    const left = await leftBehind(baseline)
    const leak =
      left.length > 0
        ? `left running: ${left.map((p) => `${p.pid} ${p.command.slice(0, 80)}`).join(', ')}`
        : undefined
    for (const found of [problem, leak]) {
      if (found)
        violations.push(`case ${i} (FUZZ_SEED=${SEED} FUZZ_CASE=${i}): ${found}\n    config: ${shown}`)
    }
    if (violations.length >= MAX_REPORTED) break
  }
  expect(violations, `seed ${SEED}: ${violations.join('\n')}`).toEqual([])
  if (indices.length >= 200) {
    // The generator reaches every outcome, or the fuzzing proves less than it claims.
    for (const [outcome, count] of Object.entries(counts)) {
      expect(count, `seed ${SEED}: no case ended ${outcome} (${inspect(counts)})`).toBeGreaterThan(0)
    }
  }
})
