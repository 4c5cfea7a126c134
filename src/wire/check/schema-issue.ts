// A zod validation failure as one violation: the deepest useful issue, its JSON path and value.
import type { Schema, ZodIssueLike } from './methods.js'

export interface SchemaProblem {
  readonly segments: readonly PropertyKey[]
  readonly message: string
}

/**
 * Of a union's branches, the one that got furthest (fewest issues, then the deepest path):
 * `content[0].text: expected string` rather than "no union member matched".
 */
function pick(issue: ZodIssueLike, base: readonly PropertyKey[]): SchemaProblem {
  const branches = issue.code === 'invalid_union' ? issue.errors : undefined
  if (!branches || branches.length === 0)
    return { segments: [...base, ...issue.path], message: issue.message }
  let best: readonly ZodIssueLike[] | undefined
  let bestScore = -Infinity
  for (const branch of branches) {
    const depth = Math.max(0, ...branch.map((i) => i.path.length))
    const score = depth * 10 - branch.length
    if (branch.length > 0 && score > bestScore) {
      best = branch
      bestScore = score
    }
  }
  const first = best?.[0]
  return first
    ? pick(first, [...base, ...issue.path])
    : { segments: [...base, ...issue.path], message: issue.message }
}

/** undefined when `value` matches `schema`. */
export function schemaProblem(schema: Schema, value: unknown): SchemaProblem | undefined {
  const result = schema.safeParse(value)
  if (result.success) return undefined
  const first = result.error.issues[0]
  return first ? pick(first, []) : { segments: [], message: 'does not match the schema' }
}
