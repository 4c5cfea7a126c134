// Bundles the worker entry (src/launchers/worker-entry.ts) into the file tinypool threads load:
// dist/src/launchers/worker-entry.js. A thread runs plain JS on Node 20, so the sources under test
// load the built entry too; the package build and this repository's test setup both build it.
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Writes dist/src/launchers/worker-entry.js; returns its path. */
export async function buildWorkerEntry() {
  const outfile = path.join(root, 'dist', 'src', 'launchers', 'worker-entry.js')
  await build({
    entryPoints: [path.join(root, 'src', 'launchers', 'worker-entry.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    // memfs stays an import, loaded only by a thread that mounts a volume.
    packages: 'external',
    logLevel: 'warning',
  })
  return outfile
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  console.log(path.relative(process.cwd(), await buildWorkerEntry()))
}
