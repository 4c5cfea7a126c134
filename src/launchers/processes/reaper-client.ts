// A Vitest process's side of its reaper: started lazily on the first process it is told to watch,
// told of each by one write on a pipe (no round trip on the spawn path), never waited for.
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Socket } from 'node:net'
import { dirname, join } from 'node:path'
// From the modules, not the globals: a test's fake timers must not stop the reaper's own timers.
import { performance } from 'node:perf_hooks'
import type { Writable } from 'node:stream'
import { setTimeout } from 'node:timers'
import { threadId } from 'node:worker_threads'
import { runUnattributed } from '../../scope/index.js'
import { processInfo } from './process-table.js'
import {
  type HoldMessage,
  REAPER_CLIENT_VARIABLE,
  type ReaperMessage,
  type Watched,
} from './reaper-protocol.js'
import { startTimeOf } from './recent-processes.js'

interface ReaperState {
  child: ChildProcess | undefined
  /** What is watched now: sent again to a new reaper if the first one died. */
  readonly live: Map<number, Watched>
  /** Watched servers' stdin sockets, by watch id: handed again to a new reaper if the first one died. */
  holds: Map<number, Socket>
  nextId: number
  reportDir: string | undefined
  /** The goodbye was said: said again to a reaper started after it. */
  goodbye: boolean
  exitHooked: boolean
  /** Reapers that died without being asked to; past a few, it is not started again. */
  crashes: number
  /** Why it could not start, once: the harness runs on without it. */
  failure: string | undefined
}

/**
 * One reaper per process (per worker thread), however many copies of this module are loaded, and
 * in whichever VM context (Vitest's vm pools give each test file its own globals, not its own
 * `process`): so the state is kept on `process`.
 */
const STATE = Symbol.for('vitest-mcp-host:reaper@1')
const state: ReaperState = ((process as unknown as Record<symbol, ReaperState | undefined>)[STATE] ??= {
  child: undefined,
  live: new Map(),
  holds: new Map(),
  nextId: 0,
  reportDir: undefined,
  goodbye: false,
  exitHooked: false,
  crashes: 0,
  failure: undefined,
})
// A state made by an older copy of this module (one process, two builds) has no holds yet.
state.holds ??= new Map()

/** A reaper that crashed this often will not do better the next time. */
const MAX_CRASHES = 3

/**
 * How a reaper killed from outside dies: no crash of its own, so it is replaced however often it
 * happens (each time told everything still live), or a kill would leave this process unguarded.
 */
const KILLED = new Set<NodeJS.Signals>(['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'])

/**
 * A test's own child is most often done in milliseconds (git, true, a compiler): no reaper is started
 * for one until it has been watched this long. A server starts it at once.
 */
const CHILD_START_DELAY_MS = 100

/** How long a normal exit waits for its reaper to be gone: it exits on the goodbye, in about a millisecond. */
const GOODBYE_WAIT_MS = 200

/**
 * The built reaper script, found through the package's own name: each entry point is bundled on
 * its own (one file at its own depth), and sources run from this repository use its build too.
 */
function reaperScript(): string {
  const manifest = createRequire(import.meta.url).resolve('vitest-mcp-host/package.json')
  return join(dirname(manifest), 'dist', 'src', 'launchers', 'reaper.js')
}

function send(message: ReaperMessage): void {
  // A write to a pipe with room is done at once, before a SIGKILL could lose it.
  state.child?.stdin?.write(`${JSON.stringify(message)}\n`)
}

/**
 * Hands the reaper a copy of a server's stdin socket (SCM_RIGHTS on the IPC channel: once sent, it
 * is the reaper's even if this process dies before the reaper has read it). Kept open here too.
 */
/**
 * Tells the reaper of watch `id`. A test's child comes without its start time (the spawn hook reads
 * nothing, as most children are done before any reaper is told of them): read here on Linux, one
 * small file, as the reaper would read it off Linux.
 */
function tell(id: number, watched: Watched): void {
  let told = watched
  if (told.startTime === undefined && process.platform === 'linux') {
    told = { ...told, startTime: startTimeOf(told.pid) }
    state.live.set(id, told)
  }
  send({ op: 'watch', id, watched: told })
}

function hold(id: number, socket: Socket): void {
  const child = state.child
  if (!child?.connected || socket.destroyed) return
  const message: HoldMessage = { op: 'hold', id }
  try {
    // Failures (the reaper just died) come to the callback: the next reaper is handed it again.
    child.send(message, socket, { keepOpen: true }, () => {})
  } catch {
    // A socket Node cannot send (not a pipe or socket): the server is watched all the same.
  }
}

function start(): ChildProcess | undefined {
  if (state.failure !== undefined) return undefined
  const script = reaperScript()
  // Not built (sources run without `npm run build`), or not a plain file (Yarn PnP's zip).
  if (!existsSync(script)) return noteFailure(new Error(`${script} does not exist`))
  let child: ChildProcess
  try {
    // Outside any test: the plugin's process check must not take it for something the test started.
    child = runUnattributed(() =>
      spawn(process.execPath, [script], {
        // Its own session: Ctrl-C to the runner's process group does not reach it.
        detached: true,
        // The IPC channel carries servers' stdin sockets (hold()); messages go on stdin.
        stdio: ['pipe', 'ignore', 'ignore', 'ipc'],
        // Nothing of ours (no NODE_OPTIONS, no CA bundle to load): it starts in ~30 ms.
        env: { [REAPER_CLIENT_VARIABLE]: `${process.pid}:${threadId}` },
        windowsHide: true,
      }),
    )
  } catch (error) {
    return noteFailure(error)
  }
  child.once('error', (error) => {
    if (state.child === child) state.child = undefined
    noteFailure(error)
  })
  child.once('exit', (code, signal) => {
    if (state.child !== child) return
    state.child = undefined
    if (state.goodbye) return
    // Killed from outside, or crashed: another, told everything still live, unless it keeps crashing.
    if (!(signal && KILLED.has(signal)) && ++state.crashes >= MAX_CRASHES) {
      noteFailure(new Error(`it exited ${signal ?? `with code ${code}`} ${state.crashes} times`))
    } else if (state.live.size > 0) start()
  })
  // EPIPE once it is gone; the exit above is what counts.
  child.stdin?.on('error', () => {})
  // It must never keep this process (or worker) alive.
  child.unref()
  ;(child.stdin as { unref?: () => void } | null)?.unref?.()
  child.channel?.unref()
  state.child = child
  if (state.reportDir !== undefined) send({ op: 'report', dir: state.reportDir })
  for (const [id, watched] of state.live) tell(id, watched)
  for (const [id, socket] of state.holds) hold(id, socket)
  if (state.goodbye) send({ op: 'bye' })
  if (!state.exitHooked) {
    state.exitHooked = true
    process.once('exit', sayGoodbye)
  }
  return child
}

function noteFailure(error: unknown): undefined {
  state.failure = error instanceof Error ? error.message : String(error)
  process.emitWarning(
    `vitest-mcp-host could not start its reaper (${state.failure}): processes of this run are stopped ` +
      'as usual, but not if the runner is killed.',
  )
  return undefined
}

/**
 * A normal exit: the reaper exits on the goodbye when nothing is watched, and this waits (bounded)
 * until it has, so no reaper outlives a run that ended well. Synchronous: this is an 'exit' handler.
 */
function sayGoodbye(): void {
  const child = state.child
  if (!child?.pid) return
  endingNormally()
  if (state.live.size > 0) return
  const until = performance.now() + GOODBYE_WAIT_MS
  const pause = new Int32Array(new SharedArrayBuffer(4))
  while (performance.now() < until) {
    const info = processInfo(child.pid)
    if (!info || info.state === 'Z') return
    Atomics.wait(pause, 0, 0, 1)
  }
}

/**
 * Has the reaper kill `watched` (and what it leaves) if this process ends before `release` is
 * called. Starts the reaper on first use: at once for a server; for a test's child only if it still
 * runs (`running`) after `CHILD_START_DELAY_MS`. A server's `stdin` is handed to the reaper to keep
 * open (HoldMessage): if this process dies, the server waits for the reaper instead of exiting on
 * its own and taking its children's parent links with it (a child that left its session and
 * cleared its environment is found by nothing else). No-op on Windows (not covered).
 */
export function watchProcess(
  watched: Watched,
  running: () => boolean = () => true,
  stdin?: Writable,
): () => void {
  if (process.platform === 'win32') return () => {}
  const id = ++state.nextId
  state.live.set(id, watched)
  // A pipe or socket: Node's stdio pipes are sockets (a socketpair on POSIX).
  const socket = stdin instanceof Socket ? stdin : undefined
  if (socket) state.holds.set(id, socket)
  if (state.child) {
    tell(id, watched)
    if (socket) hold(id, socket)
  } else if (watched.kind === 'server') start()
  else {
    // Started then, and told everything live; unref'd: the timer holds nothing open.
    setTimeout(() => {
      if (state.live.has(id) && !state.child && running()) start()
    }, CHILD_START_DELAY_MS).unref()
  }
  return () => {
    state.holds.delete(id)
    if (state.live.delete(id)) send({ op: 'release', id })
  }
}

/** This process (worker) is being stopped normally: what its reaper still has to kill was left behind, not cut off by a crash. */
export function endingNormally(): void {
  state.goodbye = true
  send({ op: 'bye' })
}

/** Where the reaper reports what it had to kill: the plugin's report directory. */
export function reportReapingTo(dir: string): void {
  state.reportDir = dir
  send({ op: 'report', dir })
}

/** The reaper's pid, if one runs for this process (for tests). */
export function reaperPid(): number | undefined {
  return state.child?.pid
}
