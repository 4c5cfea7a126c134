// The bookkeeping of a Scope: live resources in acquisition order, with who acquired them where.
import type { CallSite } from './call-site.js'
import type { ContextLabel } from './context.js'

export interface ResourceInfo {
  /** What the resource is, in a word: `server`, `client`, `request`, `cleanup`. */
  kind?: string
  /** Which one: `weather`, `tools/call weather_lookup`. */
  label?: string
}

export interface LedgerEntry {
  readonly id: number
  readonly resource: unknown
  readonly dispose: () => unknown
  readonly kind: string
  readonly label: string
  readonly createdIn: ContextLabel
  readonly createdAt: CallSite
}

/** Live entries of one scope; disposal order is the reverse of insertion. */
export class Ledger {
  #entries: LedgerEntry[] = []
  #nextId = 1

  add(entry: Omit<LedgerEntry, 'id'>): LedgerEntry {
    const full = { ...entry, id: this.#nextId++ }
    this.#entries.push(full)
    return full
  }

  /** Removes and returns the newest entry holding `resource`, or undefined. */
  take(resource: unknown): LedgerEntry | undefined {
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      if (this.#entries[i]?.resource === resource) return this.#entries.splice(i, 1)[0]
    }
    return undefined
  }

  /** Removes and returns the newest entry, or undefined when empty. */
  pop(): LedgerEntry | undefined {
    return this.#entries.pop()
  }

  get size(): number {
    return this.#entries.length
  }

  live(): readonly LedgerEntry[] {
    return [...this.#entries]
  }
}
