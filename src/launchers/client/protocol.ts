// The protocol revisions the host speaks, and how a `protocol` setting becomes the SDK v2 client's
// version negotiation.
import type { VersionNegotiationOptions } from '@modelcontextprotocol/client'

/**
 * The MCP revisions the host's client speaks, oldest first (newest last): `2025-11-25` (initialize,
 * sessions, server→client requests) and `2026-07-28` (stateless: `server/discover`, `_meta` per
 * request, `input_required` rounds).
 *
 * @example
 * ```ts
 * test.for(PROTOCOL_REVISIONS)('looks up the weather [%s]', async (protocol) => { ... })
 * ```
 */
export const PROTOCOL_REVISIONS: readonly ProtocolRevision[] = Object.freeze(['2025-11-25', '2026-07-28'])

/** One protocol revision the host speaks (API.md: a union of its own, not derived from the list). */
export type ProtocolRevision = '2025-11-25' | '2026-07-28'

/** A host's or server's `protocol`: a revision, or `'auto'` (the newest both sides speak). */
export type ProtocolSetting = ProtocolRevision | 'auto'

/**
 * The `protocol` of a host and server that set none. 2025-11-25 until every host method has its
 * 2026-07-28 form (issue 21 step 4: `ping`, `setLoggingLevel` as a per-request level,
 * `subscribeResource` through `subscriptions/listen`), and until 'auto' falls back for stdio servers
 * that exit on `server/discover`; then 'auto'. Set `protocol: 'auto'` (or '2026-07-28') to opt in.
 */
export const DEFAULT_PROTOCOL: ProtocolSetting = '2025-11-25'

/** Whether `value` is a `protocol` setting. */
export function isProtocolSetting(value: unknown): value is ProtocolSetting {
  return value === 'auto' || (PROTOCOL_REVISIONS as readonly unknown[]).includes(value)
}

/**
 * The client's negotiation for `setting`: `2025-11-25` is the plain initialize handshake; `2026-07-28`
 * is pinned (a server that lacks it fails the start); `'auto'` asks `server/discover` first on the
 * live connection and falls back to initialize when the server does not know it (-32601), one round
 * trip, no probe process.
 */
export function negotiationFor(setting: ProtocolSetting): VersionNegotiationOptions {
  if (setting === '2025-11-25') return { mode: 'legacy' }
  if (setting === '2026-07-28') return { mode: { pin: '2026-07-28' } }
  return { mode: 'auto' }
}
