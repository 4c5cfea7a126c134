// Host methods that one protocol revision lacks: on a connection that landed on it they reject with a
// ConfigError naming the revision that has them, before anything is sent (the SDK would throw its own
// METHOD_NOT_SUPPORTED_BY_PROTOCOL_VERSION error, which says nothing about the host's `protocol`).
import { ConfigError } from '../errors.js'
import type { ServerEntry } from '../servers/server-entry.js'

/** The revision each method needs, where the other one lacks it. */
const ONLY_ON: Readonly<Record<string, string>> = {
  'ping()': '2025-11-25',
  'setLoggingLevel()': '2025-11-25',
}

/** Throws when `entry`'s connection landed on a revision without `method`. */
export function requireRevisionFor(entry: ServerEntry, method: keyof typeof ONLY_ON): void {
  const needs = ONLY_ON[method]
  if (needs === undefined || entry.era === undefined || entry.era === needs) return
  const message =
    `landed on protocol ${entry.era}, which has no ${method}: it exists on ${needs}. ` +
    `Pin the server's \`protocol\` to '${needs}' to use it; nothing was sent`
  throw new ConfigError(
    [{ path: `servers.${entry.name}.protocol`, message }],
    `${method} on server "${entry.name}"`,
  )
}
