// State that must exist once per process (per worker thread), however many copies of this package
// are loaded: each entry point is bundled on its own, so the plugin's setup file and the user's
// `import 'vitest-mcp-host'` each carry the code, and a project may load the sources too.

const REGISTRY = Symbol.for('vitest-mcp-host:process-wide@1')

type Holder = { [REGISTRY]?: Map<string, unknown> }

/**
 * The process's one `name`, made by `create` the first time any copy asks. Keep what is stored
 * plain (a Set, an AsyncLocalStorage, an object of settings): another copy's code reads it.
 *
 * @example
 * const live = processWide('live hosts', () => new Set<HostManager>())
 */
export function processWide<T>(name: string, create: () => T): T {
  const registry = ((globalThis as Holder)[REGISTRY] ??= new Map())
  if (!registry.has(name)) registry.set(name, create())
  return registry.get(name) as T
}
