// Matchers on what servers offer: a prompt, a resource, a resource template, on a host or a list.
import { type BrandedHost, isHostManager } from '../host/brand.js'
import type { MatcherResult } from './matcher-result.js'

/** What a matcher looks for: its name and noun (for its error), how to list them, and each one's key. */
interface Offering<T> {
  matcher: string
  noun: string
  list: (host: BrandedHost) => Promise<T[]>
  key: (item: T) => string
}

/** The keys offered: from a HostManager (asked, so awaited) or from a list already in hand. */
async function offered<T>(received: unknown, { matcher, noun, list, key }: Offering<T>): Promise<string[]> {
  let items: T[]
  if (isHostManager(received)) items = await list(received)
  else if (Array.isArray(received)) items = received as T[]
  else throw new TypeError(`${matcher}() expects a HostManager or a list of ${noun}`)
  return items.map(key)
}

function verdict(what: string, keys: string[], wanted: string): MatcherResult {
  const pass = keys.includes(wanted)
  return {
    pass,
    message: () =>
      `expected ${what} ${JSON.stringify(keys)} ${pass ? 'not ' : ''}to include ${JSON.stringify(wanted)}`,
  }
}

export const offerMatchers = {
  async toHavePrompt(received: unknown, name: string): Promise<MatcherResult> {
    const keys = await offered(received, {
      matcher: 'toHavePrompt',
      noun: 'prompts',
      list: (host) => host.listPrompts(),
      key: (p: { name: string }) => p.name,
    })
    return verdict('prompts', keys, name)
  },

  async toHaveResource(received: unknown, uri: string): Promise<MatcherResult> {
    const keys = await offered(received, {
      matcher: 'toHaveResource',
      noun: 'resources',
      list: (host) => host.listResources(),
      key: (r: { uri: string }) => r.uri,
    })
    return verdict('resources', keys, uri)
  },

  async toHaveResourceTemplate(received: unknown, uriTemplate: string): Promise<MatcherResult> {
    const keys = await offered(received, {
      matcher: 'toHaveResourceTemplate',
      noun: 'resource templates',
      list: (host) => host.listResourceTemplates(),
      key: (t: { uriTemplate: string }) => t.uriTemplate,
    })
    return verdict('resource templates', keys, uriTemplate)
  },
}

/** All three are async (a HostManager is asked): `await expect(host).toHavePrompt(...)`. */
export interface OfferMatchers<R = void> {
  /** A HostManager or a prompt list offers a prompt named `name`. Await it. */
  toHavePrompt(name: string): Promise<R>
  /** A HostManager or a resource list offers a resource at `uri`. Await it. */
  toHaveResource(uri: string): Promise<R>
  /** A HostManager or a template list offers the template `uriTemplate`. Await it. */
  toHaveResourceTemplate(uriTemplate: string): Promise<R>
}
