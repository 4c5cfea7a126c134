// Types of build-servers.mjs, for the TypeScript callers (test/global-setup.ts).
import type { Metafile } from 'esbuild'

/** Builds `weather.mjs`, `misbehaving.mjs` and `weather-worker.mjs` into `outdir` (relative paths are taken from the package root). */
export function buildServers(options: {
  outdir: string
  /** Default true; false keeps the SDK's parts a stdio server never runs (ajv, zod v3), for comparison. */
  trim?: boolean
}): Promise<{ files: Array<{ file: string; bytes: number }>; metafile: Metafile }>
