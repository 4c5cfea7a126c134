// Who the running code works for: the test (or the shared owner) that leaks are charged to.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { CrossContextDisposalError } from './errors.js'
import { processWide } from './process-wide.js'

/**
 * The unit that answers for what is created and disposed while it is current: one test run,
 * or an owner shared by several tests (a file- or worker-scoped host). The Vitest layer makes
 * them; the core only records which one was current.
 */
export interface Attribution {
  /** `test "london is rainy"`, `the file-scoped hostManager` */
  readonly label: string
  /** Shared owners outlive single tests: nothing created for them is a test's leak. */
  readonly shared: boolean
  /** Told of each cross-context disposal detected while this attribution is current. */
  noteFinding?(error: CrossContextDisposalError): void
}

const storage = processWide('attribution storage', () => new AsyncLocalStorage<Attribution>())

export function currentAttribution(): Attribution | undefined {
  return storage.getStore()
}

/** Runs `fn` on behalf of `attribution`; async work it starts stays attributed to it. */
export function runAttributed<T>(attribution: Attribution, fn: () => T): T {
  return storage.run(attribution, fn)
}

/** Runs `fn` on behalf of nobody: what it starts is the harness's own (the reaper), no test's. */
export function runUnattributed<T>(fn: () => T): T {
  return storage.exit(fn)
}
