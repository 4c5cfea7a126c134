// What each server offers (tools, prompts, resources), fetched page by page, cached until it changes.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import {
  type Prompt,
  PromptListChangedNotificationSchema,
  type Resource,
  ResourceListChangedNotificationSchema,
  type Tool,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js'
import type { RoutedKind } from './errors.js'

interface Lists {
  tool: Tool[]
  prompt: Prompt[]
  resource: Resource[]
}

/** One listed item of `kind`: a Tool, a Prompt or a Resource. */
export type Listed<K extends RoutedKind> = Lists[K][number]

export function nameOf<K extends RoutedKind>(kind: K, item: Lists[K][number]): string {
  return kind === 'resource' ? (item as Resource).uri : (item as Tool | Prompt).name
}

async function fetchAll<K extends RoutedKind>(client: Client, kind: K): Promise<Lists[K]> {
  const capabilities = client.getServerCapabilities() ?? {}
  const capability = { tool: 'tools', prompt: 'prompts', resource: 'resources' }[
    kind
  ] as keyof typeof capabilities
  if (!capabilities[capability]) return []
  const items: Lists[K][number][] = []
  let cursor: string | undefined
  do {
    const page =
      kind === 'tool'
        ? await client.listTools({ cursor }).then((r) => ({ items: r.tools, next: r.nextCursor }))
        : kind === 'prompt'
          ? await client.listPrompts({ cursor }).then((r) => ({ items: r.prompts, next: r.nextCursor }))
          : await client.listResources({ cursor }).then((r) => ({ items: r.resources, next: r.nextCursor }))
    items.push(...(page.items as Lists[K][number][]))
    cursor = page.next
  } while (cursor)
  return items as Lists[K]
}

/** One server's lists; a `list_changed` notification drops the cached list of that kind. */
export class Catalog {
  readonly #client: Client
  readonly #exclude: ReadonlySet<string>
  readonly #cache: { [K in RoutedKind]?: Promise<Lists[K]> } = {}
  // The last list fetched of each kind, kept after the server exits, for naming what it served.
  readonly #last: { [K in RoutedKind]?: Lists[K] } = {}

  constructor(client: Client, exclude: readonly string[] = []) {
    this.#client = client
    this.#exclude = new Set(exclude)
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
      delete this.#cache.tool
    })
    client.setNotificationHandler(PromptListChangedNotificationSchema, async () => {
      delete this.#cache.prompt
    })
    client.setNotificationHandler(ResourceListChangedNotificationSchema, async () => {
      delete this.#cache.resource
    })
  }

  /** The items of `kind` this server offers, less the excluded names. */
  async list<K extends RoutedKind>(kind: K): Promise<Lists[K]> {
    if (!this.#cache[kind]) {
      const fetching = fetchAll(this.#client, kind).then(
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
    return this.#visible(kind, (await this.#cache[kind]) as Lists[K])
  }

  /** The names of `kind` this server offered when last listed, without asking it again. */
  lastKnown(kind: RoutedKind): string[] {
    return this.#visible(kind, this.#last[kind] ?? []).map((item) => nameOf(kind, item))
  }

  /** Whether routing hides some of this server's names (so nothing may be sent to it unchecked). */
  get hidesNames(): boolean {
    return this.#exclude.size > 0
  }

  #visible<K extends RoutedKind>(kind: K, items: Lists[K]): Lists[K] {
    return items.filter((item) => !this.#exclude.has(nameOf(kind, item))) as Lists[K]
  }
}
