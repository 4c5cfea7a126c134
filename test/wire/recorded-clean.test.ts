// Recorded real traffic (server-everything on 2025-11-25, the v2 test server on both revisions)
// passes the wire check with no violation: every rule's test below breaks one message of it.
import { expect, test } from 'vitest'
import { check, traffic } from './replay.js'

test.for(['everything-legacy', 'v2-legacy', 'v2-modern'] as const)(
  'recorded %s traffic has no violations',
  (name) => {
    expect(check(traffic(name))).toEqual([])
  },
)
