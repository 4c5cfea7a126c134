// `vitest-mcp-host/matchers`: importing it registers the MCP matchers on Vitest's `expect`.
import { expect } from 'vitest'
import { mcpSnapshotSerializer } from '../snapshot/serializer.js'
import { toMatchSurfaceSnapshot } from '../snapshot/surface-matcher.js'
import { type CallMatchers, callMatchers } from './call-matchers.js'
import { type McpMatchers, mcpMatchers } from './matchers.js'
import { type OfferMatchers, offerMatchers } from './offer-matchers.js'
import { type ResultMatchers, resultMatchers } from './result-matchers.js'

expect.extend({
  ...mcpMatchers,
  ...resultMatchers,
  ...offerMatchers,
  ...callMatchers,
  toMatchSurfaceSnapshot,
})
expect.addSnapshotSerializer(mcpSnapshotSerializer)

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

export {
  configureRedaction,
  mcpSnapshotSerializer,
  normalizeResult,
  REDACTED,
  type RedactRule,
} from '../snapshot/serializer.js'
export type { SurfaceSnapshotOptions } from '../snapshot/surface-matcher.js'
export { type CalledToolOptions, type CallMatchers, callMatchers } from './call-matchers.js'
export { type McpMatchers, mcpMatchers, toolText } from './matchers.js'
export { type OfferMatchers, offerMatchers } from './offer-matchers.js'
export { type ExpectedToolResponse, type ResultMatchers, resultMatchers } from './result-matchers.js'
