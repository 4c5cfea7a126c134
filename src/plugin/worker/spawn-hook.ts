// Sees every child process a test starts: spawn, exec, execFile, fork and the libraries on them.

import { ChildProcess } from 'node:child_process'
import { displayCommand } from '../../launchers/processes/process-table.js'
import { watchProcess } from '../../launchers/processes/reaper-client.js'
import { forksSoFar } from '../../launchers/processes/recent-processes.js'
import { captureCallSite, currentAttribution } from '../../scope/index.js'
import { TestAttempt } from './test-attempt.js'

/** Inherited by the child and, unless they clear their environment, by its descendants. */
export const TEST_TOKEN_VARIABLE = 'VITEST_MCP_HOST_TEST'

type SpawnFn = (this: ChildProcess, options: SpawnOptions) => unknown

const ORIGINAL_SPAWN = Symbol.for('vitest-mcp-host:ChildProcess.prototype.spawn')

interface SpawnOptions {
  detached?: boolean
  file?: string
  args?: string[]
  envPairs?: string[]
}

/**
 * Wraps `ChildProcess.prototype.spawn`, the one method every asynchronous child_process API
 * goes through (ESM named imports included, unlike patching the module's exports). Synchronous
 * APIs (execSync, spawnSync) finish before they return and are not seen.
 */
export function installSpawnHook(): void {
  // Internal API (stable since Node 0.x): the typings do not declare it.
  const proto = ChildProcess.prototype as unknown as {
    spawn(this: ChildProcess, options: SpawnOptions): unknown
  }
  // Kept on the prototype itself, which every copy of this module and every vm context (vmThreads)
  // shares: a setup file evaluated again wraps Node's own spawn afresh, never an older wrapper.
  const holder = proto as unknown as Record<symbol, SpawnFn | undefined>
  holder[ORIGINAL_SPAWN] ??= proto.spawn
  const original = holder[ORIGINAL_SPAWN]
  proto.spawn = function spawn(this: ChildProcess, options: SpawnOptions) {
    const run = currentAttribution()
    if (!(run instanceof TestAttempt)) return original.call(this, options)
    if (Array.isArray(options?.envPairs)) {
      const prefix = `${TEST_TOKEN_VARIABLE}=`
      options.envPairs = [...options.envPairs.filter((pair) => !pair.startsWith(prefix)), prefix + run.token]
    }
    // Before the first spawn: the process check then reads only the pids given out after it.
    if (run.spawned.length === 0) run.forksBefore ??= forksSoFar()
    const result = original.call(this, options)
    if (this.pid !== undefined) {
      const command = options.args?.length ? options.args.join(' ') : (options.file ?? this.spawnfile)
      const pid = this.pid
      // If the worker dies during the test, the reaper kills it and what it started (by the token).
      const child = this
      const unwatch = watchProcess(
        {
          kind: 'child',
          // Shortened: a 200 kB argument must not make a 200 kB message.
          label: displayCommand(command),
          leader: options.detached === true,
          pid,
          // Nothing read on the spawn path: most children are done before the reaper is told of
          // them; the client reads it if it tells the reaper (watchProcess).
          startTime: undefined,
          token: { name: TEST_TOKEN_VARIABLE, value: run.token },
        },
        () => child.exitCode === null && child.signalCode === null,
      )
      run.spawned.push({ pid, command, site: captureCallSite(), child: this, unwatch })
    }
    return result
  }
}
