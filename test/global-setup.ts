// Vitest globalSetup: builds the example server bundles once, before any test file spawns them.
import { buildServers } from '../scripts/build-servers.mjs'

export default async function setup(): Promise<void> {
  await buildServers({ outdir: 'dist/example-servers' })
}
