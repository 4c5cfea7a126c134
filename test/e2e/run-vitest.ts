// Runs a real nested Vitest (CLI, child process, own process group) on an e2e fixture project and
// returns per-test outcomes, as written by ./report-reporter.ts.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { groupMembers, listProcesses, type ProcessInfo } from '../../src/launchers/processes/process-table.js'
import { pollUntil } from '../../src/launchers/util/wait.js'
import { MARKER_VAR } from './fixtures/e2e-env.js'
import type { Report, ReportedError, ReportedTest } from './report-reporter.js'

const here = path.dirname(fileURLToPath(import.meta.url))
export const repoRoot = path.resolve(here, '../..')
export const fixturesDir = path.join(here, 'fixtures')
const sharedConfig = path.join(fixturesDir, 'vitest.config.ts')
export const reporter = path.join(here, 'report-reporter.ts')
export const vitestCli = path.join(
  path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
)

/** One marker per outer run: every server a nested run starts carries `${MARKER_VAR}=${runMarker}-<n>-<project>`. */
export const runMarker = `e2e-${process.pid}-${Date.now().toString(36)}`
let runCount = 0

export type TestState = 'passed' | 'failed' | 'skipped'

export interface TestOutcome {
  name: string
  fullName: string
  file: string
  state: TestState
  errors: ReportedError[]
  meta: Record<string, unknown>
  artifacts: ReportedTest['artifacts']
  annotations: ReportedTest['annotations']
}

export interface VitestRun {
  project: string
  exitCode: number | null
  signal: NodeJS.Signals | null
  durationMs: number
  /** Every test of the run, in collection order. */
  tests: TestOutcome[]
  /** Errors outside any test: unhandled rejections/exceptions of the run. */
  unhandledErrors: ReportedError[]
  /** Errors of a whole test file (collection failure, a file-scoped fixture throwing, ...). */
  moduleErrors: Array<ReportedError & { file: string }>
  /** The marker value the project's servers carried (see fixtures/e2e-env.ts). */
  marker: string
  /** Processes still in the nested Vitest's process group after it exited (its workers, ...). */
  leftoverRunnerProcesses: ProcessInfo[]
  /** Files the project wrote to its E2E_OUT_DIR, by name. */
  outFiles: Record<string, string>
  stdout: string
  stderr: string
  /** The outcome of the test named `name` (its full name, or its own name if unique); throws if absent. */
  test(name: string): TestOutcome
}

/** How long the run's process group may take to empty after the main process exited. */
const GROUP_DRAIN_MS = 2000

export interface RunOptions {
  /** Default 60 s; the whole nested process group is SIGKILLed when it expires. */
  timeoutMs?: number
  env?: Record<string, string>
  /** Kills the nested run (its whole process group) when aborted, e.g. the outer test's signal. */
  signal?: AbortSignal
  /** Run the project twice in one watch-mode Vitest (./watch-twice.mjs); the outcomes are the second run's. */
  twice?: boolean
  /** More arguments for `vitest run` (`--shard`, `--merge-reports`, ...); not with `twice`. */
  args?: string[]
}

export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    // The outer run's worker variables would make the nested Vitest think it is a worker.
    if (!key.startsWith('VITEST') && key !== 'TEST') env[key] = value
  }
  return { ...env, NO_COLOR: '1', ...extra }
}

export function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n')
}

/**
 * Runs `node vitest.mjs run` on `test/e2e/fixtures/<project>` with the shared nested config and
 * the e2e reporter. Resolves with the outcomes; rejects if it does not finish within the timeout
 * or writes no report.
 */
export async function runVitest(project: string, options: RunOptions = {}): Promise<VitestRun> {
  const timeoutMs = options.timeoutMs ?? 60_000
  const root = path.join(fixturesDir, project)
  if (!existsSync(root)) throw new Error(`no e2e fixture project ${root}`)
  const config = existsSync(path.join(root, 'vitest.config.ts'))
    ? path.join(root, 'vitest.config.ts')
    : sharedConfig
  const work = mkdtempSync(path.join(tmpdir(), `vitest-mcp-host-e2e-${project}-`))
  const reportFile = path.join(work, 'report.json')
  const outDir = path.join(work, 'out')
  const marker = `${runMarker}-${++runCount}-${project}`
  const started = performance.now()
  try {
    mkdirSync(outDir)
    const args = options.twice
      ? [path.join(here, 'watch-twice.mjs'), root, config, reporter]
      : [
          vitestCli,
          'run',
          '--config',
          config,
          '--root',
          root,
          '--reporter',
          reporter,
          ...(options.args ?? []),
        ]
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: childEnv({ E2E_REPORT: reportFile, E2E_OUT_DIR: outDir, [MARKER_VAR]: marker, ...options.env }),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: on timeout one signal reaches the nested Vitest and its workers.
      detached: process.platform !== 'win32',
      shell: false,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text))
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
    const killGroup = () => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL')
        else child.kill('SIGKILL')
      } catch {
        // Already gone.
      }
    }
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve, reject) => {
        const fail = (why: string) => {
          killGroup()
          // The servers it started lead their own process groups: stop those of this run too.
          for (const p of markedProcesses(marker)) killQuietly(p.pid)
          reject(
            new Error(
              `nested vitest on e2e project "${project}" ${why}; its process group was killed.\n` +
                `stdout:\n${tail(stdout)}\nstderr:\n${tail(stderr)}`,
            ),
          )
        }
        const timer = setTimeout(() => fail(`did not finish within ${timeoutMs} ms`), timeoutMs)
        const onAbort = () => fail('was aborted (the outer test ended)')
        options.signal?.addEventListener('abort', onAbort, { once: true })
        const done = () => {
          clearTimeout(timer)
          options.signal?.removeEventListener('abort', onAbort)
        }
        child.once('error', (error) => {
          done()
          reject(error)
        })
        child.once('close', (code, signal) => {
          done()
          resolve({ code, signal })
        })
      },
    )
    // Vitest 5's watchdog process (in the run's group) exits when its IPC channel to the main
    // process disconnects, a moment after the main process exited: what is still there after a
    // bounded wait is left behind.
    const pid = child.pid
    const group = () => (pid !== undefined && process.platform !== 'win32' ? groupMembers(pid) : [])
    await pollUntil(() => group().length === 0, GROUP_DRAIN_MS)
    const leftoverRunnerProcesses = group()
    if (!existsSync(reportFile)) {
      throw new Error(
        `nested vitest on e2e project "${project}" wrote no report (exit ${exit.code ?? exit.signal}).\n` +
          `stdout:\n${tail(stdout)}\nstderr:\n${tail(stderr)}`,
      )
    }
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report
    const outFiles: Record<string, string> = {}
    for (const name of readdirSync(outDir)) outFiles[name] = readFileSync(path.join(outDir, name), 'utf8')
    const tests = report.tests.map(outcome)
    return {
      project,
      exitCode: exit.code,
      signal: exit.signal,
      durationMs: performance.now() - started,
      tests,
      unhandledErrors: report.unhandledErrors,
      moduleErrors: report.moduleErrors,
      marker,
      leftoverRunnerProcesses,
      outFiles,
      stdout,
      stderr,
      test(name: string): TestOutcome {
        const found = tests.filter((t) => t.fullName === name || t.name === name)
        if (found.length !== 1 || !found[0]) {
          throw new Error(
            `expected exactly one test named ${JSON.stringify(name)} in e2e project "${project}", ` +
              `found ${found.length}; tests: ${tests.map((t) => JSON.stringify(t.fullName)).join(', ')}` +
              (report.moduleErrors.length
                ? `\nfile errors:\n${report.moduleErrors.map((e) => e.stack ?? e.message).join('\n')}`
                : ''),
          )
        }
        return found[0]
      },
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

function outcome(test: ReportedTest): TestOutcome {
  const state: TestState = test.state === 'pending' ? 'skipped' : test.state
  return {
    name: test.name,
    fullName: test.fullName,
    file: test.file,
    state,
    errors: test.errors,
    meta: test.meta,
    artifacts: test.artifacts,
    annotations: test.annotations,
  }
}

/**
 * True if process `pid` carries `${MARKER_VAR}=<marker>` in its environment (Linux); a marker ending
 * in '*' matches every marker starting with what precedes it.
 */
export function carriesMarker(pid: number, marker: string): boolean {
  const wanted = `${MARKER_VAR}=${marker.endsWith('*') ? marker.slice(0, -1) : marker}`
  const matches = marker.endsWith('*')
    ? (entry: string) => entry.startsWith(wanted)
    : (entry: string) => entry === wanted
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').some(matches)
  } catch {
    return false // gone, or not ours to read
  }
}

/**
 * Live processes carrying the marker (see `carriesMarker`): servers an e2e project started and
 * their descendants. Without /proc, every live process whose command line names `dist/example-servers/`.
 */
export function markedProcesses(marker: string): ProcessInfo[] {
  const live = listProcesses().filter((p) => p.state !== 'Z' && p.pid !== process.pid)
  if (process.platform !== 'linux') return live.filter((p) => p.command.includes('dist/example-servers/'))
  return live.filter((p) => carriesMarker(p.pid, marker))
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

/** True while a process with this pid exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  return listProcesses().some((p) => p.pid === pid && p.state !== 'Z')
}
