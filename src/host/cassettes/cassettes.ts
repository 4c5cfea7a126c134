// A host's cassettes in one test (API.md "Cassettes"): which of its servers are replayed or recorded,
// the mismatches its replays saw, and the recordings to write once the test passed.
import { type CassetteTest, type CassetteUse, cassetteFor } from '../../cassette/cassette-for.js'
import type { CassetteMismatchError } from '../../cassette/errors.js'
import type { CassetteSettings } from '../../cassette/options.js'
import type { ClientSide } from '../../launchers/client/client.js'
import type { ServerConfig } from '../config/config-types.js'

/** The test a host works for and the mode it runs in: what decides each server's cassette. */
export interface HostCassetteOptions {
  readonly test: CassetteTest
  readonly settings: CassetteSettings
}

export class HostCassettes {
  readonly #options: HostCassetteOptions
  // By server name: a server started again under its name (removeServer, addServer) replaces its use.
  readonly #uses = new Map<string, CassetteUse>()
  readonly #replays: Array<CassetteUse & { kind: 'replay' }> = []

  constructor(options: HostCassetteOptions) {
    this.#options = options
  }

  /**
   * What `server` does in this test: replayed, recorded, or neither (undefined). Throws
   * CassetteMissingError (CI, `'replay'`) or CassetteFileError (an unreadable file): a start error.
   */
  use(server: string, config: ServerConfig): CassetteUse | undefined {
    const use = cassetteFor(server, config.cassette, this.#options.test, this.#options.settings)
    if (!use) return undefined
    this.#uses.set(server, use)
    if (use.kind === 'replay') this.#replays.push(use)
    return use
  }

  /** What `server` (its latest start) does in this test: replayed, recorded, or neither. */
  of(server: string): CassetteUse | undefined {
    return this.#uses.get(server)
  }

  /** Every request a replay could not answer (also those whose rejection the test caught). */
  mismatches(): CassetteMismatchError[] {
    return this.#replays.flatMap((use) => [...use.transport.mismatches()])
  }

  /** The cassette files this host replayed or recorded, for the obsolete-cassette report. */
  files(): string[] {
    return [
      ...new Set([...this.#replays.map((use) => use.file), ...[...this.#uses.values()].map((u) => u.file)]),
    ]
  }

  /** Writes every recording (a CassetteFileError if one cannot be written); call once the test passed. */
  save(): string[] {
    const written: string[] = []
    for (const use of this.#uses.values()) {
      if (use.kind !== 'record') continue
      use.save()
      written.push(use.file)
    }
    return written
  }
}

/** `side`, with a recorded server's recorder as one more listener on each of its wire taps. */
export function recordingSide(side: ClientSide, use: CassetteUse | undefined): ClientSide {
  if (use?.kind !== 'record') return side
  return {
    ...side,
    observe: (tap) => {
      side.observe?.(tap)
      tap.listen(use.listener)
    },
  }
}
