// Builds the package: TypeScript to dist/src (with declarations), the example servers to dist/example-servers.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { buildServers } from './build-servers.mjs'

rmSync('dist', { recursive: true, force: true })
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' })
await buildServers({ outdir: 'dist/example-servers' })
