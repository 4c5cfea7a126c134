// The tinypool pools worker servers run in: created lazily, once per process (per Vitest worker).
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import Tinypool from 'tinypool'
import { processWide } from '../../../scope/process-wide.js'
import { DEFAULT_WORKER_RESOURCE_LIMITS, type WorkerResourceLimits } from '../../server-config.js'

/** Idle threads are kept this long for the next server, then end (the timer never holds the process). */
const IDLE_MS = 10_000
/** Each server holds a thread for its lifetime: more concurrent servers than this wait for one. */
const MAX_THREADS = 64

// One pool per kind of thread: shared (a thread is kept between servers, a module stays loaded, so
// later servers start fast) or isolated (a thread per server, never reused: for servers whose fs
// is a volume), and per set of heap limits (a thread's limits are fixed when it starts).
const pools = processWide('worker pools@2', () => new Map<string, Tinypool>())

let entry: string | undefined

/** The file: URL of the built worker entry (plain JS, as a thread needs on Node 20). */
export function workerEntry(): string {
  if (entry !== undefined) return entry
  const manifest = createRequire(import.meta.url).resolve('vitest-mcp-host/package.json')
  entry = pathToFileURL(join(dirname(manifest), 'dist', 'src', 'launchers', 'worker-entry.js')).href
  return entry
}

/**
 * The pool for a server: the shared one, or (`isolated`) the one whose threads end with their
 * server, with these heap limits. Idle threads are unref'd by tinypool: a pool never keeps its
 * process alive.
 */
export function workerPool(
  isolated: boolean,
  resourceLimits: WorkerResourceLimits = DEFAULT_WORKER_RESOURCE_LIMITS,
): Tinypool {
  const limits = Object.entries(resourceLimits).sort(([a], [b]) => (a < b ? -1 : 1))
  const key = `${isolated ? 'isolated' : 'shared'} ${JSON.stringify(limits)}`
  let pool = pools.get(key)
  if (!pool) {
    pool = new Tinypool({
      filename: workerEntry(),
      minThreads: 0,
      maxThreads: MAX_THREADS,
      idleTimeout: IDLE_MS,
      isolateWorkers: isolated,
      resourceLimits: { ...resourceLimits },
    })
    pools.set(key, pool)
  }
  return pool
}

type PoolWorker = Tinypool['threads'][number]

// One 'exit' listener per thread, whatever number of servers it runs in its life (tinypool's worker
// has no off()); each server subscribes while it runs there.
const exitWatchers = new WeakMap<PoolWorker, Set<(code: number) => void>>()

/**
 * Calls `onExit` with the exit code if the thread `threadId` of `pool` exits; returns the function
 * that unsubscribes, or undefined if no such thread runs there.
 */
export function watchThreadExit(
  pool: Tinypool,
  threadId: number,
  onExit: (code: number) => void,
): (() => void) | undefined {
  const thread = pool.threads.find((candidate) => candidate.threadId === threadId)
  if (!thread) return undefined
  let watchers = exitWatchers.get(thread)
  if (!watchers) {
    const created = new Set<(code: number) => void>()
    watchers = created
    exitWatchers.set(thread, created)
    thread.once('exit', (code: number) => {
      for (const watcher of created) watcher(code)
    })
  }
  watchers.add(onExit)
  return () => watchers.delete(onExit)
}
