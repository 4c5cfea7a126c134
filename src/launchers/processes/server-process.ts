// A server's OS process: spawned by us in its own process group, with its exit and stderr recorded.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio'
import { ServerStartError } from '../errors.js'
import { TailBuffer } from '../output/tail-buffer.js'
import type { ProcessSpec, ShutdownOptions } from '../server-config.js'
import { Timeline } from '../timeline.js'
import { newServerToken, SERVER_TOKEN_VARIABLE } from './escapees.js'
import { displayCommand, processInfo } from './process-table.js'
import { watchProcess } from './reaper-client.js'
import { type ExitInfo, ownProcessGroup, type SpawnedProcess } from './spawned-process.js'
import { type StopBy, type StopReport, stopProcessGroup } from './terminate.js'

export function commandLine(spec: ProcessSpec): string {
  const quote = (part: string) => (/^[\w@%+=:,./-]+$/.test(part) ? part : JSON.stringify(part))
  return [spec.command, ...(spec.args ?? [])].map(quote).join(' ')
}

/** What a spawn made, for the constructor: the server's name, its command line, the child, its timeline and token. */
interface SpawnedParts {
  readonly name: string
  readonly command: string
  readonly child: ChildProcessWithoutNullStreams
  readonly timeline: Timeline
  readonly token: string
}

/**
 * One spawned server process. Its stderr is always drained into a bounded tail (an unread
 * pipe can block the child), its exit code and signal are kept, and `stop()` is the one
 * termination path: stdin close, then SIGTERM, then SIGKILL to the whole group.
 */
export class ServerProcess implements SpawnedProcess {
  /** Spawns `spec`, resolving once the OS has started it; a spawn failure is a `ServerStartError`. */
  static async spawn(name: string, spec: ProcessSpec, timeline = new Timeline()): Promise<ServerProcess> {
    const command = commandLine(spec)
    // A 200 kB argument (E2BIG) must not make a 200 kB message.
    const fail = (cause: unknown) =>
      new ServerStartError({
        server: name,
        reason: 'spawn',
        command: displayCommand(command),
        stderrTail: '',
        cause,
      })
    if (spec.cwd !== undefined && !existsSync(spec.cwd)) {
      throw fail(new Error(`cwd "${spec.cwd}" does not exist`))
    }
    const token = newServerToken()
    let child: ChildProcessWithoutNullStreams
    try {
      // Throws at once for some errno codes (ENOTDIR, E2BIG, ENAMETOOLONG), emits 'error' for others.
      child = spawn(spec.command, spec.args ?? [], {
        cwd: spec.cwd,
        // The token last: the server's descendants are found by it, whatever the config's env says.
        env: { ...getDefaultEnvironment(), ...spec.env, [SERVER_TOKEN_VARIABLE]: token },
        stdio: 'pipe',
        detached: ownProcessGroup,
        windowsHide: true,
        shell: false,
      })
    } catch (error) {
      throw fail(explainSpawnError(error, spec))
    }
    timeline.record('spawn', command)
    try {
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve)
        child.once('error', reject)
      })
    } catch (error) {
      throw fail(explainSpawnError(error, spec))
    }
    return new ServerProcess({ name, command, child, timeline, token })
  }

  readonly name: string
  readonly command: string
  readonly pid: number
  readonly child: ChildProcessWithoutNullStreams
  /** The value of `SERVER_TOKEN_VARIABLE` in its environment, inherited by its descendants. */
  readonly token: string
  /** Its start time as the process table gives it (Linux), to tell its descendants by age. */
  readonly startTime: number | undefined
  readonly stderr = new TailBuffer()
  readonly timeline: Timeline
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ExitInfo>
  /** Resolves when the process has exited and all its stdio pipes closed. */
  readonly drained: Promise<void>
  /** Resolves when it is over as a server: its process exited, or it closed its stdout first. */
  readonly ended: Promise<void>
  #exit: ExitInfo | undefined
  #stdoutClosed = false
  #end: () => void = () => {}
  #stopping: Promise<StopReport> | undefined
  /** Ends the reaper's watch: called once the process and all it left are gone. */
  readonly #unwatch: () => void

  private constructor({ name, command, child, timeline, token }: SpawnedParts) {
    this.name = name
    this.command = command
    this.child = child
    this.pid = child.pid ?? -1
    this.timeline = timeline
    this.token = token
    this.startTime = processInfo(this.pid)?.startTime
    // If this Vitest process dies before stopping it, the reaper stops it and what it left.
    // Its stdin is handed to the reaper to keep open: it outlives this process until it is reaped.
    this.#unwatch = watchProcess(
      {
        kind: 'server',
        label: `server "${name}"`,
        leader: ownProcessGroup,
        pid: this.pid,
        startTime: this.startTime,
        token: { name: SERVER_TOKEN_VARIABLE, value: token },
      },
      undefined,
      child.stdin,
    )
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (text: string) => this.stderr.push(text))
    // Writes racing the child's exit fail with EPIPE; the exit itself is what we report.
    child.stdin.on('error', () => {})
    child.on('error', (error) => timeline.record('process-error', error.message))
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal }
        timeline.record('exit', signal ? `signal ${signal}` : `code ${code}`)
        resolve(this.#exit)
      })
    })
    this.drained = new Promise((resolve) => child.once('close', () => resolve()))
    this.ended = new Promise<void>((resolve) => {
      this.#end = resolve
    })
    void this.exited.then(this.#end)
  }

  /** How the OS process exited; undefined while it runs. */
  get exit(): ExitInfo | undefined {
    return this.#exit
  }

  /** How it ended as a server: its exit, marked `stdoutClosed` if its stdout closed while it ran. */
  get ending(): ExitInfo | undefined {
    if (!this.#stdoutClosed) return this.#exit
    return { code: this.#exit?.code ?? null, signal: this.#exit?.signal ?? null, stdoutClosed: true }
  }

  /** Its stdout closed while the process runs: it can answer nothing more. Resolves `ended`. */
  stdoutClosed(): void {
    if (this.#stdoutClosed || this.#exit) return
    this.#stdoutClosed = true
    this.timeline.record('stdout-closed', 'while the process still runs')
    this.#end()
  }

  get running(): boolean {
    return this.#exit === undefined
  }

  get stopping(): boolean {
    return this.#stopping !== undefined
  }

  /**
   * Stops the process and every process of its group; idempotent. Resolves when all are gone. `by`:
   * how it is asked first (`'SIGTERM'` for a server that does not read stdin).
   */
  stop(options: Required<ShutdownOptions>, by: StopBy = 'stdin'): Promise<StopReport> {
    // Still watched if even SIGKILL left something: the reaper tries again when this process ends.
    this.#stopping ??= stopProcessGroup(this, options, by).then((report) => {
      this.#unwatch()
      return report
    })
    return this.#stopping
  }
}

/** What a spawn error means for the config, in a sentence naming its errno code; the OS error is its cause. */
function explainSpawnError(error: unknown, spec: ProcessSpec): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const command = displayCommand(spec.command)
  const explanation: Record<string, string> = {
    ENOENT: `command "${command}" was not found (ENOENT)`,
    EACCES: `command "${command}" is not an executable file, or cwd cannot be entered (EACCES)`,
    ENOTDIR: isDirectoryOrUnset(spec.cwd)
      ? `a part of the path of command "${command}" is not a directory (ENOTDIR)`
      : `cwd "${spec.cwd}" is not a directory (ENOTDIR)`,
    E2BIG: 'its arguments and environment are larger than the OS allows (E2BIG); pass large data in a file',
    ENAMETOOLONG: 'its command or cwd is a longer path than the OS allows (ENAMETOOLONG)',
  }
  const known = code === undefined ? undefined : explanation[code]
  if (known) return new Error(known, { cause: error })
  const message = error instanceof Error ? error.message : String(error)
  return new Error(code && !message.includes(code) ? `${message} (${code})` : message, { cause: error })
}

function isDirectoryOrUnset(path: string | undefined): boolean {
  if (path === undefined) return true
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
