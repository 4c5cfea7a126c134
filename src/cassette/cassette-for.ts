/**
 * The one seam between the host and cassettes: for one server of one test, whether it is replayed
 * (a transport to connect the host's client to, no process) or recorded (a listener for the
 * server's WireTap, and `save()` once the test passed), or neither.
 *
 * The decision is the snapshot one: `-u` (update `'all'`) or `'record'` re-records; a cassette
 * on disk is replayed; a missing one is recorded, except in CI (update `'none'`, as Vitest decides
 * for snapshots) and in `'replay'`, where it fails the test with CassetteMissingError.
 */
import { CassetteMissingError } from './errors.js'
import { cassettePath, readCassette, writeCassette } from './format.js'
import type { CassetteSettings, ServerCassetteSetting } from './options.js'
import { type CassetteRecorder, recordCassette } from './recorder.js'
import { type ReplayTransport, replayCassette } from './replay.js'

/** The test a server runs for: its file (absolute) and full name (`describe > test`). */
export interface CassetteTest {
  readonly file: string
  readonly name: string
}

export type CassetteUse =
  | { readonly kind: 'replay'; readonly file: string; readonly transport: ReplayTransport }
  | {
      readonly kind: 'record'
      readonly file: string
      /** Add to the server's WireTap (`tap.listen(listener)`). */
      readonly listener: CassetteRecorder
      /** Writes the cassette; call when the test passed (a failed test's traffic is not worth keeping). */
      save(): void
    }

/** What `server` does in `test` under `settings`; undefined: talk to the real server, record nothing. */
export function cassetteFor(
  server: string,
  setting: ServerCassetteSetting | undefined,
  test: CassetteTest,
  settings: CassetteSettings,
): CassetteUse | undefined {
  if (setting === undefined || setting === false || settings.mode === 'off') return undefined
  const redact = setting === true ? [] : (setting.redact ?? [])
  const file = cassettePath(test.file, test.name, server)
  const rerecord = settings.mode === 'record' || (settings.mode === 'auto' && settings.update === 'all')
  const cassette = rerecord ? undefined : readCassette(file)
  if (cassette) return { kind: 'replay', file, transport: replayCassette(cassette, { server, file, redact }) }
  if (settings.mode === 'replay')
    throw new CassetteMissingError({ server, file, why: "the cassette mode is 'replay'" })
  if (settings.mode === 'auto' && settings.update === 'none')
    throw new CassetteMissingError({ server, file, why: 'in CI (CI is set) nothing is recorded' })
  const listener = recordCassette({ server, test: test.name, redact })
  return { kind: 'record', file, listener, save: () => writeCassette(file, listener.cassette()) }
}
