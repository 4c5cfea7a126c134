// The ownership core: owner contexts, their ledgers and their errors. Knows nothing of MCP or Vitest.
export { type Attribution, currentAttribution, runAttributed, runUnattributed } from './attribution.js'
export { type CallSite, captureCallSite } from './call-site.js'
export { addContextDescriber, type ContextLabel } from './context.js'
export {
  type ContextSite,
  CrossContextDisposalError,
  type Leak,
  LeakError,
  type ResourceRef,
  ScopeClosedError,
  setOwnershipAdvice,
  siteOf,
} from './errors.js'
export type { LedgerEntry, ResourceInfo } from './ledger.js'
export { processWide } from './process-wide.js'
export { describeCurrentContext, type FindingListener, Scope, type ScopeState } from './scope.js'
