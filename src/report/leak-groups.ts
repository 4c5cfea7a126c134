// The end-of-run list of leaks, grouped by creation site: one leaking helper (a class that starts
// two intervals) fails every test that uses it, and is one entry naming those tests, not one each.

/** A leak as it reaches the reporter: the `leaks` of a LeakError, serialized by Vitest. */
interface ReportedLeak {
  readonly kind: string
  readonly label: string
  readonly createdIn: { readonly at: string }
  readonly detail?: string
  readonly cleanedUp?: boolean
}

/** One error of a test (or shared host): the name, the brief message, its leaks when it has them. */
export interface Finding {
  readonly where: string
  readonly name: string
  /** The first line and one `  - ` line per leak, in the order of `leaks`. */
  readonly text: string
  readonly leaks?: readonly ReportedLeak[] | undefined
}

export interface Row {
  readonly where: string
  readonly text: string
}

/** Tests named under a group before "and N more". */
const NAMED = 5

/** What makes two leaks the same: kind, label (pids aside: each run of a spawn has its own) and site. */
function keyOf(name: string, leak: ReportedLeak): string {
  return [name, leak.kind, leak.label.replace(/\bpid \d+/g, 'pid …'), leak.createdIn.at].join('\0')
}

function isLeakList(leaks: unknown): leaks is readonly ReportedLeak[] {
  return (
    Array.isArray(leaks) &&
    leaks.every(
      (l) =>
        typeof l?.kind === 'string' && typeof l?.label === 'string' && typeof l?.createdIn?.at === 'string',
    )
  )
}

/**
 * Rows for `findings`: a leak made at the same site in two or more tests (or shared hosts) becomes
 * one row at the end, naming them; the rest stay on their own rows, without the grouped leaks.
 */
export function groupLeaksBySite(findings: readonly Finding[]): Row[] {
  const owners = new Map<string, Set<string>>()
  for (const f of findings) {
    if (!isLeakList(f.leaks)) continue
    for (const leak of f.leaks) {
      const key = keyOf(f.name, leak)
      owners.set(key, (owners.get(key) ?? new Set()).add(f.where))
    }
  }
  const grouped = (name: string, leak: ReportedLeak) => (owners.get(keyOf(name, leak))?.size ?? 0) > 1
  const rows: Row[] = []
  const groups = new Map<string, { leak: ReportedLeak; name: string; details: Set<string> }>()
  for (const f of findings) {
    const [first = '', ...leakLines] = f.text.split('\n')
    const leaks = isLeakList(f.leaks) && f.leaks.length === leakLines.length ? f.leaks : undefined
    if (!leaks?.some((leak) => grouped(f.name, leak))) {
      rows.push({ where: f.where, text: f.text })
      continue
    }
    leaks.forEach((leak, i) => {
      if (!grouped(f.name, leak)) return
      const key = keyOf(f.name, leak)
      const group = groups.get(key) ?? { leak, name: f.name, details: new Set<string>() }
      group.details.add(leak.detail ?? '')
      groups.set(key, group)
      leakLines[i] = ''
    })
    const left = leakLines.filter((line) => line !== '')
    if (left.length > 0) rows.push({ where: f.where, text: [first, ...left].join('\n') })
  }
  for (const [key, { leak, name, details }] of groups) {
    const where = [...(owners.get(key) ?? [])]
    const [detail] = details.size === 1 ? details : ['']
    const state = [detail, leak.cleanedUp === false ? 'not cleared' : ''].filter(Boolean).join('; ')
    const label = leak.label.replace(/\bpid \d+/g, 'pid …')
    const more = where.length > NAMED ? [`  … and ${where.length - NAMED} more`] : []
    rows.push({
      where: `${leak.kind} "${label}"${state ? ` (${state})` : ''}, created at ${leak.createdIn.at}`,
      text: [
        `${name} in ${where.length} tests:`,
        ...where.slice(0, NAMED).map((w) => `  ${w}`),
        ...more,
      ].join('\n'),
    })
  }
  return rows
}
