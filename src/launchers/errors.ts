// Errors of a server's lifecycle: it did not start, or it exited while in use. Closed is not crashed.

import { brandClass } from '../scope/class-brand.js'
import type { ExitInfo } from './processes/spawned-process.js'
import { redactUrl } from './util/redact-url.js'

/** `unreachable`: nothing answered at its URL (refused, reset, unresolvable) until the startup timeout. */
export type StartFailure = 'spawn' | 'exit' | 'timeout' | 'protocol' | 'unreachable'

function describeExit(exit: ExitInfo | undefined): string {
  if (!exit) return 'is still running'
  if (exit.stdoutClosed) return 'closed its stdout (its process kept running; the host stops it)'
  if (exit.signal) return `was killed by ${exit.signal}`
  return `exited with code ${exit.code}${exit.reason ? ` (${exit.reason})` : ''}`
}

function stderrSection(stderrTail: string): string {
  if (stderrTail.trim() === '') return '\n  stderr: (empty)'
  const lines = stderrTail.split('\n')
  return `\n  stderr (last ${lines.length} line${lines.length === 1 ? '' : 's'}):\n${lines.map((l) => `    ${l}`).join('\n')}`
}

export interface StartErrorDetails {
  server: string
  reason: StartFailure
  /** Its command line; empty for a server the host did not spawn (by URL). */
  command: string
  /** Where it was asked to initialize, for HTTP servers. */
  url?: string
  /** Said after what went wrong, e.g. why nothing answered. */
  note?: string
  exit?: ExitInfo | undefined
  stderrTail: string
  timeoutMs?: number
  cause?: unknown
}

/** JSON-RPC error of a server that does not speak the requested protocol revision (SDK v2, both eras). */
const UNSUPPORTED_PROTOCOL_VERSION = -32022

/** SDK v2's error when a pinned 2026-07-28 was not offered by the server's `server/discover`. */
const PIN_NOT_OFFERED = /did not offer pinned protocol version/

/** Whether `error` is SDK v2's failed version negotiation (a pinned revision the server lacks, a failed probe). */
function isNegotiationFailure(error: unknown): boolean {
  return (error as { code?: unknown } | null | undefined)?.code === 'ERA_NEGOTIATION_FAILED'
}

/**
 * The revisions a server said it speaks when it refused ours: its `-32022` error's `data.supported`
 * (what SDK v2 servers send), or 2025-11-25 for a server without `server/discover` when 2026-07-28
 * was pinned; undefined for any other failure.
 */
export function offeredRevisions(cause: unknown): readonly string[] | undefined {
  if (typeof cause !== 'object' || cause === null) return undefined
  const { code, data } = cause as { code?: unknown; data?: { supported?: unknown } }
  if (isNegotiationFailure(cause) && PIN_NOT_OFFERED.test(String((cause as Error).message)))
    return ['2025-11-25']
  if (code !== UNSUPPORTED_PROTOCOL_VERSION) return undefined
  const supported = data?.supported
  if (!Array.isArray(supported) || !supported.every((v) => typeof v === 'string')) return undefined
  return supported as string[]
}

/** A server did not start: spawn failure, exit before `initialize`, or startup timeout. */
export class ServerStartError extends Error {
  static {
    brandClass(this, 'ServerStartError')
  }

  override readonly name = 'ServerStartError'
  readonly server: string
  readonly reason: StartFailure
  /** Its exit code; undefined when it has none (not spawned, still running, or killed by a signal). */
  readonly exitCode: number | undefined
  /** The signal that ended it; undefined when none did. */
  readonly signal: NodeJS.Signals | undefined
  readonly stderrTail: string
  /** The protocol revisions the server offered when it refused the host's; undefined otherwise. */
  readonly offered: readonly string[] | undefined

  constructor(details: StartErrorDetails) {
    const cause = details.cause instanceof Error ? details.cause.message : String(details.cause)
    const offered = details.reason === 'protocol' ? offeredRevisions(details.cause) : undefined
    const spawned = details.command !== ''
    const what = {
      unreachable: `could not be reached${details.timeoutMs === undefined ? '' : ` within ${details.timeoutMs} ms (startupTimeout)`}: ${cause}`,
      spawn: `could not be spawned (${details.cause instanceof Error ? details.cause.message : String(details.cause)})`,
      exit: `${describeExit(details.exit)} before answering initialize`,
      timeout: `did not answer initialize within ${details.timeoutMs} ms (startupTimeout)${spawned ? '; it was stopped' : ''}`,
      protocol: `failed during initialize: ${details.cause instanceof Error ? details.cause.message : String(details.cause)}`,
    }[details.reason]
    // A pinned revision the server lacks: say what it speaks and how to reach it, not just -32022.
    const revisions = offered
      ? ` (it speaks ${offered.join(', ')}: set its \`protocol\` to 'auto' or to a revision it speaks)`
      : ''
    const note = details.note === undefined ? revisions : ` (${details.note})${revisions}`
    const command = spawned ? `\n  command: ${details.command}` : ''
    const url = details.url === undefined ? '' : `\n  url: ${redactUrl(details.url)}`
    const stderr = spawned ? stderrSection(details.stderrTail) : ''
    super(`Server "${details.server}" ${what}${note}.${command}${url}${stderr}`, { cause: details.cause })
    this.server = details.server
    this.reason = details.reason
    this.exitCode = details.exit?.code ?? undefined
    this.signal = details.exit?.signal ?? undefined
    this.stderrTail = details.stderrTail
    this.offered = offered
  }
}

/** A server exited while in use; its pending requests reject with this at once. */
export class ServerExitError extends Error {
  static {
    brandClass(this, 'ServerExitError')
  }

  override readonly name = 'ServerExitError'
  readonly server: string
  /** Its exit code; undefined when it has none (killed by a signal, or a server not ours). */
  readonly exitCode: number | undefined
  /** The signal that ended it; undefined when none did. */
  readonly signal: NodeJS.Signals | undefined
  readonly stderrTail: string

  /**
   * `unreachable`: a server the host does not own (by URL) stopped answering: the network error
   * (`connect ECONNREFUSED 127.0.0.1:8080`), the closest a remote server comes to exiting.
   */
  // Positional, not a named object (issue 26 §2): a public constructor (api/), users may call it.
  constructor(
    server: string,
    exit: ExitInfo | undefined,
    stderrTail: string,
    during?: string,
    unreachable?: { url: string; error: Error },
  ) {
    const what = unreachable
      ? `at ${redactUrl(unreachable.url)} stopped answering (${unreachable.error.message})`
      : describeExit(exit)
    super(
      `Server "${server}" ${what} while in use${during ? ` (during ${during})` : ''}.` +
        (unreachable ? '' : stderrSection(stderrTail)),
      unreachable ? { cause: unreachable.error } : undefined,
    )
    this.server = server
    this.exitCode = exit?.code ?? undefined
    this.signal = exit?.signal ?? undefined
    this.stderrTail = stderrTail
  }
}
