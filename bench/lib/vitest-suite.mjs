// A throwaway Vitest project for the plugin benches: the package installed as a user has it, one
// config per variant, and runs that report their wall time, tests and per-file diagnostics.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const vitestCli = path.join(
  path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
)

/** `vitest-mcp-host[/sub]` as a JS string literal, for generated sources. */
export const dist = (sub) => JSON.stringify(`vitest-mcp-host${sub ? `/${sub}` : ''}`)

/** Config heads of the variants every bench compares; each defines `plugins` (and maybe `setupFiles`). */
export const VARIANTS = {
  off: 'const plugins = []',
  around: `const plugins = []\nconst setupFiles = ['./around.setup.mjs']`,
  plugin: `import { mcpHost } from ${dist('plugin')}\nconst plugins = [mcpHost()]`,
  trace: `import { mcpHost } from ${dist('plugin')}\nconst plugins = [mcpHost({ trace: true })]`,
  coverage: `import { mcpHost } from ${dist('plugin')}\nconst plugins = [mcpHost({ toolCoverage: true })]`,
  // The plugin without its process check (API.md `processes: 'off'`): what the check costs on top.
  noprocs: `import { mcpHost } from ${dist('plugin')}\nconst plugins = [mcpHost({ processes: 'off' })]`,
  // Clients the test files make themselves observed (issue 22 item 5), without and with tool coverage.
  observe: `import { mcpHost } from ${dist('plugin')}\nconst plugins = [mcpHost({ observe: 'all' })]`,
  observecoverage: `import { mcpHost } from ${dist('plugin')}\nconst plugins = [mcpHost({ observe: 'all', toolCoverage: true })]`,
  // Another build of the plugin (`createSuite`'s `beforeDir`), installed beside this one.
  before: `import { mcpHost } from "vitest-mcp-host-before/plugin"\nconst plugins = [mcpHost()]`,
}

// Writes per-file diagnostics (Vitest's own breakdown: setup, collect, tests) next to the results.
const REPORTER = `export default class {
  onTestRunEnd(modules) {
    const files = modules.map((m) => ({ file: m.moduleId, ...m.diagnostic(), importDurations: undefined,
      tests: [...m.children.allTests()].map((t) => ({ state: t.result().state, duration: t.diagnostic()?.duration ?? 0 })) }))
    require('node:fs').writeFileSync(process.env.BENCH_REPORT, JSON.stringify(files))
  }
}
`

/**
 * Creates the project in `bench/.work-plugin-<name>-<pid>`: inside the repository, so the suite
 * resolves `vitest` and our dependencies from its node_modules; the package itself is copied into
 * the project's node_modules, so Vitest loads it natively instead of transforming it. The project's
 * own package.json keeps Node from resolving `vitest-mcp-host` to the repository (self-reference).
 * `files` maps test file names to their source; `variants` names the configs to write; `distDir`
 * is the build to install (default: this repository's `dist`); `beforeDir`, another build for the
 * `before` variant, installed as `vitest-mcp-host-before` (its reaper script is this build's: the
 * package finds it by its own name).
 */
export function createSuite(
  name,
  files,
  variants = Object.keys(VARIANTS),
  distDir = path.join(root, 'dist'),
  beforeDir = undefined,
) {
  const work = path.join(root, 'bench', `.work-plugin-${name}-${process.pid}`)
  const installed = path.join(work, 'node_modules', 'vitest-mcp-host')
  mkdirSync(installed, { recursive: true })
  writeFileSync(
    path.join(work, 'package.json'),
    '{ "name": "bench-suite", "private": true, "type": "module" }\n',
  )
  writeFileSync(
    path.join(work, 'around.setup.mjs'),
    "import { aroundEach } from 'vitest'\naroundEach(async (runTest, { task }) => { await runTest() })\n",
  )
  writeFileSync(
    path.join(work, 'diagnostics.reporter.cjs'),
    REPORTER.replace('export default', 'module.exports ='),
  )
  cpSync(path.join(root, 'package.json'), path.join(installed, 'package.json'))
  cpSync(path.resolve(distDir), path.join(installed, 'dist'), { recursive: true })
  if (beforeDir) {
    const before = path.join(work, 'node_modules', 'vitest-mcp-host-before')
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
    mkdirSync(before, { recursive: true })
    writeFileSync(
      path.join(before, 'package.json'),
      JSON.stringify({ ...manifest, name: 'vitest-mcp-host-before' }),
    )
    cpSync(path.resolve(beforeDir), path.join(before, 'dist'), { recursive: true })
  }
  for (const [file, source] of Object.entries(files)) writeFileSync(path.join(work, file), source)
  const include = JSON.stringify(Object.keys(files))
  for (const variant of variants) {
    const head = VARIANTS[variant]
    writeFileSync(
      path.join(work, `${variant}.config.mjs`),
      `${head}
export default { plugins, cacheDir: ${JSON.stringify(path.join(os.tmpdir(), `vitest-mcp-host-bench-${name}`))},
  test: { include: ${include}, pool: 'forks', maxWorkers: 1${head.includes('setupFiles') ? ', setupFiles' : ''} } }
`,
    )
  }
  return {
    work,
    /** Writes `<variant>.config.mjs`: no plugin, only the test files matching `include`. */
    config(variant, include) {
      writeFileSync(
        path.join(work, `${variant}.config.mjs`),
        `export default { cacheDir: ${JSON.stringify(path.join(os.tmpdir(), `vitest-mcp-host-bench-${name}`))},
  test: { include: [${JSON.stringify(include)}], pool: 'forks', maxWorkers: 1 } }
`,
      )
    },
    /**
     * One `vitest run` of `variant`: its wall time, the sum of the tests' own durations, and each
     * file's diagnostics. Throws unless exactly `expectedTests` tests ran and passed.
     */
    run(variant, expectedTests) {
      const report = path.join(work, `${variant}.json`)
      const cpuBefore = childrenCpu()
      const started = performance.now()
      const child = spawnSync(
        process.execPath,
        [vitestCli, 'run', '--config', `${variant}.config.mjs`, '--reporter=./diagnostics.reporter.cjs'],
        { cwd: work, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', BENCH_REPORT: report } },
      )
      const wall = performance.now() - started
      const cpu = childrenCpu() - cpuBefore
      if (child.status !== 0)
        throw new Error(`vitest (${variant}) exited ${child.status}:\n${child.stdout}\n${child.stderr}`)
      const modules = JSON.parse(readFileSync(report, 'utf8'))
      const tests = modules.flatMap((m) => m.tests)
      if (tests.length !== expectedTests || tests.some((t) => t.state !== 'passed'))
        throw new Error(
          `${variant}: expected ${expectedTests} passed tests, got ${JSON.stringify(tests.map((t) => t.state))}`,
        )
      return { wall, cpu, tests: tests.reduce((sum, t) => sum + t.duration, 0), modules }
    },
    remove() {
      if (!process.env.KEEP) rmSync(work, { recursive: true, force: true })
    },
  }
}

/**
 * CPU time (user + system, ms) of this process's children that have ended and been waited for, and
 * of theirs: a `vitest run` and its workers (Linux, /proc; NaN elsewhere). On a loaded machine wall
 * time mostly measures the others' load; CPU time what the run itself did.
 */
function childrenCpu() {
  if (process.platform !== 'linux') return Number.NaN
  const stat = readFileSync('/proc/self/stat', 'utf8')
  // Fields after the command: state is the 3rd field; cutime and cstime the 16th and 17th, in 1/100 s.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[13]) + Number(fields[14])) * 10
}

/**
 * Runs every variant `rounds` times, a different variant first each round (none always on a cold
 * or warm machine), after one warm-up run of the first (Vite's transform cache).
 */
export function interleave(suite, variants, rounds, expectedTests) {
  const samples = Object.fromEntries(variants.map((v) => [v, []]))
  suite.run(variants[0], expectedTests)
  for (let round = 0; round < rounds; round++) {
    const order = variants.map((_, i) => variants[(i + round) % variants.length])
    for (const variant of order) samples[variant][round] = suite.run(variant, expectedTests)
  }
  return samples
}
