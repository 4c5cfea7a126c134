// What the plugin (main process) hands to each test worker through Vitest's provide/inject.
import type { HarnessSettings } from '../fixtures/settings.js'

export const PROVIDED_KEY = 'vitest-mcp-host'

declare module 'vitest' {
  interface ProvidedContext {
    'vitest-mcp-host': HarnessSettings
  }
}
