// What each server offers (tools, prompts, resources, resource templates), fetched page by page,
// cached until it changes.
import {
  type Client,
  type Prompt,
  ProtocolError,
  ProtocolErrorCode,
  type Resource,
  type ResourceTemplateType as ResourceTemplate,
  type Tool,
  UriTemplate,
} from '@modelcontextprotocol/client'
import { untilAborted } from '../../launchers/util/wait.js'
import { namingMalformedResult, type RoutedKind } from '../errors.js'

interface Lists {
  tool: Tool[]
  prompt: Prompt[]
  resource: Resource[]
  template: ResourceTemplate[]
}

/** What a catalog lists: the routed kinds and resource templates. */
export type ListKind = keyof Lists

/** One listed item of `kind`: a Tool, a Prompt, a Resource or a ResourceTemplate. */
export type Listed<K extends ListKind> = Lists[K][number]

/**
 * A listing stops after this many pages: a server that always answers with a `nextCursor` would
 * otherwise be listed forever, its items piling up in memory.
 */
export const MAX_LIST_PAGES = 1000

export function nameOf<K extends ListKind>(kind: K, item: Lists[K][number]): string {
  if (kind === 'resource') return (item as Resource).uri
  if (kind === 'template') return (item as ResourceTemplate).uriTemplate
  return (item as Tool | Prompt).name
}

const METHODS = {
  tool: 'tools/list',
  prompt: 'prompts/list',
  resource: 'resources/list',
  template: 'resources/templates/list',
} as const

/**
 * One page; `timeout` (the server's or host's requestTimeout) bounds it, else the SDK's default.
 * Sent as plain requests, page by page: the SDK v2's `listTools()` without a cursor walks every page
 * itself (stopping quietly on a repeated page) and serves later calls from its response cache; the
 * host counts pages itself and always asks the server.
 */
function fetchPage(client: Client, kind: ListKind, cursor: string | undefined, timeout: number | undefined) {
  const params = cursor === undefined ? {} : { cursor }
  const options = { timeout }
  switch (kind) {
    case 'tool':
      return client
        .request({ method: 'tools/list', params }, options)
        .then((r) => ({ items: r.tools, next: r.nextCursor }))
    case 'prompt':
      return client
        .request({ method: 'prompts/list', params }, options)
        .then((r) => ({ items: r.prompts, next: r.nextCursor }))
    case 'resource':
      return client
        .request({ method: 'resources/list', params }, options)
        .then((r) => ({ items: r.resources, next: r.nextCursor }))
    case 'template':
      return client.request({ method: 'resources/templates/list', params }, options).then(
        (r) => ({ items: r.resourceTemplates, next: r.nextCursor }),
        // Templates came later to the protocol than resources: a server without them has none.
        (error) => {
          if (error instanceof ProtocolError && error.code === ProtocolErrorCode.MethodNotFound)
            return { items: [], next: undefined }
          throw error
        },
      )
  }
}

async function fetchAll<K extends ListKind>(
  server: string,
  client: Client,
  kind: K,
  timeout: number | undefined,
): Promise<Lists[K]> {
  const capabilities = client.getServerCapabilities() ?? {}
  const capability = kind === 'tool' ? 'tools' : kind === 'prompt' ? 'prompts' : 'resources'
  if (!capabilities[capability]) return []
  const items: Lists[K][number][] = []
  const seen = new Set<string>()
  let cursor: string | undefined
  for (let pages = 0; ; pages++) {
    if (pages === MAX_LIST_PAGES || (cursor !== undefined && seen.has(cursor))) {
      const why =
        pages === MAX_LIST_PAGES ? `${pages} pages` : `cursor ${JSON.stringify(cursor)} came back again`
      throw new ProtocolError(
        ProtocolErrorCode.InternalError,
        `Server "${server}" never ended its ${METHODS[kind]} (${why}); the host stopped listing. ` +
          'A server must leave out nextCursor on the last page.',
      )
    }
    if (cursor !== undefined) seen.add(cursor)
    const page = await fetchPage(client, kind, cursor, timeout).catch((error: unknown) => {
      throw namingMalformedResult(error, server, METHODS[kind])
    })
    items.push(...(page.items as Lists[K][number][]))
    cursor = page.next
    if (!cursor) return items as Lists[K]
  }
}

/** One server's lists; a `list_changed` notification drops the cached list of that kind. */
export class Catalog {
  readonly #server: string
  readonly #client: Client
  readonly #exclude: ReadonlySet<string>
  readonly #pageTimeout: number | undefined
  readonly #cache: { [K in ListKind]?: Promise<Lists[K]> } = {}
  // The last list fetched of each kind, kept after the server exits, for naming what it served.
  readonly #last: { [K in ListKind]?: Lists[K] } = {}

  /** `pageTimeout`: the server's (else the host's) requestTimeout, for each page it is asked for. */
  constructor(server: string, client: Client, exclude: readonly string[] = [], pageTimeout?: number) {
    this.#server = server
    this.#client = client
    this.#exclude = new Set(exclude)
    this.#pageTimeout = pageTimeout
    client.setNotificationHandler('notifications/tools/list_changed', async () => {
      delete this.#cache.tool
    })
    client.setNotificationHandler('notifications/prompts/list_changed', async () => {
      delete this.#cache.prompt
    })
    client.setNotificationHandler('notifications/resources/list_changed', async () => {
      delete this.#cache.resource
      delete this.#cache.template
    })
  }

  /**
   * The items of `kind` this server offers, less the excluded names. One listing serves every
   * caller at once; each caller stops waiting when its own `signal` aborts.
   */
  async list<K extends ListKind>(kind: K, signal?: AbortSignal): Promise<Lists[K]> {
    if (!this.#cache[kind]) {
      const fetching = fetchAll(this.#server, this.#client, kind, this.#pageTimeout).then(
        (items) => {
          this.#last[kind] = items as never
          return items
        },
        (error) => {
          delete this.#cache[kind]
          throw error
        },
      )
      this.#cache[kind] = fetching as never
    }
    return this.#visible(
      kind,
      (await untilAborted(this.#cache[kind] as Promise<Lists[K]>, signal)) as Lists[K],
    )
  }

  /** The names of `kind` this server offered when last listed, without asking it again. */
  lastKnown(kind: ListKind): string[] {
    return this.#visible(kind, this.#last[kind] ?? []).map((item) => nameOf(kind, item))
  }

  /** The tool `name` as this server last listed it, without asking it again. */
  lastListedTool(name: string): Tool | undefined {
    return this.#last.tool?.find((tool) => tool.name === name)
  }

  /** Whether `kind` was ever listed: a server that exited before it was knew nothing we can name. */
  everListed(kind: ListKind): boolean {
    return this.#last[kind] !== undefined
  }

  /** Whether routing hides some of this server's names (so nothing may be sent to it unchecked). */
  get hidesNames(): boolean {
    return this.#exclude.size > 0
  }

  /**
   * The names under which `kind` routes `name` here: the listed names, and for resources `name`
   * itself when one of the server's resource templates matches it or is it (`complete()` names a
   * template by its URI template).
   */
  async offered(kind: RoutedKind, name: string, signal?: AbortSignal): Promise<string[]> {
    const names = (await this.list(kind, signal)).map((item) => nameOf(kind, item))
    if (kind !== 'resource' || names.includes(name)) return names
    const templates = await this.list('template', signal)
    const routed = templates.some((t) => t.uriTemplate === name || matches(t.uriTemplate, name))
    return routed ? [...names, name] : names
  }

  #visible<K extends ListKind>(kind: K, items: Lists[K]): Lists[K] {
    return items.filter((item) => !this.#exclude.has(nameOf(kind, item))) as Lists[K]
  }
}

/** Whether `uri` is an instance of the RFC 6570 `template`; a template that does not parse matches nothing. */
function matches(template: string, uri: string): boolean {
  try {
    return new UriTemplate(template).match(uri) !== null
  } catch {
    return false
  }
}
