// `complete`: argument completion for a prompt or a resource template, routed like the prompt or
// resource it names.
import type { CompleteRequest, CompleteResult } from '@modelcontextprotocol/client'
import { ConfigError } from '../errors.js'
import type { Dispatch, RequestOptions } from './dispatch.js'

/** What is completed: a prompt's argument, or a resource template's variable. */
export type CompletionRef = CompleteRequest['params']['ref']
/** The argument (or template variable) being completed, and what was typed so far. */
export type CompletionArgument = CompleteRequest['params']['argument']

export interface CompleteOptions extends RequestOptions {
  /** Values of the other arguments already chosen, for completions that depend on them. */
  context?: { arguments?: Record<string, string> }
}

/** The routed name of `ref`, or why `ref` is not one. */
function routeOf(ref: CompletionRef): { kind: 'prompt' | 'resource'; name: string } | string {
  const r = ref as { type?: unknown; name?: unknown; uri?: unknown } | null | undefined
  if (r?.type === 'ref/prompt' && typeof r.name === 'string') return { kind: 'prompt', name: r.name }
  if (r?.type === 'ref/resource' && typeof r.uri === 'string') return { kind: 'resource', name: r.uri }
  return `expected { type: 'ref/prompt', name } or { type: 'ref/resource', uri }, got ${JSON.stringify(ref)}`
}

/**
 * Sends `completion/complete` to the server offering `ref`'s prompt (by name) or resource (by URI
 * or URI template): routing, timeouts and a closed host as for `getPrompt` and `readResource`.
 */
export function completeOn(
  dispatch: Dispatch,
  ref: CompletionRef,
  argument: CompletionArgument,
  opts: CompleteOptions,
): Promise<CompleteResult> {
  const route = routeOf(ref)
  if (typeof route === 'string')
    return Promise.reject(new ConfigError([{ path: 'ref', message: route }], "complete()'s arguments"))
  const params = { ref, argument, ...(opts.context ? { context: opts.context } : {}) }
  return dispatch.request({
    method: 'complete',
    kind: route.kind,
    name: route.name,
    opts,
    send: (client, options) => client.complete(params, options),
    label: `completion/complete ${route.name} ${argument?.name}`,
  })
}
