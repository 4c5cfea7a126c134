// Measures the SSE event being received, byte by byte as it streams: what the parser will buffer whole.

const LF = 10
const CR = 13

/**
 * The size of the current Server-Sent Event: the bytes since the last blank line (an event ends at
 * a blank line; lines end with CRLF, LF or CR). An endless stream of small events never grows it.
 * Line ends are found with `Buffer#indexOf` (memchr), so a chunk costs its line ends, not its bytes.
 * Exact within a byte (the LF of a blank line's CRLF counts to the next event).
 */
export class SseEventMeter {
  #event = 0
  #line = 0
  // The last byte was a CR: an LF right after it ends no line of its own (CRLF).
  #afterCr = false

  /** Adds `chunk`; returns the largest size the current event reached within it. */
  push(chunk: Uint8Array): number {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    let largest = 0
    let start = 0
    let lf = bytes.indexOf(LF)
    let cr = bytes.indexOf(CR)
    for (;;) {
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr)
      if (end === -1) break
      this.#text(end - start)
      this.#event += 1
      largest = Math.max(largest, this.#event)
      if (bytes[end] === LF && this.#afterCr && end === start) this.#afterCr = false
      else {
        if (this.#line === 0) this.#event = 0 // a blank line: the event is complete
        this.#line = 0
        this.#afterCr = bytes[end] === CR
      }
      start = end + 1
      if (end === lf) lf = bytes.indexOf(LF, start)
      if (end === cr) cr = bytes.indexOf(CR, start)
    }
    this.#text(bytes.length - start)
    return Math.max(largest, this.#event)
  }

  #text(bytes: number): void {
    if (bytes === 0) return
    this.#line += bytes
    this.#event += bytes
    this.#afterCr = false
  }
}
