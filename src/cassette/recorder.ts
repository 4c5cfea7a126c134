/**
 * The recorder: a TapListener on a server's WireTap that keeps every message both ways, in wire
 * order, redacted as it arrives (nothing unredacted is held past the message), and the landed
 * revision. `cassette()` is what gets written when the server's test ends.
 */

import type { TapListener, WireEvent } from '../wire/tap-types.js'
import type { Json } from './canonical.js'
import { CASSETTE_FORMAT, type Cassette, type CassetteMessage } from './format.js'
import { type RedactRule, redactor } from './redact.js'

export interface CassetteRecorder extends TapListener {
  /** The recording so far, stamped now. */
  cassette(): Cassette
}

export function recordCassette(options: {
  server: string
  test: string
  redact?: readonly RedactRule[]
}): CassetteRecorder {
  const redact = redactor(options.redact ?? [])
  const messages: CassetteMessage[] = []
  let revision: string | null = null
  const keep = (e: WireEvent) => {
    messages.push({ dir: e.dir, message: redact(e.message) as { [key: string]: Json } })
  }
  return {
    inbound(e) {
      keep(e)
      return undefined
    },
    outbound: keep,
    era(version) {
      revision = version
    },
    cassette: () => ({
      format: CASSETTE_FORMAT,
      server: options.server,
      test: options.test,
      revision,
      recordedAt: new Date().toISOString(),
      messages: [...messages],
    }),
  }
}
