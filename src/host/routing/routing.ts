// Routing by name: which server serves a tool, prompt or resource. Pure: catalogs in, a server out.
import { AmbiguousToolError, noSuchServer, notOffered, type RoutedKind } from '../errors.js'

/** What each server offers of one kind, by server name. */
export type Offers = ReadonlyMap<string, readonly string[]>

export function route(kind: RoutedKind, name: string, offers: Offers, server?: string): string {
  if (server !== undefined) {
    if (!offers.has(server)) throw noSuchServer(server, offers.keys())
    const names = offers.get(server) ?? []
    if (!names.includes(name)) throw notOffered(kind, name, names, server)
    return server
  }
  const serving = [...offers].filter(([, names]) => names.includes(name)).map(([s]) => s)
  if (serving.length === 1) return serving[0] as string
  if (serving.length > 1) throw new AmbiguousToolError(kind, name, serving)
  const available = [...offers].flatMap(([s, names]) => names.map((n) => `${n} (${s})`))
  throw notOffered(kind, name, available)
}
