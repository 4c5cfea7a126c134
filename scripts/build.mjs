// Builds the package: each entry point to dist/src as one ESM file, their declarations (tsc) beside
// them, and the example servers to dist/example-servers.
//
// One file per entry point, not per module: Node 20 takes ~1 ms to load each ES module, and the
// plugin's setup file is loaded again by every test file's fresh worker (its 27 modules were ~30 ms
// a file; as shared chunks, 7 modules, ~10 ms; as one file ~3 ms, BENCHMARKS.md). Entry points that
// share code each carry a copy: what must be one per process lives in `processWide` (src/scope).
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { build } from 'esbuild'
import { buildRuntimeFiles } from './build-runtime.mjs'
import { buildServers } from './build-servers.mjs'

/** The modules users load (package.json `exports`), the setup file the plugin adds, and trace (loaded on demand). */
export const ENTRY_POINTS = [
  'src/index.ts',
  'src/plugin/index.ts',
  'src/plugin/worker/setup.ts',
  // Loaded by the setup file, with `observe: 'all'`, once a test file has loaded the MCP SDK.
  'src/plugin/worker/observed-client.ts',
  'src/matchers/index.ts',
  'src/servers/index.ts',
]

rmSync('dist', { recursive: true, force: true })
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' })
await build({
  entryPoints: ENTRY_POINTS,
  outbase: 'src',
  outdir: 'dist/src',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // Dependencies stay imports (vitest, the SDK, zod), resolved from the user's node_modules.
  packages: 'external',
  // Error classes and `Server<...>` inspections print their names.
  keepNames: true,
  logLevel: 'warning',
})
await buildRuntimeFiles()
await buildServers({ outdir: 'dist/example-servers' })
