// The async-context machinery: which Scope owns the code running now, and how to name a context.
import { AsyncLocalStorage } from 'node:async_hooks'
import { processWide } from './process-wide.js'

/** What a running piece of code belongs to, for messages: `fixture "hostManager" of test "x"`. */
export type ContextLabel = string

/** The store is the owning object itself: identity, not an async id, says "same context". */
export const ownerStorage = processWide('owner storage', () => new AsyncLocalStorage<object>())

type Describer = () => ContextLabel | undefined
const describers = processWide('context describers', (): Describer[] => [])

/**
 * Lets an outer layer (the Vitest fixture or plugin) name contexts that no Scope owns, such as
 * a test body or a hook. Returns a function that removes the describer again.
 */
export function addContextDescriber(describe: Describer): () => void {
  describers.push(describe)
  return () => {
    const index = describers.indexOf(describe)
    if (index !== -1) describers.splice(index, 1)
  }
}

/** Names the context of code that runs outside every Scope. */
export function describeUnownedContext(): ContextLabel {
  for (let i = describers.length - 1; i >= 0; i--) {
    const label = describers[i]?.()
    if (label) return label
  }
  return 'an async context no scope owns'
}
