/**
 * The cassette errors (API.md "Cassettes"): a request the recording does not have, a cassette that is
 * needed and missing (CI, `'replay'`), and a cassette file that cannot be read or is not one.
 */
import { brandClass } from '../scope/class-brand.js'

/**
 * A request sent to a replayed server matched no recorded request (or the host answered a recorded
 * server→client request differently). `nearest` is the closest recorded request of that method.
 * @example
 * await expect(host.callTool('weather_lookup', { location: 'Paris' })).rejects.toThrow(CassetteMismatchError)
 */
export class CassetteMismatchError extends Error {
  static {
    brandClass(this, 'CassetteMismatchError')
  }

  override readonly name = 'CassetteMismatchError'
  readonly server: string
  readonly request: unknown
  readonly nearest?: unknown

  constructor(details: {
    server: string
    request: unknown
    nearest?: unknown
    difference: string
    file: string
    /** Set when the host's answer to this recorded server→client request differed. */
    answerTo?: string
  }) {
    const where = `Server "${details.server}" (replayed from ${details.file})`
    const nearest =
      details.nearest === undefined
        ? 'The cassette has no request of that method.'
        : `Nearest recorded: ${JSON.stringify(details.nearest)}\n  differs: ${details.difference}`
    const what =
      details.answerTo === undefined
        ? `${where} has no recorded answer to ${JSON.stringify(details.request)}.\n  ${nearest}`
        : `${where} asked the host ${details.answerTo}, and the host answered differently than when it was recorded: ${details.difference}\n  answered: ${JSON.stringify(details.request)}\n  recorded: ${JSON.stringify(details.nearest)}`
    super(
      `${what}\n  Re-record the cassette if the test changed on purpose: vitest -u (or VITEST_MCP_HOST_CASSETTES=record).`,
    )
    this.server = details.server
    this.request = details.request
    if (details.nearest !== undefined) this.nearest = details.nearest
  }
}

/** A cassette is needed and absent: in CI nothing is recorded, and `'replay'` never records. */
export class CassetteMissingError extends Error {
  static {
    brandClass(this, 'CassetteMissingError')
  }

  override readonly name = 'CassetteMissingError'
  readonly server: string
  readonly file: string

  constructor(details: { server: string; file: string; why: string }) {
    super(
      `Server "${details.server}" has no cassette at ${details.file}, and ${details.why}. Record it where the server can run (vitest run without CI set, or VITEST_MCP_HOST_CASSETTES=record) and commit it.`,
    )
    this.server = details.server
    this.file = details.file
  }
}

/** A cassette file could not be read or written, or is not a cassette (the platform error is its cause). */
export class CassetteFileError extends Error {
  static {
    brandClass(this, 'CassetteFileError')
  }

  override readonly name = 'CassetteFileError'
  readonly file: string

  constructor(file: string, problem: string, cause?: unknown) {
    const detail = cause instanceof Error ? `: ${cause.message}` : ''
    super(
      `Cassette ${file} ${problem}${detail}. Delete it and re-record (vitest -u), or restore it from version control.`,
      cause === undefined ? undefined : { cause },
    )
    this.file = file
  }
}
