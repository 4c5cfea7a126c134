// Runs a real nested Vitest (CLI, child process, own process group) on an e2e fixture project and
// returns per-test outcomes, as written by ./report-reporter.ts.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { listProcesses, type ProcessInfo } from '../../src/launchers/process-table.js'
import { MARKER_VAR } from './fixtures/e2e-env.js'
import type { Report, ReportedError, ReportedTest } from './report-reporter.js'

const here = path.dirname(fileURLToPath(import.meta.url))
export const repoRoot = path.resolve(here, '../..')
export const fixturesDir = path.join(here, 'fixtures')
const sharedConfig = path.join(fixturesDir, 'vitest.config.ts')
const reporter = path.join(here, 'report-reporter.ts')
const vitestCli = path.join(
  path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
)

/** One marker per outer run: every server a nested run starts carries `${MARKER_VAR}=${runMarker}-<project>`. */
export const runMarker = `e2e-${process.pid}-${Date.now().toString(36)}`

export type TestState = 'passed' | 'failed' | 'skipped'

export interface TestOutcome {
  name: string
  fullName: string
  file: string
  state: TestState
  errors: ReportedError[]
  meta: Record<string, unknown>
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
  moduleErrors: ReportedError[]
  /** The marker value the project's servers carried (see fixtures/e2e-env.ts). */
  marker: string
  /** Files the project wrote to its E2E_OUT_DIR, by name. */
  outFiles: Record<string, string>
  stdout: string
  stderr: string
  /** The outcome of the test named `name` (its full name, or its own name if unique); throws if absent. */
  test(name: string): TestOutcome
}

export interface RunOptions {
  /** Default 60 s; the whole nested process group is SIGKILLed when it expires. */
  timeoutMs?: number
  env?: Record<string, string>
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    // The outer run's worker variables would make the nested Vitest think it is a worker.
    if (!key.startsWith('VITEST') && key !== 'TEST') env[key] = value
  }
  return { ...env, NO_COLOR: '1', ...extra }
}

function tail(text: string, lines = 30): string {
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
  const marker = `${runMarker}-${project}`
  const started = performance.now()
  try {
    mkdirSync(outDir)
    const args = [vitestCli, 'run', '--config', config, '--root', root, '--reporter', reporter]
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
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve, reject) => {
        const timer = setTimeout(() => {
          try {
            if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
          } catch {
            child.kill('SIGKILL')
          }
          reject(
            new Error(
              `nested vitest on e2e project "${project}" did not finish within ${timeoutMs} ms; killed.\n` +
                `stdout:\n${tail(stdout)}\nstderr:\n${tail(stderr)}`,
            ),
          )
        }, timeoutMs)
        child.once('error', (error) => {
          clearTimeout(timer)
          reject(error)
        })
        child.once('close', (code, signal) => {
          clearTimeout(timer)
          resolve({ code, signal })
        })
      },
    )
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
  }
}

/** The environment of a live process, or undefined if it is gone or unreadable (Linux only). */
function environOf(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')
  } catch {
    return undefined
  }
}

/**
 * Live processes carrying `${MARKER_VAR}=<marker>` (or, with a prefix ending in '*', any marker
 * starting with it): servers an e2e project started and their descendants. On systems without
 * /proc/<pid>/environ, every live process whose command line names `dist/example-servers/`.
 */
export function markedProcesses(marker: string): ProcessInfo[] {
  const live = listProcesses().filter((p) => p.state !== 'Z' && p.pid !== process.pid)
  if (process.platform !== 'linux') return live.filter((p) => p.command.includes('dist/example-servers/'))
  const prefix = marker.endsWith('*') ? `${MARKER_VAR}=${marker.slice(0, -1)}` : undefined
  const exact = `${MARKER_VAR}=${marker}`
  return live.filter((p) =>
    environOf(p.pid)?.some((entry) => (prefix ? entry.startsWith(prefix) : entry === exact)),
  )
}

/** True while a process with this pid exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  return listProcesses().some((p) => p.pid === pid && p.state !== 'Z')
}
