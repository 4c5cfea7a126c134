// A bounded text buffer keeping the end of a stream (a server's stderr), so it never blocks or grows.
export class TailBuffer {
  readonly #limit: number
  #chunks: string[] = []
  #size = 0
  #dropped = 0

  constructor(limitBytes = 16 * 1024) {
    this.#limit = limitBytes
  }

  push(text: string): void {
    // One chunk over the limit keeps only its end: a single huge write must not be kept whole.
    if (text.length > this.#limit) {
      this.#dropped += text.length - this.#limit
      // A copy, not a slice: a slice would keep the whole chunk alive.
      text = Buffer.from(text.slice(-this.#limit), 'utf16le').toString('utf16le')
    }
    this.#chunks.push(text)
    this.#size += text.length
    while (this.#size > this.#limit && this.#chunks.length > 1) {
      const first = this.#chunks.shift() ?? ''
      this.#size -= first.length
      this.#dropped += first.length
    }
  }

  /** Everything kept, prefixed with a marker when the start was dropped. */
  text(): string {
    const body = this.#chunks.join('')
    return this.#dropped > 0 ? `[… ${this.#dropped} earlier characters dropped]\n${body}` : body
  }

  /** The last `count` non-empty lines. */
  tail(count = 20): string {
    const lines = this.#chunks.join('').split('\n')
    return lines
      .filter((line) => line.trim() !== '')
      .slice(-count)
      .join('\n')
  }
}
