// The matchers' types on Vitest's `expect`, without registering them: imported by what registers
// them (`vitest-mcp-host/matchers`, and the plugin, whose setup file does), never by the main entry,
// so a program that only uses HostManager has an `expect` unchanged in its types as at run time.
import type { CallMatchers } from './call-matchers.js'
import type { McpMatchers } from './matchers.js'
import type { OfferMatchers } from './offer-matchers.js'
import type { ResultMatchers } from './result-matchers.js'

// Without type parameters on purpose: Vitest 4 declares `Matchers<T>`, Vitest 5 `Matchers<R, T>`,
// and an augmentation must repeat them exactly or declare none (theirs all have defaults).
// `Matchers` reaches `expect(x).*` and `expect.*` on both; Vitest 4's `expect.not.*` needs the second.
declare module 'vitest' {
  interface Matchers
    extends McpMatchers<void>,
      ResultMatchers<void>,
      OfferMatchers<void>,
      CallMatchers<void> {}
  interface AsymmetricMatchersContaining
    extends McpMatchers<void>,
      ResultMatchers<void>,
      OfferMatchers<void>,
      CallMatchers<void> {}
}
