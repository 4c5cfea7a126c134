// `vitest-mcp-host/plugin`: mcpHost(), the Vitest plugin that makes leaks fail CI.
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { VitestPluginContext } from 'vitest/node'
import { type McpHostOptions, validateOptions } from './options.js'
import { PROVIDED_KEY } from './provided.js'
import { McpHostReporter } from './reporter.js'

export type { Severity } from '../fixtures/settings.js'
export type { McpHostOptions } from './options.js'

/** The setup file next to this module: built `.js`, or `.ts` when run from source. */
function setupFile(): string {
  const built = fileURLToPath(new URL('./worker/setup.js', import.meta.url))
  return existsSync(built) ? built : built.replace(/\.js$/, '.ts')
}

/**
 * The Vitest plugin: registers the matchers, runs each test in its own async context, checks
 * after every test for harness resources and processes it left behind, and adds a reporter
 * section on leaks, cross-context disposals and slow teardowns.
 *
 * @example
 * // vitest.config.ts
 * export default defineConfig({ plugins: [mcpHost({ leaks: 'error', processes: 'error' })] })
 */
export function mcpHost(options: McpHostOptions = {}) {
  const settings = validateOptions(options)
  // One reporter (and report directory) per Vitest instance, however many projects there are.
  const reportDirs = new WeakMap<object, string>()
  const configured = new WeakSet<object>()
  return {
    name: 'vitest-mcp-host',
    configureVitest({ vitest, project }: VitestPluginContext): void {
      let reportDir = reportDirs.get(vitest)
      if (!reportDir) {
        reportDir = mkdtempSync(join(tmpdir(), 'vitest-mcp-host-'))
        reportDirs.set(vitest, reportDir)
        vitest.config.reporters.push(new McpHostReporter(reportDir, settings.teardownTimeout) as never)
      }
      // Vitest 4.1 calls this hook only for projects that inherit the root plugins: cover them all.
      for (const each of new Set([project, ...vitest.projects])) {
        if (configured.has(each)) continue
        configured.add(each)
        each.config.setupFiles = [...each.config.setupFiles, setupFile()]
        each.provide(PROVIDED_KEY, { ...settings, reportDir })
      }
    },
  }
}
