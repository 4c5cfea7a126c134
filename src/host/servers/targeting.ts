// Which server a request for a tool, prompt or resource goes to: a sole server at once (listed
// first only for tool coverage), several by what they list (routing.ts), and a crashed server that
// was never listed named as the reason a name is not found.
import { ServerExitError } from '../../launchers/errors.js'
import { METHOD_OF, NotOfferedError, notOffered, type RoutedKind } from '../errors.js'
import { type Offers, route } from '../routing/routing.js'
import type { Catalogs } from './catalogs.js'
import type { ServerEntry } from './server-entry.js'

export interface Target {
  readonly entry: ServerEntry
  /** Rejects with `NotOfferedError` (ToolNotFoundError for a tool) if the server does not list the name (bounded by `signal`). */
  readonly verify?: (signal?: AbortSignal) => Promise<void>
}

/** The servers a request may go to (a ServerSet). */
export interface Candidates {
  live(): ServerEntry[]
  get(name: string): ServerEntry
  /** Whether `entry`'s tools are listed once before its first tool call (coverage, cassettes). */
  listsFirst(entry: ServerEntry): boolean
}

/** What a request is routed by: its kind and name, the server it names (if any), and its signal. */
export interface TargetRequest {
  kind: RoutedKind
  name: string
  /** The server the caller named; undefined: whichever offers `name`. */
  server: string | undefined
  signal?: AbortSignal
}

/** Where a request may go: the servers and their catalogs. */
interface Pool {
  servers: Candidates
  catalogs: Catalogs
}

/**
 * The server a request for `name` goes to. A sole server whose names routing does not hide
 * gets the request at once, without listing first (a round trip and the server's schema
 * conversion saved); `verify` then checks the name against its list if the request fails.
 * Every listing stops waiting when `signal` aborts. When the set says so (tool coverage, a cassette), a sole server's
 * tools are listed once before its first tool call: a server never listed would not be counted.
 * (The wire check lists them only when a result needs their outputSchema: see wire-check.ts.)
 */
export async function target(pool: Pool, request: TargetRequest): Promise<Target> {
  const { servers, catalogs } = pool
  const { kind, name, server, signal } = request
  const candidates = server === undefined ? servers.live() : [servers.get(server)]
  const only = candidates.length === 1 ? candidates[0] : undefined
  const catalog = only && catalogs.get(only.name)
  if (only && (only.state !== 'ready' || !catalog)) return { entry: only }
  if (only && catalog && !catalog.hidesNames) {
    // Tool coverage counts only servers whose tools were listed, and a cassette records the listing:
    // list them once, before the first call. A listing that fails fails no call (the call tells).
    if (kind === 'tool' && servers.listsFirst(only) && !catalog.everListed('tool'))
      await catalog.list('tool', signal).catch(() => {})
    const verify = async (verifySignal?: AbortSignal) => {
      const names = await catalog.offered(kind, name, verifySignal)
      if (names.includes(name)) return
      const available = server === undefined ? names.map((n) => `${n} (${only.name})`) : names
      throw notOffered(kind, name, available, server)
    }
    return { entry: only, verify }
  }
  const offers = await offersOf(pool, request)
  try {
    return { entry: servers.get(route(kind, name, offers, server)) }
  } catch (error) {
    throw (error instanceof NotOfferedError && exitedUnlisted(pool, request)) || error
  }
}

/**
 * A server that exited before its `kind` was ever listed may have offered `name`: that it
 * exited is the truth to tell, not that nobody offers the name.
 */
function exitedUnlisted(
  { servers, catalogs }: Pool,
  { kind, name }: TargetRequest,
): ServerExitError | undefined {
  const method = METHOD_OF[kind]
  const entry = servers.live().find((e) => e.state === 'crashed' && !catalogs.get(e.name)?.everListed(kind))
  return entry && new ServerExitError(entry.name, entry.exit, entry.stderrTail(), `${method} ${name}`)
}

/** What each server offers of `kind` for `name`: ready ones as listed now, crashed ones as last listed. */
async function offersOf({ servers, catalogs }: Pool, { kind, name, signal }: TargetRequest): Promise<Offers> {
  const ready = catalogs.ready(servers.live())
  const offers = new Map(
    await Promise.all(
      ready.map(async ([server, catalog]) => [server, await catalog.offered(kind, name, signal)] as const),
    ),
  )
  for (const entry of servers.live()) {
    const catalog = catalogs.get(entry.name)
    if (entry.state === 'crashed' && catalog) offers.set(entry.name, catalog.lastKnown(kind))
  }
  return offers
}
