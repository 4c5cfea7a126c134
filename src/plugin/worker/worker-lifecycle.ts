// How a test worker ends, as its reaper must know it: stopped by Vitest (what is still running
// then was left behind), or orphaned by a dead main process (it ends itself: FACTS.md says it would
// go on running its current tests, and the servers they started).
import { parentPort } from 'node:worker_threads'
import { endingNormally } from '../../launchers/reaper-client.js'
import { processWide } from '../../scope/index.js'

/**
 * The IPC channel closing can mean either: the parent died (the kernel closes its end before it
 * re-parents its children, so this waits, bounded, for the new parent), or the parent let go of a
 * worker it no longer needs, which stays its child and is left alone.
 */
const REPARENT_WAIT_MS = 2000

/** Vitest's request that a worker stop (its pool runner's `stop()`), before it terminates it. */
function isStopRequest(message: unknown): boolean {
  const m = message as { type?: unknown; __vitest_worker_request__?: unknown } | null
  return m?.type === 'stop' && m.__vitest_worker_request__ === true
}

export function watchWorkerLifecycle(): void {
  const once = processWide('worker lifecycle', () => ({ installed: false }))
  if (once.installed) return
  once.installed = true
  // Vitest stops a worker with a message, then SIGTERM (forks) or terminate() (threads): no exit
  // handler runs, so the reaper is told here that the end is a normal one.
  const port = parentPort ?? (process.send ? process : undefined)
  const onMessage = (message: unknown) => {
    if (isStopRequest(message)) endingNormally()
  }
  port?.on('message', onMessage)
  if (process.send && process.connected) endWhenOrphaned()
}

function endWhenOrphaned(): void {
  const parent = process.ppid
  process.once('disconnect', () => {
    const until = performance.now() + REPARENT_WAIT_MS
    // Unref'd: a worker let go of normally exits when it is done, not when this gives up.
    const poll = setInterval(() => {
      // No exit handlers, no teardown: nobody is left to report to, and the reaper stops the rest.
      if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL')
      else if (performance.now() > until) clearInterval(poll)
    }, 10).unref()
  })
}
