// Bundles the reaper (src/launchers/reaper.ts) into the one file a Vitest process spawns with plain
// node: dist/src/launchers/reaper.js. Used by the package build and by this repository's test setup,
// whose sources spawn the built reaper too (node cannot run the .ts).
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Writes dist/src/launchers/reaper.js; returns its path. */
export async function buildReaper() {
  const outfile = path.join(root, 'dist', 'src', 'launchers', 'reaper.js')
  await build({
    entryPoints: [path.join(root, 'src', 'launchers', 'reaper.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    // Node built-ins only: it must start fast and depend on nothing a user's install could lack.
    packages: 'external',
    logLevel: 'warning',
  })
  return outfile
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  console.log(path.relative(process.cwd(), await buildReaper()))
}
