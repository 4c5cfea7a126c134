// Errors of a server's lifecycle: it did not start, or it exited while in use. Closed is not crashed.
import { redactUrl } from './redact-url.js'
import type { ExitInfo } from './spawned.js'

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

/** A server did not start: spawn failure, exit before `initialize`, or startup timeout. */
export class ServerStartError extends Error {
  override readonly name = 'ServerStartError'
  readonly server: string
  readonly reason: StartFailure
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
  readonly stderrTail: string

  constructor(details: StartErrorDetails) {
    const cause = details.cause instanceof Error ? details.cause.message : String(details.cause)
    const spawned = details.command !== ''
    const what = {
      unreachable: `could not be reached${details.timeoutMs === undefined ? '' : ` within ${details.timeoutMs} ms (startupTimeout)`}: ${cause}`,
      spawn: `could not be spawned (${details.cause instanceof Error ? details.cause.message : String(details.cause)})`,
      exit: `${describeExit(details.exit)} before answering initialize`,
      timeout: `did not answer initialize within ${details.timeoutMs} ms (startupTimeout)${spawned ? '; it was stopped' : ''}`,
      protocol: `failed during initialize: ${details.cause instanceof Error ? details.cause.message : String(details.cause)}`,
    }[details.reason]
    const note = details.note === undefined ? '' : ` (${details.note})`
    const command = spawned ? `\n  command: ${details.command}` : ''
    const url = details.url === undefined ? '' : `\n  url: ${redactUrl(details.url)}`
    const stderr = spawned ? stderrSection(details.stderrTail) : ''
    super(`Server "${details.server}" ${what}${note}.${command}${url}${stderr}`, { cause: details.cause })
    this.server = details.server
    this.reason = details.reason
    this.exitCode = details.exit?.code ?? null
    this.signal = details.exit?.signal ?? null
    this.stderrTail = details.stderrTail
  }
}

/** A server exited while in use; its pending requests reject with this at once. */
export class ServerExitError extends Error {
  override readonly name = 'ServerExitError'
  readonly server: string
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
  readonly stderrTail: string

  /**
   * `unreachable`: a server the host does not own (by URL) stopped answering: the network error
   * (`connect ECONNREFUSED 127.0.0.1:8080`), the closest a remote server comes to exiting.
   */
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
    this.exitCode = exit?.code ?? null
    this.signal = exit?.signal ?? null
    this.stderrTail = stderrTail
  }
}
