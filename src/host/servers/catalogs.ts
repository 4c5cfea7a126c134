// The catalogs of a host's servers, by server name: what each lists, for routing, the host's
// listings and a tool's definition. A server's catalog goes with its client (removed, stopped).
import type { Tool } from '@modelcontextprotocol/client'
import type { Catalog, Listed, ListKind } from '../routing/catalog.js'
import type { ServerEntry } from './server-entry.js'

export class Catalogs {
  readonly #byServer = new Map<string, Catalog>()

  set(server: string, catalog: Catalog): void {
    this.#byServer.set(server, catalog)
  }

  get(server: string): Catalog | undefined {
    return this.#byServer.get(server)
  }

  delete(server: string): void {
    this.#byServer.delete(server)
  }

  clear(): void {
    this.#byServer.clear()
  }

  /**
   * The tool `name` of `server` as listed: as last listed without `signal`, else listed now if
   * need be (bounded by `signal`).
   */
  async listedTool(server: string, name: string, signal?: AbortSignal): Promise<Tool | undefined> {
    const catalog = this.#byServer.get(server)
    if (!catalog) return undefined
    if (!signal) return catalog.lastListedTool(name)
    return (await catalog.list('tool', signal)).find((tool) => tool.name === name)
  }

  /** Lists the tools of `server` (once for every caller at a time; bounded by `signal`). */
  async listTools(server: string, signal: AbortSignal): Promise<void> {
    await this.#byServer.get(server)?.list('tool', signal)
  }

  /** Of `entries` (in their order, whatever order they became ready in), the ready ones with their catalogs. */
  ready(entries: readonly ServerEntry[]): Array<readonly [string, Catalog]> {
    return entries.flatMap((entry) => {
      const catalog = this.#byServer.get(entry.name)
      return entry.state === 'ready' && catalog ? [[entry.name, catalog] as const] : []
    })
  }

  /** Every ready server's `kind`, each item with its server's name. */
  async listAll<K extends ListKind>(
    kind: K,
    entries: readonly ServerEntry[],
    signal?: AbortSignal,
  ): Promise<Array<Listed<K> & { server: string }>> {
    const lists = await Promise.all(
      this.ready(entries).map(
        async ([server, catalog]) => [server, await catalog.list(kind, signal)] as const,
      ),
    )
    return lists.flatMap(([server, items]) => items.map((item) => ({ ...item, server })))
  }
}
