// `vitest-mcp-host/matchers`: importing it registers the MCP matchers on Vitest's `expect`.
import { expect } from 'vitest'
import { mcpSnapshotSerializer } from '../snapshot/serializer.js'
import { toMatchSurfaceSnapshot } from '../snapshot/surface-matcher.js'
import { callMatchers } from './call-matchers.js'
import { mcpMatchers } from './matchers.js'
import { offerMatchers } from './offer-matchers.js'
import { resultMatchers } from './result-matchers.js'
// Their types on `expect` (Vitest 4.1 and 5), with what registers them.
import './types.js'

expect.extend({
  ...mcpMatchers,
  ...resultMatchers,
  ...offerMatchers,
  ...callMatchers,
  toMatchSurfaceSnapshot,
})
expect.addSnapshotSerializer(mcpSnapshotSerializer)

export {
  configureRedaction,
  mcpSnapshotSerializer,
  normalizeResult,
  REDACTED,
  type RedactRule,
  type SerializedRedactRule,
} from '../snapshot/serializer.js'
export type { SurfaceSnapshotOptions } from '../snapshot/surface-matcher.js'
export { type CalledToolOptions, type CallMatchers, callMatchers } from './call-matchers.js'
export type { MatcherResult } from './matcher-result.js'
export { type McpMatchers, mcpMatchers, type SafeParser, toolText } from './matchers.js'
export { type OfferMatchers, offerMatchers } from './offer-matchers.js'
export { type ExpectedToolResponse, type ResultMatchers, resultMatchers } from './result-matchers.js'
