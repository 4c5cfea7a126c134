// What the plugin (main process) hands to each test worker through Vitest's provide/inject.
import type { HarnessSettings } from '../fixtures/settings.js'
import type { SerializedRedactRule } from '../snapshot/serializer.js'

export const PROVIDED_KEY = 'vitest-mcp-host'
/** `mcpHost({ snapshot: { redact } })`, RegExps as `{ source, flags }`. */
export const SNAPSHOT_KEY = 'vitest-mcp-host:snapshot'

declare module 'vitest' {
  interface ProvidedContext {
    'vitest-mcp-host': HarnessSettings
    'vitest-mcp-host:snapshot': { redact: Array<string | SerializedRedactRule> }
  }
}
