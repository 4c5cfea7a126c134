// What every matcher of this package returns: Vitest's matcher result, declared here once so the
// matcher objects' types do not depend on which Vitest major (4.1 or 5) the user has.

/** A matcher's verdict: `pass`, a message for the failure, and the values a diff shows. */
export interface MatcherResult {
  pass: boolean
  message: () => string
  actual?: unknown
  expected?: unknown
}
