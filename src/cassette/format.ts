/**
 * The cassette file (API.md "Cassettes"): one JSON file per test and server in `__cassettes__/`
 * beside the test file. Keys in a fixed order at the top and sorted below, two-space indent and a
 * final newline, so a re-record is a reviewable diff. Messages are both ways, in wire order, as the
 * host's tap saw them (after `redact`).
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Json } from './canonical.js'
import { CassetteFileError } from './errors.js'

/** Bumped when the file's meaning changes; an older reader refuses a newer file. */
export const CASSETTE_FORMAT = 1

export interface CassetteMessage {
  /** `out`: the host to the server; `in`: the server to the host. */
  readonly dir: 'out' | 'in'
  readonly message: { [key: string]: Json }
}

export interface Cassette {
  readonly format: typeof CASSETTE_FORMAT
  readonly server: string
  /** The test's full name (`describe > test`), for the reader. */
  readonly test: string
  /** The protocol revision the recorded connection landed on. */
  readonly revision: string | null
  /** ISO date of the recording. */
  readonly recordedAt: string
  readonly messages: readonly CassetteMessage[]
}

const slug = (text: string) =>
  text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80) || 'test'

/**
 * `<dir of test>/__cassettes__/<test file name>/<test slug>-<hash>.<server>.json`: readable, and the
 * hash of the exact names keeps two tests whose slugs collide apart.
 */
export function cassettePath(testFile: string, testName: string, server: string): string {
  const hash = createHash('sha256').update(`${testName}\0${server}`).digest('hex').slice(0, 8)
  return path.join(
    path.dirname(testFile),
    '__cassettes__',
    path.basename(testFile),
    `${slug(testName)}-${hash}.${slug(server)}.json`,
  )
}

/** The file's text: fixed top-level order, sorted keys below. */
export function serializeCassette(cassette: Cassette): string {
  const ordered = {
    format: cassette.format,
    server: cassette.server,
    test: cassette.test,
    revision: cassette.revision,
    recordedAt: cassette.recordedAt,
    messages: cassette.messages.map((m) => ({ dir: m.dir, message: canonicalMessage(m.message) })),
  }
  return `${JSON.stringify(ordered, null, 2)}\n`
}

// `canonical` drops `_meta`; a message keeps it (the replay sends what the server sent).
function canonicalMessage(message: { [key: string]: Json }): { [key: string]: Json } {
  const sort = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(sort)
    if (v !== null && typeof v === 'object') {
      const out: { [key: string]: Json } = {}
      for (const key of Object.keys(v).sort()) out[key] = sort(v[key] as Json)
      return out
    }
    return v
  }
  return sort(message) as { [key: string]: Json }
}

/** Writes atomically (a temp file renamed over), so a killed run never leaves half a cassette. */
export function writeCassette(file: string, cassette: Cassette): void {
  const temp = `${file}.${process.pid}.tmp`
  try {
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(temp, serializeCassette(cassette))
    renameSync(temp, file)
  } catch (error) {
    throw new CassetteFileError(file, 'could not be written', error)
  }
}

/** The cassette at `file`, or undefined if there is none; anything else unreadable is a CassetteFileError. */
export function readCassette(file: string): Cassette | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new CassetteFileError(file, 'could not be read', error)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new CassetteFileError(file, 'is not valid JSON', error)
  }
  const problem = shapeProblem(data)
  if (problem) throw new CassetteFileError(file, `is not a cassette (${problem})`)
  return data as Cassette
}

function shapeProblem(data: unknown): string | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return 'expected an object'
  const c = data as Record<string, unknown>
  if (c.format !== CASSETTE_FORMAT)
    return `format ${JSON.stringify(c.format)}, this version reads ${CASSETTE_FORMAT}`
  if (typeof c.server !== 'string') return 'no "server"'
  if (!Array.isArray(c.messages)) return 'no "messages" array'
  const bad = c.messages.findIndex(
    (m) =>
      m === null ||
      typeof m !== 'object' ||
      ((m as { dir?: unknown }).dir !== 'out' && (m as { dir?: unknown }).dir !== 'in') ||
      typeof (m as { message?: unknown }).message !== 'object' ||
      (m as { message?: unknown }).message === null,
  )
  return bad >= 0 ? `messages[${bad}] is not { dir: 'out' | 'in', message: {…} }` : undefined
}
