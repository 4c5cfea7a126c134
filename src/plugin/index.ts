// `vitest-mcp-host/plugin`: mcpHost(), the Vitest plugin that makes leaks fail CI.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestProject, Vitest, VitestPluginContext } from 'vitest/node'
import { serializeRedaction } from '../snapshot/serializer.js'
import { cassetteSettings, type McpHostOptions, validateOptions } from './options.js'
import { PROVIDED_KEY, SNAPSHOT_KEY } from './provided.js'
import { McpHostReporter } from './reporter.js'
import { assertVitestVersion } from './vitest-version.js'
// The matchers' types on `expect`: its setup file registers them in every test file, and a config
// file in the user's tsconfig brings their types to the tests with this import (types only).
import '../matchers/types.js'

export type { CassetteMode } from '../cassette/options.js'
export type { Severity } from '../fixtures/settings.js'
export type { ToolBudget } from '../report/tool-budgets.js'
export type { RedactRule } from '../snapshot/serializer.js'
export type { ObserveMode, WireSeverity } from '../wire/check/options.js'
export type { McpHostOptions, SnapshotOptions, ToolCoverageOptions } from './options.js'

/** The setup file next to this module: built `.js`, or `.ts` when run from source. */
function setupFile(): string {
  const built = fileURLToPath(new URL('./worker/setup.js', import.meta.url))
  return existsSync(built) ? built : built.replace(/\.js$/, '.ts')
}

/** One report directory and reporter per Vitest instance, shared by every mcpHost() of its projects. */
const reporting = new WeakMap<Vitest, { reportDir: string; reporter: McpHostReporter }>()
const configured = new WeakSet<TestProject>()

function reportingFor(vitest: Vitest, settings: Required<McpHostOptions>) {
  let found = reporting.get(vitest)
  if (!found) {
    const reportDir = mkdtempSync(join(tmpdir(), 'vitest-mcp-host-'))
    found = { reportDir, reporter: new McpHostReporter(reportDir) }
    reporting.set(vitest, found)
    vitest.onClose(() => rmSync(reportDir, { recursive: true, force: true }))
  }
  found.reporter.allowTeardown(settings.teardownTimeout)
  found.reporter.coverTools(settings.toolCoverage)
  found.reporter.showInformation(settings.information)
  found.reporter.writeHtml(settings.html)
  // A config change restarts Vitest with a new config: the reporter goes into that one too.
  if (!vitest.config.reporters.includes(found.reporter as never)) {
    vitest.config.reporters.push(found.reporter as never)
  }
  return found
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
  return {
    name: 'vitest-mcp-host',
    configureVitest({ vitest, project }: VitestPluginContext): void {
      assertVitestVersion(vitest.version)
      const { reportDir, reporter } = reportingFor(vitest, settings)
      // Vitest calls this hook for each project whose config has the plugin: its own config, or
      // the root's when the project has `extends: true`.
      if (configured.has(project)) return
      configured.add(project)
      if (settings.html !== false) reporter.annotateFailures(project.name)
      project.config.setupFiles = [...project.config.setupFiles, setupFile()]
      // Workers only record; what the run must reach is the reporter's to judge.
      const { information: _, snapshot, cassettes, html: __, ...checks } = settings
      const cassetteMode = cassetteSettings(
        cassettes,
        process.env,
        project.config.snapshotOptions.updateSnapshot,
      )
      reporter.useCassettes(cassetteMode)
      project.provide(PROVIDED_KEY, {
        ...checks,
        toolCoverage: checks.toolCoverage !== false,
        reportDir,
        cassettes: cassetteMode,
      })
      project.provide(SNAPSHOT_KEY, { redact: serializeRedaction(snapshot.redact ?? []) })
    },
  }
}
