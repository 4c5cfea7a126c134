// What to do about a leak or a misplaced disposal, in MCP and Vitest terms: the advice the ownership
// core (scope/, which knows neither) gets from above. Loading this module sets it for the core.
import { setOwnershipAdvice } from '../scope/index.js'

/** The usual causes and the usual fix of a resource disposed from the wrong context. */
export const OWNERSHIP_ADVICE =
  'Close things through their owner (hostManager.shutdown(), removeServer(), or scope.close() ' +
  'inside scope.run()). Usual causes: a timer or an un-awaited promise that closes it late, a host ' +
  'shared through a module variable, a test-scoped resource closed from afterAll.'

setOwnershipAdvice(OWNERSHIP_ADVICE)

/** What to do about each kind of leak, in one line. */
export const LEAK_HINTS: Readonly<Record<string, string>> = {
  request: 'await the request before the test ends, or pass an AbortSignal and abort it.',
  handler:
    "a client handler (sampling, elicitation) was still answering a server's request: make it resolve before the test ends, or end it when ctx.signal aborts.",
  process:
    'the server started a process it did not stop: make the server kill its children on exit, ' +
    'or keep them in its process group.',
  server: 'stop it with hostManager.removeServer() or let the fixture own it.',
  host: 'shut it down before the test ends (await using host = await HostManager.start(...)), or use the hostManager fixture.',
  client: 'close it through its owner, not directly.',
  scope: 'close the scope from its own context before the test ends: await scope.run(() => scope.close()).',
  cleanup: 'the deferred cleanup never ran: close its scope.',
}

/** The hint of a leak of `kind` (`request`, `process`, `host`, …). */
export function hintFor(kind: string): string {
  return LEAK_HINTS[kind] ?? 'dispose it before the test ends.'
}
