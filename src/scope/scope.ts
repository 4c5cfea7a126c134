// Scope: owns every resource adopted under it and disposes them LIFO from its own async context.
import { AsyncResource } from 'node:async_hooks'
import { inspect } from 'node:util'
import { type Attribution, currentAttribution, runAttributed, runUnattributed } from './attribution.js'
import { type CallSite, captureCallSite } from './call-site.js'
import { type ContextLabel, describeUnownedContext, ownerStorage } from './context.js'
import { CrossContextDisposalError, ScopeClosedError, siteOf } from './errors.js'
import { Ledger, type LedgerEntry, type ResourceInfo } from './ledger.js'

export type ScopeState = 'open' | 'closing' | 'closed'

export type FindingListener = (error: CrossContextDisposalError) => void

/** Names the context running now: the Scope that owns it, or what an outer layer calls it. */
export function describeCurrentContext(): ContextLabel {
  return Scope.current()?.name ?? describeUnownedContext()
}

function workFor<T>(attribution: Attribution | undefined, fn: () => T): T {
  return attribution ? runAttributed(attribution, fn) : runUnattributed(fn)
}

/**
 * An owner context. Everything adopted or deferred under a Scope is disposed by it, last in
 * first out, inside the scope's own async context, whoever asks.
 *
 * Rules: `close()` and `dispose()` from any other context raise `CrossContextDisposalError`
 * after the cleanup has completed (nothing is left open); every cleanup runs even when others
 * fail, and their errors are all reported (one as is, several as an `AggregateError`).
 *
 * @example
 * const scope = Scope.open('my resources')
 * await scope.run(async () => {
 *   scope.adopt(await startServer(), (s) => s.stop(), { kind: 'server' })
 *   // ... use it ...
 *   await scope.close() // inside run(): the owner context. From anywhere else: CrossContextDisposalError.
 * })
 */
export class Scope implements AsyncDisposable {
  /** The scope whose context the caller runs in, if any. */
  static current(): Scope | undefined {
    // Only Scope.run() stores into it: a Scope of this copy of the package or of another (processWide).
    return ownerStorage.getStore() as Scope | undefined
  }

  /** Opens a new owner context, independent of the caller's scope. */
  static open(name: string): Scope {
    return new Scope(name, captureCallSite())
  }

  /** @internal */
  readonly openedAt: CallSite
  /** @internal */
  readonly openedIn: ContextLabel
  readonly #context: AsyncResource
  readonly #ledger = new Ledger()
  readonly #findings: CrossContextDisposalError[] = []
  readonly #listeners = new Set<FindingListener>()
  #name: string
  /** Set by handOver(): whom code run in this scope works for from then on. */
  #handedTo: { attribution: Attribution | undefined } | undefined
  #state: ScopeState = 'open'
  #disposing: LedgerEntry | undefined
  #closing: Promise<Error[]> | undefined

  private constructor(name: string, openedAt: CallSite) {
    this.#name = name
    this.openedAt = openedAt
    this.openedIn = describeCurrentContext()
    // The async context of the opener is captured once; run() re-enters it, whoever calls.
    this.#context = new AsyncResource('vitest-mcp-host:Scope')
  }

  get name(): string {
    return this.#name
  }

  get state(): ScopeState {
    return this.#state
  }

  /**
   * Live resources, oldest first.
   * @internal
   */
  get resources(): readonly Omit<LedgerEntry, 'dispose'>[] {
    return this.#ledger.live()
  }

  /**
   * What `close()` is disposing right now, if it is closing; for naming what a hung teardown waits on.
   * @internal
   */
  get disposing(): Omit<LedgerEntry, 'dispose'> | undefined {
    return this.#disposing
  }

  /** Cross-context disposals detected so far, in order. */
  get findings(): readonly CrossContextDisposalError[] {
    return [...this.#findings]
  }

  /** True when the caller runs inside this scope's context. */
  get isCurrent(): boolean {
    return ownerStorage.getStore() === this
  }

  /** Runs `fn` inside this scope's context; timers and promises it starts stay in it. */
  run<T>(fn: () => T): T {
    const handed = this.#handedTo
    const inner = handed ? () => workFor(handed.attribution, fn) : fn
    return this.#context.runInAsyncScope(() => ownerStorage.run(this, inner))
  }

  /**
   * Gives the scope to a new owner (a host started ahead for whichever test takes it): from now on
   * code run() in it works for `attribution` (what it starts is charged there) and messages call it
   * `name`. Its async context stays the one it was opened in: setup and teardown still share it.
   * @internal used by the fixture's warm pool.
   */
  handOver(attribution: Attribution | undefined, name: string): void {
    this.#handedTo = { attribution }
    this.#name = name
  }

  /** Registers `resource` for disposal with `dispose`, recording the caller's site and context. */
  adopt<T>(resource: T, dispose: (resource: T) => unknown, info: ResourceInfo = {}): T {
    const kind = info.kind ?? 'resource'
    const label = info.label ?? kind
    if (this.#state === 'closed') {
      void this.run(() => Promise.resolve().then(() => dispose(resource))).catch(() => {})
      throw new ScopeClosedError(this.#describe(), `adopt ${kind} "${label}"`)
    }
    this.#ledger.add({
      resource,
      dispose: () => dispose(resource),
      kind,
      label,
      createdIn: describeCurrentContext(),
      createdAt: captureCallSite(),
    })
    return resource
  }

  /** Registers a cleanup, run LIFO together with the adopted resources. */
  defer(fn: () => unknown): void {
    this.adopt(fn, (cleanup) => cleanup(), { kind: 'cleanup', label: fn.name || 'deferred cleanup' })
  }

  /**
   * Disposes one adopted resource now, in this scope's context. Unknown or already disposed
   * resources are ignored. From another context: `CrossContextDisposalError`, after the disposal.
   */
  async dispose(resource: unknown): Promise<void> {
    const entry = this.#ledger.take(resource)
    if (!entry) return
    await this.disposeAsOwner(entry, async () => {
      await entry.dispose()
    })
  }

  /**
   * Closes the scope: disposes everything LIFO in its own context. Idempotent: every call
   * settles like the first. From another context: `CrossContextDisposalError`, after cleanup.
   */
  async close(): Promise<void> {
    const self = { kind: 'scope', label: this.name, createdIn: this.openedIn, createdAt: this.openedAt }
    await this.disposeAsOwner(self, async () => {
      const errors = await this.#closeOnce()
      if (errors.length === 1) throw errors[0]
      if (errors.length > 1) {
        throw new AggregateError(errors, `${errors.length} cleanups of ${this.#describe()} failed`)
      }
    })
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  /** Subscribes to cross-context disposals as they are detected; returns an unsubscribe. */
  onFinding(listener: FindingListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /**
   * Runs the disposal `fn` of something this scope owns, in the owner context, and checks the
   * caller's context. The owner's cleanup always completes before a violation is raised.
   * @internal used by owners that guard objects they hand out (the host's SDK clients).
   */
  async disposeAsOwner(
    target: { kind: string; label: string; createdIn: ContextLabel; createdAt: CallSite },
    fn: () => Promise<void>,
  ): Promise<void> {
    const violation = this.isCurrent ? undefined : this.#violation(target)
    let failure: unknown
    try {
      await this.run(fn)
    } catch (error) {
      failure = error
    }
    if (!violation) {
      if (failure !== undefined) throw failure
      return
    }
    if (failure === undefined) throw violation
    const rest = failure instanceof AggregateError ? failure.errors : [failure]
    throw new AggregateError([violation, ...rest], `${violation.message}\nThe cleanup also failed.`)
  }

  #violation(target: {
    kind: string
    label: string
    createdIn: ContextLabel
    createdAt: CallSite
  }): CrossContextDisposalError {
    const error = new CrossContextDisposalError(
      { kind: target.kind, label: target.label },
      siteOf(this.name, target.createdAt),
      siteOf(describeCurrentContext(), captureCallSite()),
    )
    this.#findings.push(error)
    currentAttribution()?.noteFinding?.(error)
    for (const listener of this.#listeners) listener(error)
    return error
  }

  #closeOnce(): Promise<Error[]> {
    this.#closing ??= this.#drain()
    return this.#closing
  }

  async #drain(): Promise<Error[]> {
    this.#state = 'closing'
    const errors: Error[] = []
    for (let entry = this.#ledger.pop(); entry; entry = this.#ledger.pop()) {
      this.#disposing = entry
      try {
        await entry.dispose()
      } catch (error) {
        errors.push(error instanceof Error ? error : new Error(String(error)))
      }
    }
    this.#disposing = undefined
    this.#state = 'closed'
    return errors
  }

  #describe(): string {
    const count = this.#ledger.size
    return `Scope<"${this.name}" ${this.#state}, ${count} resource${count === 1 ? '' : 's'}>`
  }

  [inspect.custom](): string {
    return this.#describe()
  }

  toString(): string {
    return this.#describe()
  }
}
