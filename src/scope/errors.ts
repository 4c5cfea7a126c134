// The ownership invariants' errors, on one template: what, from where, where it was made, advice.
import type { CallSite } from './call-site.js'
import { brandClass } from './class-brand.js'
import type { ContextLabel } from './context.js'

/**
 * Advice for every ownership violation: the usual causes and the usual fix. This layer knows only
 * scopes; the layer that gives scopes their meaning (hosts, tests) says it in its own terms with
 * setOwnershipAdvice(), as it names contexts with addContextDescriber().
 */
let ownershipAdvice =
  'Close things through their owner (scope.close() inside scope.run()). Usual causes: a timer or an ' +
  'un-awaited promise that closes it late, a resource shared through a module variable.'

/** Replaces the advice every later CrossContextDisposalError ends with. */
export function setOwnershipAdvice(advice: string): void {
  ownershipAdvice = advice
}

/** One place in one context: where a resource was created, or from where it was disposed. */
export interface ContextSite {
  readonly context: ContextLabel
  readonly at: string
  /** The raw stack frame of `at`, when known. */
  readonly frame?: string
}

export interface ResourceRef {
  readonly kind: string
  readonly label: string
}

export function siteOf(context: ContextLabel, callSite: CallSite): ContextSite {
  return { context, at: callSite.location, frame: callSite.frame }
}

/**
 * A resource was disposed from an async context other than the one that owns it. The cleanup
 * itself was still carried out, in the owner's context: this error reports, it does not leak.
 */
export class CrossContextDisposalError extends Error {
  static {
    brandClass(this, 'CrossContextDisposalError')
  }

  override readonly name = 'CrossContextDisposalError'
  readonly resource: ResourceRef
  readonly createdIn: ContextSite
  readonly disposedIn: ContextSite

  constructor(resource: ResourceRef, createdIn: ContextSite, disposedIn: ContextSite) {
    super(
      `${resource.kind} "${resource.label}" was disposed from ${disposedIn.context}, ` +
        `but it is owned by ${createdIn.context}.\n` +
        `  created  at ${createdIn.at} (${createdIn.context})\n` +
        `  disposed at ${disposedIn.at} (${disposedIn.context})\n` +
        'The cleanup was still carried out in the owner context, so nothing was left open.\n' +
        ownershipAdvice,
    )
    this.resource = resource
    this.createdIn = createdIn
    this.disposedIn = disposedIn
  }

  /** The raw stack frame of the disposal, for pointing reports at the user's line. */
  get disposedFrame(): string | undefined {
    return this.disposedIn.frame
  }
}

/** One resource that outlived the test that created it. */
export interface Leak {
  readonly kind: string
  readonly label: string
  /** Where it was created: call site and context. */
  readonly createdIn: ContextSite
  /** What it was doing when judged, e.g. `pending for 1204 ms`. */
  readonly detail?: string
  /** One line telling how to fix this kind of leak (from the layer that knows the kind: report/leak-advice.ts). */
  readonly hint: string
  /** The raw stack frame of the creation, for pointing reports at the user's line. */
  readonly frame?: string
  /**
   * Whether the harness stopped it (default true). Handles found by `trace` are only reported: the
   * harness does not own them, so they keep running (a leaked interval ticks on in later tests).
   */
  readonly cleanedUp?: boolean
}

/** The last line of a LeakError: what the harness stopped, and what it left running. */
function whatWasCleaned(leaks: readonly Leak[]): string {
  const left = leaks.filter((leak) => leak.cleanedUp === false).length
  const them = (n: number) => (n === 1 ? 'it' : 'them')
  if (left === 0) return `The harness cleaned ${them(leaks.length)} up.`
  const notCleaned =
    `(trace only reports the handles it finds): ${left === 1 ? 'it is' : 'they are'} still active ` +
    'and may fire in later tests of this worker.'
  if (left === leaks.length) return `The harness did not clean ${them(left)} up ${notCleaned}`
  return `The harness cleaned up ${leaks.length - left} of them; the other ${left} it did not ${notCleaned}`
}

/** Resources outlived the test that created them; `.leaks` lists each one. */
export class LeakError extends Error {
  static {
    brandClass(this, 'LeakError')
  }

  override readonly name = 'LeakError'
  readonly leaks: readonly Leak[]

  constructor(owner: ContextLabel, leaks: readonly Leak[]) {
    const count = leaks.length === 1 ? '1 resource' : `${leaks.length} resources`
    const lines = leaks.map((leak) => {
      const state = [leak.detail, leak.cleanedUp === false ? 'not cleared' : undefined].filter(Boolean)
      return (
        `  - ${leak.kind} "${leak.label}"${state.length > 0 ? ` (${state.join('; ')})` : ''}, created at ` +
        `${leak.createdIn.at}\n    hint: ${leak.hint}`
      )
    })
    super(`${count} outlived ${owner}:\n${lines.join('\n')}\n${whatWasCleaned(leaks)}`)
    this.leaks = leaks
  }
}

/** Something was handed to a scope that is already closing or closed; it was disposed at once. */
export class ScopeClosedError extends Error {
  static {
    brandClass(this, 'ScopeClosedError')
  }

  override readonly name = 'ScopeClosedError'
  constructor(scope: string, what: string) {
    super(`Cannot ${what}: ${scope} is closed. The resource was disposed at once.`)
  }
}
