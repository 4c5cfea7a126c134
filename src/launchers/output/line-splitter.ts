// Splits a byte stream into lines in linear time, dropping (and reporting) a line over the maximum.

/** What is known of a line that was too long to keep: its size so far and how it starts. */
export interface DroppedLine {
  /** Bytes received of it when it was dropped (it may go on; the rest is skipped unseen). */
  readonly bytes: number
  readonly head: Buffer
}

const HEAD_BYTES = 256

/** The first HEAD_BYTES of `parts`, copied (not a view that would keep a whole chunk alive). */
function headOf(parts: readonly Buffer[]): Buffer {
  const head: Buffer[] = []
  let size = 0
  for (const part of parts) {
    if (size >= HEAD_BYTES) break
    head.push(part.subarray(0, HEAD_BYTES - size))
    size += head[head.length - 1]?.length ?? 0
  }
  return Buffer.concat(head)
}

/**
 * Each chunk is searched once, from its own start: a line arriving in many chunks costs its
 * length, not its length times the number of chunks (rescanning a growing buffer is quadratic:
 * 42 s for one 100 MB line). Lines are Buffers: a newline byte never occurs inside a multi-byte
 * UTF-8 character, so each line decodes on its own.
 */
export class LineSplitter {
  readonly #max: number
  readonly #onLine: (line: Buffer) => void
  readonly #onDropped: (dropped: DroppedLine) => void
  #parts: Buffer[] = []
  #size = 0
  // Past the maximum: the rest of this line is skipped up to its newline.
  #skipping = false

  constructor(max: number, onLine: (line: Buffer) => void, onDropped: (dropped: DroppedLine) => void) {
    this.#max = max
    this.#onLine = onLine
    this.#onDropped = onDropped
  }

  push(chunk: Buffer): void {
    let start = 0
    for (let end = chunk.indexOf(10, start); end !== -1; end = chunk.indexOf(10, start)) {
      this.#append(chunk.subarray(start, end))
      this.#endLine()
      start = end + 1
    }
    if (start < chunk.length) this.#append(chunk.subarray(start))
  }

  /** The stream ended: a last line without its newline is a line all the same. */
  flush(): void {
    if (this.#size > 0 && !this.#skipping) this.#endLine()
    this.#skipping = false
  }

  #append(piece: Buffer): void {
    if (this.#skipping || piece.length === 0) return
    if (this.#size + piece.length <= this.#max) {
      this.#parts.push(piece)
      this.#size += piece.length
      return
    }
    // Reported as soon as it is too long: a line that never ends is still seen.
    this.#onDropped({ bytes: this.#size + piece.length, head: headOf([...this.#parts, piece]) })
    this.#parts = []
    this.#size = 0
    this.#skipping = true
  }

  #endLine(): void {
    if (this.#skipping) {
      this.#skipping = false
      return
    }
    const line = this.#parts.length === 1 ? (this.#parts[0] as Buffer) : Buffer.concat(this.#parts)
    this.#parts = []
    this.#size = 0
    this.#onLine(line)
  }
}
