// Starts a nested Vitest on an e2e project like ./run-vitest.ts does, waits until its tests say they
// are ready, snapshots the processes of the run, kills part of it and measures how long the rest
// takes to be gone.
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import {
  descendantsOf,
  groupSignalable,
  listProcesses,
  type ProcessInfo,
  processInfo,
  stillRunning,
} from '../../src/launchers/processes/process-table.js'
import { MARKER_VAR } from './fixtures/e2e-env.js'
import type { ReadyLine } from './fixtures/reaper-kill/hosts.js'
import type { Report } from './report-reporter.js'
import { childEnv, fixturesDir, markedProcesses, reporter, runMarker, tail, vitestCli } from './run-vitest.js'

export type { ReadyLine }

/** How often the process table is read where no event tells that a process is gone. */
const POLL_MS = 25
let runCount = 0

export interface KillRunOptions {
  /** Added to the nested run's environment (E2E_POOL, E2E_PLUGIN, E2E_HANG, ...). */
  env?: Record<string, string>
  /** Ready lines (<E2E_OUT_DIR>/ready) to wait for before `start` resolves. */
  readyLines: number
  /** Bound on the wait for them; default 30 s. */
  readyTimeoutMs?: number
  /** Kills the run when aborted (the outer test ended). */
  signal?: AbortSignal
}

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  /** performance.now() when it exited. */
  at: number
}

export interface Gone {
  /** ms from `since` until none of them was alive; undefined if some still were at the bound. */
  ms: number | undefined
  /** Those still alive at the bound. */
  survivors: ProcessInfo[]
}

/** `processes` without repeats (by pid and start time), the first of each kept. */
function unique(processes: readonly ProcessInfo[]): ProcessInfo[] {
  const seen = new Set<string>()
  return processes.filter((p) => {
    const key = `${p.pid}@${p.startTime}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** One line per process, for failure messages. */
export function describeProcesses(processes: readonly ProcessInfo[]): string {
  return processes
    .map((p) => `  pid ${p.pid} (ppid ${p.ppid}, pgid ${p.pgid}, ${p.state}): ${p.command}`)
    .join('\n')
}

/** A nested Vitest run held by its tests (E2E_HANG), for killing. */
export class KillRun {
  readonly marker: string
  readonly outDir: string
  readonly child: ChildProcess
  readonly pid: number
  /** Resolves when the nested Vitest process exits. */
  readonly exited: Promise<Exit>
  /** Resolves when its stdout and stderr are closed too (every holder of the pipes is gone). */
  readonly closed: Promise<void>
  stdout = ''
  stderr = ''
  ready: ReadyLine[] = []
  readonly #work: string
  readonly #reportFile: string
  /** Every process any snapshot saw: what cleanup kills if still running. */
  readonly #seen: ProcessInfo[] = []
  #exit: Exit | undefined

  private constructor(
    readonly project: string,
    env: Record<string, string>,
  ) {
    const root = path.join(fixturesDir, project)
    if (!existsSync(root)) throw new Error(`no e2e fixture project ${root}`)
    this.#work = mkdtempSync(path.join(tmpdir(), `vitest-mcp-host-e2e-${project}-`))
    this.#reportFile = path.join(this.#work, 'report.json')
    this.outDir = path.join(this.#work, 'out')
    mkdirSync(this.outDir)
    this.marker = `${runMarker}-kill-${++runCount}-${project}`
    this.child = spawn(
      process.execPath,
      [
        vitestCli,
        'run',
        '--config',
        path.join(root, 'vitest.config.ts'),
        '--root',
        root,
        '--reporter',
        reporter,
      ],
      {
        cwd: root,
        env: childEnv({
          E2E_REPORT: this.#reportFile,
          E2E_OUT_DIR: this.outDir,
          [MARKER_VAR]: this.marker,
          ...env,
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, as in run-vitest.ts: a signal to the group reaches it and its workers.
        detached: true,
      },
    )
    if (this.child.pid === undefined)
      throw new Error(`nested vitest on e2e project "${project}" did not start`)
    this.pid = this.child.pid
    this.child.stdout?.setEncoding('utf8').on('data', (text: string) => (this.stdout += text))
    this.child.stderr?.setEncoding('utf8').on('data', (text: string) => (this.stderr += text))
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.#exit = { code, signal, at: performance.now() }
        resolve(this.#exit)
      }),
    )
    this.closed = new Promise((resolve) => this.child.once('close', () => resolve()))
  }

  /** Starts `project` and waits for `readyLines` ready lines; kills the run and rejects if they do not come. */
  static async start(project: string, options: KillRunOptions): Promise<KillRun> {
    const run = new KillRun(project, options.env ?? {})
    try {
      await run.#waitReady(options.readyLines, options.readyTimeoutMs ?? 30_000, options.signal)
    } catch (error) {
      await run.cleanup()
      throw error
    }
    options.signal?.addEventListener('abort', () => void run.cleanup(), { once: true })
    return run
  }

  async #waitReady(count: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const file = path.join(this.outDir, 'ready')
    const read = () => {
      if (!existsSync(file)) return false
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean)
      // A line being appended may be cut: parse complete ones only.
      const complete = lines.flatMap((line) => {
        try {
          return [JSON.parse(line) as ReadyLine]
        } catch {
          return []
        }
      })
      this.ready = complete
      return complete.length >= count
    }
    const watcher = watch(this.outDir)
    try {
      await new Promise<void>((resolve, reject) => {
        const fail = (why: string) =>
          reject(
            new Error(
              `nested vitest on e2e project "${this.project}" ${why} (${this.ready.length} of ${count} ready lines).\n${this.output()}`,
            ),
          )
        const timer = setTimeout(() => fail(`was not ready within ${timeoutMs} ms`), timeoutMs)
        const settle = (done: () => void) => {
          clearTimeout(timer)
          done()
        }
        watcher.on('change', () => read() && settle(resolve))
        watcher.on('error', (error) => settle(() => reject(error)))
        void this.exited.then((exit) =>
          settle(() => fail(`exited (${exit.code ?? exit.signal}) before its tests were ready`)),
        )
        signal?.addEventListener('abort', () => settle(() => fail('was aborted')), { once: true })
        if (read()) settle(resolve)
      })
    } finally {
      watcher.close()
    }
  }

  /** The tails of its stdout and stderr, for failure messages. */
  output(lines = 40): string {
    return `stdout:\n${tail(this.stdout, lines)}\nstderr:\n${tail(this.stderr, lines)}`
  }

  /**
   * The processes of this run now: the nested Vitest, its whole descendant tree (workers, servers,
   * grandchildren, anything else they started) and every process carrying the run's marker.
   */
  snapshot(): ProcessInfo[] {
    const table = listProcesses()
    const main = table.find((p) => p.pid === this.pid && p.state !== 'Z')
    const found = unique([
      ...(main ? [main] : []),
      ...descendantsOf(this.pid, table),
      ...markedProcesses(this.marker),
    ])
    this.#seen.push(...found)
    return found
  }

  /** `pid` and its descendants now. */
  treeOf(pid: number): ProcessInfo[] {
    const table = listProcesses()
    const root = table.find((p) => p.pid === pid && p.state !== 'Z')
    if (!root) throw new Error(`pid ${pid} is not running`)
    const found = [root, ...descendantsOf(pid, table)]
    this.#seen.push(...found)
    return found
  }

  /** Sends `signal`; returns performance.now() just after. */
  kill(target: 'main' | 'group' | number, signal: NodeJS.Signals): number {
    const pid = target === 'main' ? this.pid : target === 'group' ? -this.pid : target
    process.kill(pid, signal)
    return performance.now()
  }

  /** Lets tests held by E2E_HANG=release finish. */
  release(): void {
    writeFileSync(path.join(this.outDir, 'release'), '')
  }

  /** Those of `processes` still running (same pid and start time, not a zombie), and, with `marked`, the marker's carriers. */
  alive(processes: readonly ProcessInfo[], options: { marked?: boolean } = {}): ProcessInfo[] {
    const running = processes.filter(stillRunning).map((p) => processInfo(p.pid) ?? p)
    return unique(options.marked ? [...running, ...markedProcesses(this.marker)] : running)
  }

  /**
   * Waits until none of `processes` (and, with `marked`, no carrier of the run's marker) is alive,
   * for at most `boundMs` after `since`. No event tells when an unrelated process is gone: it reads
   * the process table every few ms.
   */
  async gone(
    processes: readonly ProcessInfo[],
    since: number,
    options: { boundMs?: number; marked?: boolean } = {},
  ): Promise<Gone> {
    const bound = options.boundMs ?? 3_000
    for (;;) {
      const survivors = this.alive(processes, options)
      const now = performance.now()
      if (survivors.length === 0) return { ms: now - since, survivors }
      if (now - since >= bound) return { ms: undefined, survivors }
      await delay(Math.min(POLL_MS, bound - (now - since)))
    }
  }

  /** Its exit, or undefined if it has not exited within `boundMs`. */
  async exitWithin(boundMs: number): Promise<Exit | undefined> {
    if (this.#exit) return this.#exit
    const timer = delay(boundMs, undefined, { ref: false })
    return Promise.race([this.exited, timer])
  }

  /** Waits (at most `boundMs`) until its stdout and stderr are closed: all it printed has arrived. */
  async closedWithin(boundMs: number): Promise<void> {
    await Promise.race([this.closed, delay(boundMs, undefined, { ref: false })])
  }

  /** The reporter's outcomes; only once it has exited. */
  report(): Report | undefined {
    return existsSync(this.#reportFile)
      ? (JSON.parse(readFileSync(this.#reportFile, 'utf8')) as Report)
      : undefined
  }

  /** The plugin reporter's end-of-run section, from its heading to the end of stdout. */
  section(): string {
    const start = this.stdout.indexOf(' vitest-mcp-host ')
    return start === -1 ? '' : this.stdout.slice(start)
  }

  /**
   * SIGKILLs whatever of the run is still running: its process group, every process a snapshot saw
   * (and their descendants), every carrier of its marker; until none is left (bounded).
   */
  async cleanup(): Promise<ProcessInfo[]> {
    const killed: ProcessInfo[] = []
    for (let round = 0; round < 40; round++) {
      const table = listProcesses()
      const seen = this.#seen.filter(stillRunning)
      const left = unique([
        ...seen,
        ...seen.flatMap((p) => descendantsOf(p.pid, table)),
        ...(this.#exit ? [] : descendantsOf(this.pid, table)),
        ...markedProcesses(this.marker),
      ]).filter((p) => p.pid !== process.pid && p.pid > 1)
      const group = this.#exit === undefined || groupSignalable(this.pid)
      if (left.length === 0 && !group) break
      if (group) {
        try {
          process.kill(-this.pid, 'SIGKILL')
        } catch {
          // Already gone.
        }
      }
      for (const p of left) {
        try {
          process.kill(p.pid, 'SIGKILL')
          killed.push(p)
        } catch {
          // Already gone.
        }
      }
      await delay(POLL_MS)
    }
    await this.exitWithin(2_000)
    rmSync(this.#work, { recursive: true, force: true })
    return unique(killed)
  }
}
