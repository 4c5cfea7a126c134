// What we keep of a server's text (stdout junk, stderr, timeline details): bounded, and a copy.

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
