// Bundles the files the package runs outside the modules that import it, each as one plain-JS file:
// the reaper (src/launchers/processes/reaper.ts, spawned with plain node) and the worker entry
// (src/launchers/transports/worker/worker-entry.ts, loaded by tinypool threads). Node 20 runs no
// TypeScript, so the sources under test use these builds too: the package build and this repository's
// test setup both call this.
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** The sources, by the name of their built file. */
const SOURCES = {
  reaper: 'src/launchers/processes/reaper.ts',
  'worker-entry': 'src/launchers/transports/worker/worker-entry.ts',
}

/**
 * Writes dist/src/launchers/{reaper,worker-entry}.js (flat, whichever folder their source is in: the
 * package finds them there); resolves with their paths.
 */
export async function buildRuntimeFiles() {
  const names = Object.keys(SOURCES)
  const outdir = path.join(root, 'dist', 'src', 'launchers')
  await build({
    entryPoints: Object.entries(SOURCES).map(([name, source]) => ({
      in: path.join(root, source),
      out: name,
    })),
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    // Dependencies stay imports: the reaper has none (Node built-ins only, to start fast); memfs is
    // loaded only by a thread that mounts a volume.
    packages: 'external',
    logLevel: 'warning',
  })
  return names.map((name) => path.join(outdir, `${name}.js`))
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  for (const file of await buildRuntimeFiles()) console.log(path.relative(process.cwd(), file))
}
