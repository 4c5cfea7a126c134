// What we keep of a server's text (stdout junk, stderr, timeline details): bounded, and a copy;
// and what a thrown value says, in one way for every message that quotes it.
import { inspect } from 'node:util'

/**
 * `text` shortened to `max` characters (an ellipsis and the full length at the end), always as a
 * fresh copy: V8 keeps the whole string a slice was cut from alive as long as the slice lives,
 * so a kept piece of a megabytes-long line must share no memory with it.
 */
export function keptText(text: string, max: number): string {
  const cut = text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters in all)`
  // UTF-16 both ways: a lossless copy, even of a lone surrogate left at the cut.
  return Buffer.from(cut, 'utf16le').toString('utf16le')
}

/**
 * What a thrown value says: an Error's message; a string as it is; anything else as `inspect`
 * shows it (not `[object Object]`, and it cannot throw for an object without a prototype).
 */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message
  return typeof error === 'string' ? error : inspect(error)
}
