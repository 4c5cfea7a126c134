// Per-tool latency budgets (`toolCoverage.budgets`): each budget, keyed by a tool's name (every server
// offering it) or `server/name` (that server's only), judged against the run's timings of that tool:
// a measured p50, p95 or max above its budget is an overrun; a budget no called tool matched is
// reported, as it may be misspelt or its tool untested.

/** What a budget is judged on: one tool's timings in the run (a `ToolTiming` of the summary). */
export interface TimedTool {
  readonly server: string
  readonly identity: string
  readonly label: string
  readonly tool: string
  readonly count: number
  readonly p50Ms: number
  readonly p95Ms: number
  readonly maxMs: number
}

/** A tool's latency budget in ms: each given statistic of its calls in the run must be at most this. */
export interface ToolBudget {
  /** Median duration. */
  p50?: number
  /** 95th percentile (nearest rank). */
  p95?: number
  /** Slowest call; a call that timed out counts at its timeout. */
  max?: number
}

export const BUDGET_STATS = ['p50', 'p95', 'max'] as const
export type BudgetStat = (typeof BUDGET_STATS)[number]

/** One statistic over its budget. */
export interface BudgetOverrun {
  readonly stat: BudgetStat
  readonly budgetMs: number
  readonly measuredMs: number
}

/** One budget against one called tool of one server. */
export interface BudgetCheck {
  /** The server's name in the config, what it runs, and its label in the section (see ServerId). */
  readonly server: string
  readonly identity: string
  readonly label: string
  /** The budget's key as configured: `name` or `server/name`. */
  readonly budget: string
  readonly tool: string
  readonly limits: ToolBudget
  readonly calls: number
  readonly measured: { readonly p50Ms: number; readonly p95Ms: number; readonly maxMs: number }
  /** Empty when the tool kept to its budget. */
  readonly over: readonly BudgetOverrun[]
}

export interface BudgetSummary {
  /** Every budget against every called tool it names, in the order of the timings (slowest first). */
  readonly checked: readonly BudgetCheck[]
  /** Budget keys that named no tool called in this run. */
  readonly notCalled: readonly string[]
}

/** Whether budget `key` names `timing`'s tool: its name, or its server's name, a slash and its name. */
function names(key: string, timing: TimedTool): boolean {
  return key === timing.tool || key === `${timing.server}/${timing.tool}`
}

export function checkBudgets(
  budgets: Readonly<Record<string, ToolBudget>>,
  timings: readonly TimedTool[],
): BudgetSummary {
  const checked: BudgetCheck[] = []
  const matched = new Set<string>()
  for (const timing of timings) {
    for (const [key, limits] of Object.entries(budgets)) {
      if (!names(key, timing)) continue
      matched.add(key)
      const over: BudgetOverrun[] = []
      for (const stat of BUDGET_STATS) {
        const budgetMs = limits[stat]
        const measuredMs = timing[`${stat}Ms`]
        if (budgetMs !== undefined && measuredMs > budgetMs) over.push({ stat, budgetMs, measuredMs })
      }
      const { server, identity, label, tool, count, p50Ms, p95Ms, maxMs } = timing
      checked.push({
        server,
        identity,
        label,
        budget: key,
        tool,
        limits,
        calls: count,
        measured: { p50Ms, p95Ms, maxMs },
        over,
      })
    }
  }
  const notCalled = Object.keys(budgets)
    .filter((key) => !matched.has(key))
    .sort()
  return { checked, notCalled }
}

/** The checks with an overrun. */
export function overBudget(summary: BudgetSummary | undefined): readonly BudgetCheck[] {
  return summary?.checked.filter((check) => check.over.length > 0) ?? []
}

/** `p95 812.3 ms > budget 500 ms, max …`: what was over, for a line of the section. */
export function describeOverruns(over: readonly BudgetOverrun[]): string {
  return over.map((o) => `${o.stat} ${o.measuredMs} ms > budget ${o.budgetMs} ms`).join(', ')
}

/**
 * The budgets of two projects' options merged: per key and statistic the tighter one, so no project's
 * budget is loosened by another's.
 */
export function mergeBudgets(
  a: Readonly<Record<string, ToolBudget>> | undefined,
  b: Readonly<Record<string, ToolBudget>> | undefined,
): Record<string, ToolBudget> | undefined {
  if (!a || !b) return a ?? b
  const merged: Record<string, ToolBudget> = { ...a }
  for (const [key, limits] of Object.entries(b)) {
    const was = merged[key]
    if (!was) {
      merged[key] = limits
      continue
    }
    const tighter: ToolBudget = {}
    for (const stat of BUDGET_STATS) {
      const values = [was[stat], limits[stat]].filter((v) => v !== undefined)
      if (values.length > 0) tighter[stat] = Math.min(...values)
    }
    merged[key] = tighter
  }
  return merged
}
