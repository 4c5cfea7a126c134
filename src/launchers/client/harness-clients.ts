// The SDK clients the harness made itself: `mcpHost({ observe: 'all' })` observes every other
// client a test file connects, and must not observe a host's own a second time.
import { processWide } from '../../scope/index.js'

// Process-wide: the plugin's setup file and the user's import may be two copies of this module.
const own = processWide('harness clients', () => new WeakSet<object>())

export function markHarnessClient(client: object): void {
  own.add(client)
}

export function isHarnessClient(client: object): boolean {
  return own.has(client)
}
