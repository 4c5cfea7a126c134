// A stdio server's stdout line that is no JSON-RPC message: kept on its entry, and a violation of
// the wire check when that is on; else the one warning per server it was before.
import type { StdoutNoise } from '../../launchers/output/stdout-noise.js'
import type { ServerEntry } from './server-entry.js'

/** `flagged`: whether the wire check took the line (then no warning). */
export function noiseHandler(
  entry: ServerEntry,
  flagged: ((entry: ServerEntry, noise: StdoutNoise) => boolean) | undefined,
): (noise: StdoutNoise) => void {
  let warned = false
  return (noise) => {
    entry.noise.push(noise)
    if (flagged?.(entry, noise) || warned) return
    warned = true
    console.warn(
      `[vitest-mcp-host] server "${entry.name}" wrote a line to stdout that is ${noise.reason}: ` +
        `${JSON.stringify(noise.line)}. stdout is reserved for JSON-RPC; log to stderr instead.`,
    )
  }
}
