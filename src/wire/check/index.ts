// The wire check (issue 22): rules, the checker (a TapListener), its violations and their error.
export {
  createWireChecker,
  MAX_REPORTS_PER_RULE,
  type WireChecker,
  type WireCheckerOptions,
} from './checker.js'
export {
  type EffectiveWire,
  type ObserveMode,
  resolveWire,
  type WireServerSetting,
  type WireSeverity,
} from './options.js'
export {
  isRuleId,
  type ProtocolRevision,
  RULES,
  type Rule,
  type RuleId,
  ruleTableMarkdown,
  SPEC_BASE,
  specLink,
  type ViolationSeverity,
} from './rules.js'
export type { Violation, ViolationDirection } from './violation.js'
export { describeViolation, ProtocolViolationError } from './violation-error.js'
