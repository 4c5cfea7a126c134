// The opt-in `trace`: async handles a test created and left alive, with their creation call sites.
import { createHook, type HookCallbacks } from 'node:async_hooks'
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'
import { inspect } from 'node:util'
import { type CallSite, captureCallSite, currentAttribution, type Leak, siteOf } from '../../scope/index.js'

/** Stops a trace and judges what its owner left behind. */
export interface HandleTrace {
  /**
   * Waits `turns` event-loop turns (default 3), then up to `graceMs` (default 50) for handles to
   * close, and returns those created while the owner was current that are still alive and keep the
   * process alive. Recording for the owner ends when `stop()` is called; calling it again returns
   * the same answer.
   */
  stop(options?: { turns?: number; graceMs?: number }): Promise<Leak[]>
}

// Deno-style: per async_hooks type, a kind and one plain sentence; per kind, one fix-it hint.
// Types not listed (TickObject, HTTPPARSER, ZLIB, a socket's connect and write requests, ...) are
// never reported: they are transient, pooled by the runtime, or part of a handle reported itself.
const SENTENCES: Readonly<Record<string, readonly [kind: string, label: string]>> = {
  Timeout: ['timer', 'a timer (setTimeout/setInterval) created during the test is still scheduled'],
  Immediate: ['immediate', 'a setImmediate callback scheduled during the test has not run'],
  TCPWRAP: ['socket', 'a TCP socket opened during the test is still open'],
  TCPSERVERWRAP: ['server', 'a TCP server started during the test is still listening'],
  PIPEWRAP: ['pipe', 'a pipe or Unix socket opened during the test is still open'],
  PIPESERVERWRAP: ['server', 'a server started during the test is still listening on a pipe'],
  PROCESSWRAP: ['process', 'a child process started during the test is still running'],
  TTYWRAP: ['tty', 'a terminal stream opened during the test is still open'],
  UDPWRAP: ['socket', 'a UDP socket opened during the test is still bound'],
  FSEVENTWRAP: ['watcher', 'a file watcher (fs.watch) started during the test is still watching'],
  STATWATCHER: ['watcher', 'a file poller (fs.watchFile) started during the test is still polling'],
  MESSAGEPORT: ['port', 'a MessagePort opened during the test is still open'],
  FSREQCALLBACK: ['file', 'a file system call (fs callback API) started during the test has not completed'],
  GETADDRINFOREQWRAP: ['dns', 'a DNS lookup started during the test has not completed'],
}
const HINTS: Readonly<Record<string, string>> = {
  timer: 'clear it with clearTimeout/clearInterval, or await it,',
  immediate: 'clear it with clearImmediate, or stop rescheduling it,',
  socket: 'destroy it (socket.destroy(), or close() for UDP)',
  server: 'close it with server.close() and await its callback',
  pipe: 'end or destroy the stream',
  process: "kill it (child.kill()) and await its 'exit' event",
  tty: 'destroy it',
  watcher: 'close it (watcher.close(), or fs.unwatchFile())',
  port: 'close it with port.close()',
  file: 'wait for its callback, or use fs/promises and await it,',
  dns: 'await it',
}
// Requests have no hasRef() to ask: they live until destroyed, if this still lists their type.
const ACTIVE_NAMES: Readonly<Record<string, string>> = {
  FSREQCALLBACK: 'FSReqCallback',
  GETADDRINFOREQWRAP: 'GetAddrInfoReqWrap',
}

// The allow-list: handles the runtime or the runner own are never reported. A handle is theirs when
// - its creation stack has no user frame (captureCallSite() skips node:internal, vitest, @vitest,
//   tinypool, vite and this library) and it was not made in a callback of one of the owner's
//   recorded resources (then that resource's call site is the handle's: `listen(0, host)` opens
//   its socket a tick later);
// - a runner frame (vitest, @vitest, tinypool, birpc, vite) made it, even on behalf of a user line
//   below it (console interception buffers output with timers);
// - it is stdin, stdout or stderr (created lazily by their getters, or open on fd 0-2).
const RUNNER_FRAME = /[\\/]node_modules[\\/](?:vitest|@vitest|tinypool|birpc|vite|vite-node)[\\/]/
const STDIO_FRAME = /\bat get(?:Stdin|Stdout|Stderr) \(node:/
// The stdio pipes of a child are part of the child: reported only if they outlive its process.
const CHILD_STDIO_FRAME = /\bat getValidStdio \(node:/

/** What a native handle or timer exposes to judge it (all optional: it differs by type). */
interface Resource {
  hasRef?(): boolean
  _destroyed?: boolean
  _idleTimeout?: number
  _repeat?: number | null
  pid?: number
  fd?: number
  getsockname?(out: Record<string, unknown>): number
  getpeername?(out: Record<string, unknown>): number
}

interface Entry {
  readonly type: string
  readonly resource: Resource
  readonly site: CallSite
}

/** Records its owner's resources until `stop()`, forgetting destroyed ones, then judges the rest. */
class Trace implements HandleTrace {
  readonly entries = new Map<number, Entry>()
  #state: 'recording' | 'judging' | 'done' = 'recording'
  #verdict: Promise<Leak[]> | undefined

  constructor(readonly owner: object) {}

  stop(options: { turns?: number; graceMs?: number } = {}): Promise<Leak[]> {
    if (recording.get(this.owner) === this) recording.delete(this.owner)
    this.#verdict ??= this.#judge(options.turns ?? 3, options.graceMs ?? 50)
    return this.#verdict
  }

  async #judge(turns: number, graceMs: number): Promise<Leak[]> {
    this.#state = 'judging'
    try {
      for (let i = 0; i < turns; i++) await nextTurn()
      const deadline = performance.now() + graceMs
      let live = this.#live()
      while (live.length > 0 && performance.now() < deadline) {
        await sleep(Math.max(1, Math.min(5, deadline - performance.now())))
        live = this.#live()
      }
      return live.map((entry) => leakOf(entry, this.#context()))
    } finally {
      this.#state = 'done'
      this.entries.clear()
      running.delete(this)
      if (running.size === 0) disableHook()
    }
  }

  #live(): Entry[] {
    const active = new Set(process.getActiveResourcesInfo())
    const live = [...this.entries.values()].filter((entry) => isAlive(entry, active))
    const children = new Set(live.filter((e) => e.type === 'PROCESSWRAP').map((e) => e.site.location))
    return live.filter((e) => !(CHILD_STDIO_FRAME.test(e.site.stack) && children.has(e.site.location)))
  }

  #context(): string {
    const label = (this.owner as { label?: unknown }).label
    return typeof label === 'string' ? label : 'the test'
  }

  [inspect.custom](): string {
    return `HandleTrace<${this.#context()} ${this.#state}, ${this.entries.size} resources>`
  }
}

function isAlive({ type, resource }: Entry, active: ReadonlySet<string>): boolean {
  // A fired or cleared timer or immediate is _destroyed (its hasRef() may still say true).
  if (!SENTENCES[type] || resource._destroyed === true) return false
  if ((type === 'PIPEWRAP' || type === 'TTYWRAP') && [0, 1, 2].includes(resource.fd ?? -1)) return false // stdio
  // Handles answer hasRef() with false once unref'd or closed: then they keep nothing alive.
  if (typeof resource.hasRef === 'function') return Boolean(resource.hasRef())
  const name = ACTIVE_NAMES[type]
  return name === undefined || active.has(name)
}

function leakOf({ type, resource, site }: Entry, context: string): Leak {
  const [kind, label] = SENTENCES[type] as readonly [string, string]
  const hint = `${HINTS[kind]} before the test ends.`
  const detail = detailOf(type, resource)
  return {
    kind,
    label,
    createdIn: siteOf(context, site),
    frame: site.frame,
    hint,
    ...(detail && { detail }),
    cleanedUp: false,
  }
}

function detailOf(type: string, resource: Resource): string | undefined {
  if (type === 'Timeout') {
    return resource._repeat
      ? `setInterval every ${resource._repeat} ms`
      : `setTimeout of ${resource._idleTimeout} ms`
  }
  if (type === 'PROCESSWRAP' && resource.pid !== undefined) return `pid ${resource.pid}`
  const out: Record<string, unknown> = {}
  if (type === 'TCPSERVERWRAP' && resource.getsockname?.(out) === 0) {
    return `listening on ${out.address}:${out.port}`
  }
  if (type === 'TCPWRAP' && resource.getpeername?.(out) === 0)
    return `connected to ${out.address}:${out.port}`
  return undefined
}

/** Per owner, its trace while recording; and every trace not yet judged, to forget destroyed resources. */
const recording = new Map<object, Trace>()
const running = new Set<Trace>()
let inHook = false

// One hook for the process, enabled only while a trace runs. Promises are the hot path and keep
// nothing alive: `trackPromises: false` keeps them out of the hook where Node supports it (24.21
// here; Node 20 ignores it and calls init for each one, which returns at once). The hook must not
// recurse: capturing a call site must not record what it creates.
const callbacks: HookCallbacks & { trackPromises?: boolean } = {
  trackPromises: false,
  init(asyncId, type, triggerAsyncId, resource: Resource) {
    if (type === 'PROMISE' || inHook) return
    const owner = currentAttribution()
    const trace = owner && recording.get(owner)
    if (!trace) return
    inHook = true
    try {
      let site = captureCallSite()
      if (site.location.startsWith('unknown location') && !RUNNER_FRAME.test(site.stack)) {
        site = trace.entries.get(triggerAsyncId)?.site ?? site
      }
      if (site.location.startsWith('unknown location') || STDIO_FRAME.test(site.stack)) return
      const frames = site.stack.split('\n')
      if (frames.slice(0, frames.indexOf(site.frame)).some((frame) => RUNNER_FRAME.test(frame))) return
      trace.entries.set(asyncId, { type, resource, site })
    } finally {
      inHook = false
    }
  },
  destroy(asyncId) {
    for (const trace of running) if (trace.entries.delete(asyncId)) return
  },
}
const hook = createHook(callbacks)

function disableHook(): void {
  hook.disable()
  // disable() leaves promises in the mode it found while other hooks stay enabled (Node 20's
  // AsyncLocalStorage keeps one for the life of a worker): they would pay for destroy tracking
  // long after the trace, 5x on `await` here. Enabling any hook recomputes the mode.
  createHook({ init() {} })
    .enable()
    .disable()
}

/**
 * Starts recording the async handles created while `owner` is the current attribution. Several
 * traces may run at once (concurrent tests); starting again for an owner whose trace is still
 * recording returns that trace.
 *
 * @example
 * const trace = startHandleTrace(attribution)
 * await runAttributed(attribution, runTest)
 * const leaks = await trace.stop() // [{ kind: 'timer', label: 'a timer (setTimeout/…', … }]
 */
export function startHandleTrace(owner: object): HandleTrace {
  const current = recording.get(owner)
  if (current) return current
  const trace = new Trace(owner)
  recording.set(owner, trace)
  running.add(trace)
  hook.enable()
  return trace
}
