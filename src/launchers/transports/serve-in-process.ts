// Serves a server object in this process (memory) or thread (worker) over a transport the host made:
// an SDK v2 server on both protocol revisions, an SDK 1.x one (or any other `connect`able) on 2025-11-25.

/** What a memory/worker factory must return: an McpServer or low-level Server of either SDK. */
export interface ServerLike {
  connect(transport: never): Promise<void>
  close(): Promise<void>
}

/** A served server: `close()` ends the connection and every instance made for it. */
export interface ServedServer {
  /** `'v2'`: the SDK's era-owning entry serves it (both revisions); `'connect'`: `server.connect()` (2025-11-25). */
  readonly served: 'v2' | 'connect'
  close(): Promise<void>
}

/** Options of {@link serveInProcess}. */
export interface ServeInProcessOptions {
  /** The factory again, for a further instance (SDK v2's entry asks for one per era decision). */
  again: () => unknown
  /** Out-of-band errors of the v2 entry (reporting only). */
  onerror?: (error: Error) => void
}

/** By shape, not instanceof: the SDK's low-level Server serves too, and so does another copy of the SDK. */
export function isServerLike(value: unknown): value is ServerLike {
  const candidate = value as { connect?: unknown; close?: unknown } | null | undefined
  return typeof candidate?.connect === 'function' && typeof candidate.close === 'function'
}

type V2Shape = { getNegotiatedProtocolVersion?: unknown; server?: { getNegotiatedProtocolVersion?: unknown } }

/**
 * An SDK v2 McpServer or Server, by shape: v2's low-level `Server` has `getNegotiatedProtocolVersion()`,
 * 1.x's has not (an McpServer carries its Server as `.server`).
 */
export function isV2Server(value: ServerLike): boolean {
  const shape = value as V2Shape
  return (
    typeof shape.getNegotiatedProtocolVersion === 'function' ||
    typeof shape.server?.getNegotiatedProtocolVersion === 'function'
  )
}

// The low-level Server of a v2 McpServer: the SDK's entry unwraps McpServer with `instanceof`, which
// fails for a copy of the SDK other than ours (a bundled server); a Server it connects as it is, and
// McpServer.connect()/close() only forward to it.
function lowLevel(server: ServerLike): ServerLike {
  const inner = (server as { server?: unknown }).server
  return isServerLike(inner) && isV2Server(inner) ? inner : server
}

/**
 * Serves `made` over `transport`. A v2 server is served by `serveStdio(factory, { transport })` from
 * `@modelcontextprotocol/server/stdio` (loaded on first use): the first instance is `made`, any further
 * one comes from `options.again()`, within the caller's startup deadline (they are made while the
 * client connects). Anything else is `connect()`ed: 2025-11-25 only.
 *
 * @example
 * const served = await serveInProcess(made, serverSide, { again: config.server })
 * await served.close()
 */
export async function serveInProcess(
  made: ServerLike,
  transport: unknown,
  options: ServeInProcessOptions,
): Promise<ServedServer> {
  if (!isV2Server(made)) {
    await made.connect(transport as never)
    return { served: 'connect', close: () => made.close() }
  }
  const { serveStdio } = await import('@modelcontextprotocol/server/stdio')
  let first: ServerLike | undefined = made
  const factory = async () => {
    const next = first ?? (await options.again())
    first = undefined
    if (!isServerLike(next)) throw new Error('server() returned no McpServer for a further connection')
    return lowLevel(next) as never
  }
  const handle = serveStdio(factory, {
    transport: transport as never,
    ...(options.onerror ? { onerror: options.onerror } : {}),
  })
  return {
    served: 'v2',
    close: async () => {
      await handle.close()
      // Never asked for (no message arrived): still ours to close.
      if (first) await first.close()
    },
  }
}
