// A server's stdout junk: each line shortened for reports, the latest kept, every one counted.

/** A line on stdout that is not a JSON-RPC message: kept (shortened) and reported, never silently dropped. */
export interface StdoutNoise {
  /** The line as reports show it: at most NOISE_SHOWN characters, then its full size. */
  readonly line: string
  readonly reason: string
  /** Its full size in bytes. */
  readonly bytes: number
}

/** Why a line is noise: not JSON at all, or JSON that is no JSON-RPC message (`{"debug": 1}`). */
export const NOT_JSON = 'not JSON'
export const NOT_JSON_RPC = 'JSON, but not a JSON-RPC message'

/** Characters of a junk line that reports (and the one-time warning) show. */
export const NOISE_SHOWN = 200
/** Junk lines kept per server; older ones are only counted. */
const KEPT = 20

/**
 * How `line` (bytes of stdout) is shown: the first NOISE_SHOWN characters, then its size if
 * there was more. Only its start is decoded: a 100 MB line costs no 100 MB string here.
 */
export function shownLine(line: Buffer): string {
  const start = line
    .subarray(0, NOISE_SHOWN * 4)
    .toString('utf8')
    .replace(/\r$/, '')
  if (start.length <= NOISE_SHOWN && line.length <= NOISE_SHOWN * 4) return start
  return `${start.slice(0, NOISE_SHOWN)}… (${line.length} bytes in all)`
}

/** The last few junk lines of a server, and how many there were. */
export class NoiseLog {
  readonly #recent: StdoutNoise[] = []
  #count = 0

  push(noise: StdoutNoise): void {
    this.#count += 1
    this.#recent.push(noise)
    if (this.#recent.length > KEPT) this.#recent.shift()
  }

  /** Every junk line the server wrote, kept or not. */
  get count(): number {
    return this.#count
  }

  /** The latest ones, oldest first. */
  get recent(): readonly StdoutNoise[] {
    return this.#recent
  }
}
