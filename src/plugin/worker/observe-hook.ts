// `mcpHost({ observe: 'all' })`, the light half loaded by the setup file: finds the MCP SDK client
// modules a test file loaded (SDK v1 `Client`, SDK v2 `Client`) in Vitest's module graph, and only
// then loads the observer (./observed-client.ts: the tap, the wire check, the SDK's types), which
// patches `Client.prototype.connect` of that very module instance. A file that never imports the SDK
// pays one look at the graph per test; the SDK is never loaded by us.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { ObserveSettings } from './observed-runs.js'
import type { TestAttempt } from './test-attempt.js'

export { testEnded, testStarted } from './observed-runs.js'

/** The modules that define `Client`: SDK v1's client entry (ESM or CJS build), SDK v2's bundle. */
const CLIENT_MODULE =
  /[\\/]@modelcontextprotocol[\\/](?:sdk[\\/]dist[\\/](?:esm|cjs)[\\/]client[\\/]index\.js|client[\\/]dist[\\/]index\.c?m?js)$/

type Observer = typeof import('./observed-client.js')

/**
 * The observer's own file (built `.js`, its own entry point, or `.ts` from source), imported by a
 * computed specifier: a literal one would be bundled into the setup file, and esbuild hoists a
 * bundled module's package imports to the top, loading the SDK in every test file.
 */
function observerFile(): string {
  const built = new URL('./observed-client.js', import.meta.url)
  return existsSync(fileURLToPath(built)) ? built.href : built.href.replace(/\.js$/, '.ts')
}

interface WorkerState {
  evaluatedModules?: { idToModuleMap?: Map<string, unknown> }
}

const state = {
  settings: undefined as ObserveSettings | undefined,
  scanned: -1,
  hooked: new Set<string>(),
  observer: undefined as Promise<Observer> | undefined,
  warned: false,
}

export function observeAll(settings: ObserveSettings): void {
  state.settings = settings
}

/** The module ids Vitest evaluated for this worker (externals included), or undefined if unknown. */
function moduleGraph(): Map<string, unknown> | undefined {
  const worker = (globalThis as { __vitest_worker__?: WorkerState }).__vitest_worker__
  return worker?.evaluatedModules?.idToModuleMap
}

/**
 * Patches the SDK client modules loaded since the last look. Called before the file's own
 * `beforeAll` hooks and before each test: by then the file's static imports are evaluated.
 */
export async function hookLoadedClients(): Promise<void> {
  const settings = state.settings
  if (!settings) return
  const graph = moduleGraph()
  if (!graph) {
    if (!state.warned) {
      state.warned = true
      process.emitWarning(
        "vitest-mcp-host: observe: 'all' cannot read this Vitest's module graph; clients the test files create are not observed",
      )
    }
    return
  }
  if (graph.size === state.scanned) return
  state.scanned = graph.size
  const fresh: string[] = []
  for (const id of graph.keys()) {
    const file = id.replace(/[?#].*$/, '')
    if (CLIENT_MODULE.test(file) && !state.hooked.has(file)) {
      state.hooked.add(file)
      fresh.push(file)
    }
  }
  if (fresh.length === 0) return
  state.observer ??= import(/* @vite-ignore */ observerFile()) as Promise<Observer>
  const observer = await state.observer
  for (const file of fresh) await observer.patchClientModule(file, settings)
}

/** What observed clients left for `run`: its wire violations and its requests still pending. */
export async function observedProblems(run: TestAttempt): Promise<Error[]> {
  if (!state.observer) return []
  return (await state.observer).problemsOf(run)
}

/** Violations that travelled outside any test (a beforeAll, an afterAll), for the file's end. */
export async function observedOutsideTests(): Promise<Error[]> {
  if (!state.observer) return []
  return (await state.observer).problemsOf(undefined)
}
