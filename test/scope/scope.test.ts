// Scope, the ownership core: LIFO disposal, error collection, idempotent close, async-context
// tracking, and cross-context disposal (timers, other tests, hooks) that still cleans up.
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest'
import {
  addContextDescriber,
  CrossContextDisposalError,
  currentAttribution,
  runAttributed,
  Scope,
  ScopeClosedError,
} from '../../src/scope/index.js'
import { rejectionOf, siteMatcher } from '../support/assertions.js'

const UNOWNED = 'an async context no scope owns'
const thisFile = relative(process.cwd(), fileURLToPath(import.meta.url))

const site = siteMatcher(import.meta.url)

/** Runs `fn` from a timer callback scheduled here, outside every scope; settles like `fn`. */
function fromTimer<T>(fn: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    setTimeout(() => fn().then(resolve, reject), 0)
  })
}

/** A rejection reason, failing if `promise` resolves. */
async function crossContextError(promise: Promise<unknown>): Promise<CrossContextDisposalError> {
  const error = await rejectionOf(promise)
  expect(error).toBeInstanceOf(CrossContextDisposalError)
  return error as CrossContextDisposalError
}

/** A resource whose disposal records whether it ran and which scope it ran in. */
function fakeResource(label: string) {
  const resource = {
    label,
    disposed: 0,
    disposedInScope: undefined as Scope | undefined,
  }
  const dispose = (r: typeof resource) => {
    r.disposed++
    r.disposedInScope = Scope.current()
  }
  return { resource, dispose }
}

describe('disposal order', () => {
  test('adopted resources and deferred cleanups are disposed last in, first out', async () => {
    const scope = Scope.open('order')
    const order: string[] = []
    scope.run(() => {
      scope.adopt('a', (r) => order.push(r))
      scope.defer(() => order.push('deferred 1'))
      scope.adopt('b', (r) => order.push(r), { kind: 'thing', label: 'b' })
      scope.defer(function namedCleanup() {
        order.push('deferred 2')
      })
    })
    expect(scope.resources.map((r) => [r.kind, r.label])).toEqual([
      ['resource', 'resource'],
      ['cleanup', 'deferred cleanup'],
      ['thing', 'b'],
      ['cleanup', 'namedCleanup'],
    ])
    expect(scope.state).toBe('open')
    await scope.run(() => scope.close())
    expect(order).toEqual(['deferred 2', 'b', 'deferred 1', 'a'])
    expect(scope.state).toBe('closed')
    expect(scope.resources).toEqual([])
    expect(scope.findings).toEqual([])
  })

  test('each async disposer is awaited before the next one starts; state is closing meanwhile', async () => {
    const scope = Scope.open('sequential')
    const events: string[] = []
    const states: string[] = []
    for (const name of ['first', 'second', 'third']) {
      scope.adopt(name, async (r) => {
        events.push(`start ${r}`)
        states.push(scope.state)
        await new Promise((resolve) => setImmediate(resolve))
        events.push(`end ${r}`)
      })
    }
    await scope.run(() => scope.close())
    expect(events).toEqual([
      'start third',
      'end third',
      'start second',
      'end second',
      'start first',
      'end first',
    ])
    expect(states).toEqual(['closing', 'closing', 'closing'])
  })

  test('dispose(resource) disposes that one now, once; unknown resources are ignored', async () => {
    const scope = Scope.open('single')
    const a = fakeResource('a')
    const b = fakeResource('b')
    scope.run(() => {
      scope.adopt(a.resource, a.dispose)
      scope.adopt(b.resource, b.dispose)
    })
    await scope.run(() => scope.dispose(a.resource))
    expect(a.resource.disposed).toBe(1)
    expect(b.resource.disposed).toBe(0)
    expect(scope.resources.map((r) => r.resource)).toEqual([b.resource])
    await scope.run(() => scope.dispose(a.resource))
    await scope.run(() => scope.dispose({ not: 'adopted' }))
    expect(a.resource.disposed).toBe(1)
    await scope.run(() => scope.close())
    expect(a.resource.disposed).toBe(1)
    expect(b.resource.disposed).toBe(1)
    expect(scope.findings).toEqual([])
  })

  test('a resource adopted while the scope is closing is disposed by the same close', async () => {
    const scope = Scope.open('late adopter')
    const late = fakeResource('late')
    scope.adopt('first', () => {
      scope.adopt(late.resource, late.dispose)
    })
    await scope.run(() => scope.close())
    expect(late.resource.disposed).toBe(1)
    expect(late.resource.disposedInScope).toBe(scope)
  })

  test('[Symbol.asyncDispose] is close()', async () => {
    const scope = Scope.open('async dispose')
    const r = fakeResource('r')
    scope.adopt(r.resource, r.dispose)
    await scope.run(() => scope[Symbol.asyncDispose]())
    expect(r.resource.disposed).toBe(1)
    expect(scope.state).toBe('closed')
  })
})

describe('close() collects cleanup errors', () => {
  test('every cleanup runs even when some throw; one error is re-thrown as is', async () => {
    const scope = Scope.open('one failure')
    const ran: string[] = []
    const boom = new Error('boom')
    scope.defer(() => ran.push('c'))
    scope.defer(() => {
      ran.push('b')
      throw boom
    })
    scope.defer(() => ran.push('a'))
    const error = await rejectionOf(scope.run(() => scope.close()))
    expect(error).toBe(boom)
    expect(ran).toEqual(['a', 'b', 'c'])
    expect(scope.state).toBe('closed')
  })

  test('several errors (thrown, rejected, non-Error) become one AggregateError, in disposal order', async () => {
    const scope = Scope.open('many failures')
    const ran: string[] = []
    const first = new Error('first adopted fails')
    const rejected = new TypeError('async rejection')
    scope.adopt('x', () => {
      ran.push('x')
      throw first
    })
    scope.defer(() => ran.push('ok'))
    scope.defer(async () => {
      ran.push('async')
      await null
      throw rejected
    })
    scope.defer(() => {
      ran.push('string')
      throw 'a plain string'
    })
    const error = await rejectionOf(scope.run(() => scope.close()))
    expect(ran).toEqual(['string', 'async', 'ok', 'x'])
    expect(error).toBeInstanceOf(AggregateError)
    const aggregate = error as AggregateError
    expect(aggregate.message).toBe('3 cleanups of Scope<"many failures" closed, 0 resources> failed')
    expect(aggregate.errors).toHaveLength(3)
    expect(aggregate.errors[0]).toBeInstanceOf(Error)
    expect((aggregate.errors[0] as Error).message).toBe('a plain string')
    expect(aggregate.errors[1]).toBe(rejected)
    expect(aggregate.errors[2]).toBe(first)
  })

  test('close is idempotent: a second call settles like the first, without running cleanups again', async () => {
    const ok = Scope.open('idempotent ok')
    let count = 0
    ok.defer(() => count++)
    await ok.run(() => ok.close())
    await ok.run(() => ok.close())
    expect(count).toBe(1)

    const one = Scope.open('idempotent one error')
    const boom = new Error('boom')
    let runs = 0
    one.defer(() => {
      runs++
      throw boom
    })
    expect(await rejectionOf(one.run(() => one.close()))).toBe(boom)
    expect(await rejectionOf(one.run(() => one.close()))).toBe(boom)
    expect(runs).toBe(1)

    const many = Scope.open('idempotent many errors')
    const e1 = new Error('e1')
    const e2 = new Error('e2')
    many.defer(() => {
      throw e1
    })
    many.defer(() => {
      throw e2
    })
    const firstClose = (await rejectionOf(many.run(() => many.close()))) as AggregateError
    const secondClose = (await rejectionOf(many.run(() => many.close()))) as AggregateError
    expect(firstClose).toBeInstanceOf(AggregateError)
    expect(secondClose).toBeInstanceOf(AggregateError)
    expect(secondClose.message).toBe(firstClose.message)
    expect(secondClose.errors).toEqual([e2, e1])
    expect(secondClose.errors[0]).toBe(e2)
    expect(secondClose.errors[1]).toBe(e1)
  })

  test('concurrent close() calls share one drain and settle alike', async () => {
    const scope = Scope.open('concurrent')
    const boom = new Error('boom')
    let runs = 0
    scope.defer(async () => {
      runs++
      await new Promise((resolve) => setImmediate(resolve))
      throw boom
    })
    const [a, b] = await scope.run(() => Promise.allSettled([scope.close(), scope.close()]))
    expect(a).toEqual({ status: 'rejected', reason: boom })
    expect(b).toEqual({ status: 'rejected', reason: boom })
    expect(runs).toBe(1)
  })
})

describe('Scope.current()', () => {
  test('is undefined outside every scope and the scope inside run()', () => {
    const scope = Scope.open('current')
    expect(Scope.current()).toBeUndefined()
    expect(scope.isCurrent).toBe(false)
    const inside = scope.run(() => [Scope.current(), scope.isCurrent] as const)
    expect(inside).toEqual([scope, true])
    expect(Scope.current()).toBeUndefined()
    expect(scope.run(() => 42)).toBe(42)
  })

  test('follows timers, microtasks, immediates and un-awaited promises started inside run()', async () => {
    const scope = Scope.open('async work')
    const seen = new Map<string, Scope | undefined>()
    const done: Promise<void>[] = []
    const settle = () => {
      let resolve!: () => void
      done.push(new Promise<void>((r) => (resolve = r)))
      return resolve
    }
    scope.run(() => {
      const timer = settle()
      setTimeout(() => {
        seen.set('setTimeout', Scope.current())
        timer()
      }, 1)
      const micro = settle()
      queueMicrotask(() => {
        seen.set('queueMicrotask', Scope.current())
        micro()
      })
      const immediate = settle()
      setImmediate(() => {
        seen.set('setImmediate', Scope.current())
        immediate()
      })
      const floating = settle()
      // Deliberately not awaited: the chain keeps the context it was started in.
      void (async () => {
        await null
        await new Promise((resolve) => setTimeout(resolve, 1))
        seen.set('un-awaited promise', Scope.current())
        floating()
      })()
    })
    expect(Scope.current()).toBeUndefined()
    await Promise.all(done)
    expect(Object.fromEntries(seen)).toEqual({
      setTimeout: scope,
      queueMicrotask: scope,
      setImmediate: scope,
      'un-awaited promise': scope,
    })
  })

  test('an async run() keeps the scope across awaits; nested scopes shadow and restore', async () => {
    const outer = Scope.open('outer')
    const inner = Scope.open('inner')
    const seen = await outer.run(async () => {
      const before = Scope.current()
      const nested = await inner.run(async () => {
        await new Promise((resolve) => setTimeout(resolve, 1))
        return Scope.current()
      })
      await null
      return [before, nested, Scope.current()]
    })
    expect(seen).toEqual([outer, inner, outer])
  })

  test('a scope opened outside any scope names its opener context', () => {
    const scope = Scope.open('opened here') // site:open-named
    expect(scope.name).toBe('opened here')
    expect(scope.openedIn).toBe(UNOWNED)
    expect(scope.openedAt.location).toMatch(site('open-named'))
    const child = scope.run(() => Scope.open('child'))
    expect(child.openedIn).toBe('opened here')
  })
})

describe('cross-context disposal from a timer scheduled outside the scope', () => {
  test('close(): CrossContextDisposalError naming both contexts and lines; cleanup ran in the owner', async () => {
    const scope = Scope.open('timer owner') // site:timer-open
    const r = fakeResource('r')
    scope.run(() => scope.adopt(r.resource, r.dispose, { kind: 'server', label: 'weather' }))
    const listened: CrossContextDisposalError[] = []
    scope.onFinding((finding) => listened.push(finding))

    const error = await crossContextError(fromTimer(() => scope.close())) // site:timer-close

    expect(error.name).toBe('CrossContextDisposalError')
    expect(error.message.split('\n')[0]).toBe(
      `scope "timer owner" was disposed from ${UNOWNED}, but it is owned by timer owner.`,
    )
    expect(error.resource).toEqual({ kind: 'scope', label: 'timer owner' })
    expect(error.createdIn.context).toBe('timer owner')
    expect(error.createdIn.at).toMatch(site('timer-open'))
    expect(error.disposedIn.context).toBe(UNOWNED)
    expect(error.disposedIn.at).toMatch(site('timer-close'))
    expect(error.disposedFrame).toContain(thisFile)
    // The full message: both sites, both contexts, the reassurance and the advice.
    const lines = error.message.split('\n')
    expect(lines[1]).toBe(`  created  at ${error.createdIn.at} (timer owner)`)
    expect(lines[2]).toBe(`  disposed at ${error.disposedIn.at} (${UNOWNED})`)
    expect(lines[3]).toBe('The cleanup was still carried out in the owner context, so nothing was left open.')
    expect(lines[4]).toMatch(/^Close things through their owner/)

    // The cleanup completed, inside the owner's context.
    expect(r.resource.disposed).toBe(1)
    expect(r.resource.disposedInScope).toBe(scope)
    expect(scope.state).toBe('closed')
    expect(scope.findings).toEqual([error])
    expect(scope.findings[0]).toBe(error)
    expect(listened).toEqual([error])
  })

  test('dispose(resource): the error names the resource, its adopt line and the dispose line', async () => {
    const scope = Scope.open('timer owner 2')
    const r = fakeResource('r')
    scope.run(() => scope.adopt(r.resource, r.dispose, { kind: 'client', label: 'weather' })) // site:adopt-r

    const error = await crossContextError(fromTimer(() => scope.dispose(r.resource))) // site:timer-dispose

    expect(error.message.split('\n')[0]).toBe(
      `client "weather" was disposed from ${UNOWNED}, but it is owned by timer owner 2.`,
    )
    expect(error.resource).toEqual({ kind: 'client', label: 'weather' })
    expect(error.createdIn).toMatchObject({ context: 'timer owner 2' })
    expect(error.createdIn.at).toMatch(site('adopt-r'))
    expect(error.disposedIn.at).toMatch(site('timer-dispose'))
    expect(r.resource.disposed).toBe(1)
    expect(r.resource.disposedInScope).toBe(scope)
    expect(scope.resources).toEqual([])
    expect(scope.state).toBe('open')
    expect(scope.findings).toEqual([error])
    await scope.run(() => scope.close())
    expect(r.resource.disposed).toBe(1)
  })

  test('a timer started inside run() is the owner context: no error, no finding', async () => {
    const scope = Scope.open('timer inside')
    const r = fakeResource('r')
    scope.adopt(r.resource, r.dispose)
    await scope.run(() => fromTimer(() => scope.close()))
    expect(r.resource.disposed).toBe(1)
    expect(scope.findings).toEqual([])
  })

  test('a cross-context close whose cleanup also fails: AggregateError of the violation, then the failure', async () => {
    const scope = Scope.open('failing cleanup')
    const boom = new Error('boom')
    let ranIn: Scope | undefined
    scope.defer(() => {
      ranIn = Scope.current()
      throw boom
    })
    const error = await rejectionOf(fromTimer(() => scope.close()))
    expect(error).toBeInstanceOf(AggregateError)
    const aggregate = error as AggregateError
    expect(aggregate.errors).toHaveLength(2)
    expect(aggregate.errors[0]).toBeInstanceOf(CrossContextDisposalError)
    expect(aggregate.errors[1]).toBe(boom)
    expect(aggregate.message).toBe(`${(aggregate.errors[0] as Error).message}\nThe cleanup also failed.`)
    expect(ranIn).toBe(scope)
    expect(scope.findings).toEqual([aggregate.errors[0]])
  })

  test('onFinding listeners hear each violation at once, and can unsubscribe', async () => {
    const scope = Scope.open('listeners')
    const heard: CrossContextDisposalError[] = []
    let disposedWhenHeard: number | undefined
    const r1 = fakeResource('r1')
    const r2 = fakeResource('r2')
    scope.adopt(r1.resource, r1.dispose)
    scope.adopt(r2.resource, r2.dispose)
    const unsubscribe = scope.onFinding((finding) => {
      heard.push(finding)
      disposedWhenHeard = r1.resource.disposed
    })
    const first = await crossContextError(fromTimer(() => scope.dispose(r1.resource)))
    expect(heard).toEqual([first])
    // Reported when detected, before the cleanup it reports on.
    expect(disposedWhenHeard).toBe(0)
    unsubscribe()
    const second = await crossContextError(fromTimer(() => scope.dispose(r2.resource)))
    expect(heard).toEqual([first])
    expect(scope.findings).toEqual([first, second])
    // findings is a copy.
    ;(scope.findings as CrossContextDisposalError[]).length = 0
    expect(scope.findings).toHaveLength(2)
    await scope.run(() => scope.close())
  })
})

describe('cross-context disposal from another test', { concurrent: false }, () => {
  // Shared through module variables, the way a host leaks from one test into the next.
  let scopeA: Scope | undefined
  let resourceA: ReturnType<typeof fakeResource> | undefined
  let removeDescriber: (() => void) | undefined

  // Names unowned test code after the running test, the way the plugin does.
  beforeEach(() => {
    removeDescriber = addContextDescriber(() => {
      const name = expect.getState().currentTestName
      return name ? `test "${name}"` : undefined
    })
  })
  afterEach(() => removeDescriber?.())

  test('A: creates a scope and a resource in it', () => {
    scopeA = Scope.open('test A')
    resourceA = fakeResource('a')
    const { resource, dispose } = resourceA
    scopeA.run(() => scopeA?.adopt(resource, dispose, { kind: 'server', label: 'shared' })) // site:test-a-adopt
    expect(scopeA.resources).toHaveLength(1)
  })

  test('B: disposing A’s resource from B’s own scope is cross-context, and still cleans up', async () => {
    if (!scopeA || !resourceA) throw new Error('test A did not run')
    const owner = scopeA
    const { resource } = resourceA
    const scopeB = Scope.open('test B')
    const error = await crossContextError(scopeB.run(() => owner.dispose(resource))) // site:test-b-dispose
    expect(error.message.split('\n')[0]).toBe(
      'server "shared" was disposed from test B, but it is owned by test A.',
    )
    expect(error.resource).toEqual({ kind: 'server', label: 'shared' })
    expect(error.createdIn.context).toBe('test A')
    expect(error.createdIn.at).toMatch(site('test-a-adopt'))
    expect(error.disposedIn.context).toBe('test B')
    expect(error.disposedIn.at).toMatch(site('test-b-dispose'))
    expect(resource.disposed).toBe(1)
    expect(resource.disposedInScope).toBe(owner)
    await scopeB.run(() => scopeB.close())
    expect(scopeB.findings).toEqual([])
  })

  test('C: closing A’s scope from the body of another test names that test', async () => {
    if (!scopeA) throw new Error('test A did not run')
    const owner = scopeA
    const late = fakeResource('late')
    owner.adopt(late.resource, late.dispose)
    const error = await crossContextError(owner.close()) // site:test-c-close
    const currentTest = `test "${expect.getState().currentTestName}"`
    expect(currentTest).toContain('C: closing')
    expect(error.message.split('\n')[0]).toBe(
      `scope "test A" was disposed from ${currentTest}, but it is owned by test A.`,
    )
    expect(error.disposedIn).toMatchObject({ context: currentTest })
    expect(error.disposedIn.at).toMatch(site('test-c-close'))
    expect(late.resource.disposed).toBe(1)
    expect(late.resource.disposedInScope).toBe(owner)
    expect(owner.state).toBe('closed')
    expect(owner.findings.map((f) => f.resource.kind)).toEqual(['server', 'scope'])
  })
})

describe('cross-context disposal from hooks', { concurrent: false }, () => {
  // A describer naming the hook that runs, as an outer layer (the plugin) would.
  let hook: string | undefined
  let removeDescriber: (() => void) | undefined
  let opened: { scope: Scope; r: ReturnType<typeof fakeResource> } | undefined
  const results = new Map<string, { error: unknown; r: ReturnType<typeof fakeResource>; scope: Scope }>()

  beforeEach(async () => {
    removeDescriber = addContextDescriber(() => hook)
    // Closes a scope a previous test opened and left open.
    if (!opened) return
    const { scope, r } = opened
    opened = undefined
    hook = 'beforeEach hook'
    try {
      const error = await rejectionOf(scope.close()) // site:before-each-close
      results.set('beforeEach', { error, r, scope })
    } finally {
      hook = undefined
    }
  })

  afterEach(async () => {
    removeDescriber?.()
  })

  describe('a test whose resource is disposed by afterEach', () => {
    let mine: { scope: Scope; r: ReturnType<typeof fakeResource> } | undefined

    afterEach(async () => {
      if (!mine) return
      const { scope, r } = mine
      mine = undefined
      hook = 'afterEach hook'
      try {
        const error = await rejectionOf(scope.dispose(r.resource)) // site:after-each-dispose
        results.set('afterEach', { error, r, scope })
        await scope.run(() => scope.close())
      } finally {
        hook = undefined
      }
    })

    test('opens a scope and adopts a resource', () => {
      const scope = Scope.open('test with afterEach')
      const r = fakeResource('r')
      scope.run(() => scope.adopt(r.resource, r.dispose, { kind: 'client', label: 'c1' }))
      mine = { scope, r }
    })
  })

  test('afterEach: CrossContextDisposalError names the hook; the resource was disposed in its owner', () => {
    const result = results.get('afterEach')
    if (!result) throw new Error('the afterEach hook did not run')
    const error = result.error as CrossContextDisposalError
    expect(error).toBeInstanceOf(CrossContextDisposalError)
    expect(error.message.split('\n')[0]).toBe(
      'client "c1" was disposed from afterEach hook, but it is owned by test with afterEach.',
    )
    expect(error.disposedIn.context).toBe('afterEach hook')
    expect(error.disposedIn.at).toMatch(site('after-each-dispose'))
    expect(result.r.resource.disposed).toBe(1)
    expect(result.r.resource.disposedInScope).toBe(result.scope)
  })

  test('opens a scope and leaves it for the next beforeEach', () => {
    const scope = Scope.open('left open') // site:left-open
    const r = fakeResource('r')
    scope.run(() => scope.adopt(r.resource, r.dispose))
    opened = { scope, r }
  })

  test('beforeEach: closing a scope opened in another test is cross-context; its cleanup ran', () => {
    const result = results.get('beforeEach')
    if (!result) throw new Error('the beforeEach hook did not close the scope')
    const error = result.error as CrossContextDisposalError
    expect(error).toBeInstanceOf(CrossContextDisposalError)
    expect(error.message.split('\n')[0]).toBe(
      'scope "left open" was disposed from beforeEach hook, but it is owned by left open.',
    )
    expect(error.createdIn.at).toMatch(site('left-open'))
    expect(error.disposedIn.at).toMatch(site('before-each-close'))
    expect(result.r.resource.disposed).toBe(1)
    expect(result.r.resource.disposedInScope).toBe(result.scope)
    expect(result.scope.state).toBe('closed')
  })

  describe('a suite whose afterAll closes a scope its test opened', () => {
    let suiteScope: { scope: Scope; r: ReturnType<typeof fakeResource> } | undefined

    afterAll(async () => {
      if (!suiteScope) return
      const { scope, r } = suiteScope
      // No describer label here: the default name of an unowned context.
      const error = await rejectionOf(scope.close()) // site:after-all-close
      results.set('afterAll', { error, r, scope })
    })

    test('opens a scope in the test body', () => {
      const scope = Scope.open('test-scoped')
      const r = fakeResource('r')
      scope.run(() => scope.adopt(r.resource, r.dispose))
      suiteScope = { scope, r }
    })
  })

  test('afterAll: closing a test-scoped scope is cross-context; its cleanup ran in the owner', () => {
    const result = results.get('afterAll')
    if (!result) throw new Error('the afterAll hook did not run')
    const error = result.error as CrossContextDisposalError
    expect(error).toBeInstanceOf(CrossContextDisposalError)
    expect(error.message.split('\n')[0]).toBe(
      `scope "test-scoped" was disposed from ${UNOWNED}, but it is owned by test-scoped.`,
    )
    expect(error.disposedIn.at).toMatch(site('after-all-close'))
    expect(result.r.resource.disposed).toBe(1)
    expect(result.r.resource.disposedInScope).toBe(result.scope)
    expect(result.scope.findings).toEqual([error])
  })
})

describe('a closed scope', () => {
  test('adopt() disposes the resource at once, in the owner context, and throws ScopeClosedError', async () => {
    const scope = Scope.open('closed one')
    await scope.run(() => scope.close())
    let resolveDisposed!: (inScope: Scope | undefined) => void
    const disposed = new Promise<Scope | undefined>((resolve) => (resolveDisposed = resolve))
    let thrown: unknown
    try {
      scope.adopt({ late: true }, () => resolveDisposed(Scope.current()), { kind: 'server', label: 's1' })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ScopeClosedError)
    expect((thrown as Error).name).toBe('ScopeClosedError')
    expect((thrown as Error).message).toBe(
      'Cannot adopt server "s1": Scope<"closed one" closed, 0 resources> is closed. The resource was disposed at once.',
    )
    expect(await disposed).toBe(scope)
    expect(scope.resources).toEqual([])
  })

  test('defer() runs the cleanup at once and throws ScopeClosedError; a failing disposer is contained', async () => {
    const scope = Scope.open('closed two')
    await scope.run(() => scope.close())
    let ran!: () => void
    const cleanupRan = new Promise<void>((resolve) => (ran = resolve))
    expect(() =>
      scope.defer(() => {
        ran()
        throw new Error('not surfaced as an unhandled rejection')
      }),
    ).toThrow(ScopeClosedError)
    await cleanupRan
    expect(() => scope.adopt('x', () => Promise.reject(new Error('nor this')))).toThrow(
      /^Cannot adopt resource "resource": /,
    )
    // Let the rejected disposal settle inside the test (an unhandled rejection would fail the run).
    await new Promise((resolve) => setImmediate(resolve))
  })

  test('inspect and toString describe name, state and count', async () => {
    const scope = Scope.open('described')
    scope.defer(() => {})
    expect(String(scope)).toBe('Scope<"described" open, 1 resource>')
    scope.defer(() => {})
    expect(`${scope}`).toBe('Scope<"described" open, 2 resources>')
    await scope.run(() => scope.close())
    expect(String(scope)).toBe('Scope<"described" closed, 0 resources>')
  })
})

describe('handOver', () => {
  test('moves a scope to a new owner: run() works for it, under the new name, in the same owner context', async () => {
    const pool = { label: 'the pool', shared: true }
    const taker = { label: 'test "takes it"', shared: false }
    const scope = runAttributed(pool, () => Scope.open('started ahead'))
    const seen: unknown[] = []
    scope.defer(() => seen.push(currentAttribution(), Scope.current()))
    expect(scope.run(() => currentAttribution())).toBe(pool)
    scope.handOver(taker, 'fixture of test "takes it"')
    expect(scope.name).toBe('fixture of test "takes it"')
    expect(scope.run(() => currentAttribution())).toBe(taker)
    expect(scope.run(() => Scope.current())).toBe(scope)
    // Closed from its own context, whoever asks: the cleanup runs for the new owner.
    await scope.run(() => scope.close())
    expect(seen).toEqual([taker, scope])
    // Without an owner (no plugin): code run in it works for nobody.
    const other = runAttributed(pool, () => Scope.open('another'))
    other.handOver(undefined, 'unowned')
    expect(other.run(() => currentAttribution())).toBeUndefined()
  })
})
