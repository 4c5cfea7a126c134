// The public surface of each entry point, as API Extractor reports it (test/package/api/*.api.md):
// committed, so every change of the surface shows in review. `--check` (CI) fails when a report
// differs from the committed one, or when API Extractor finds a forgotten export or an internal
// published; without it the reports are rewritten. Needs `npm run build` (it reads dist's .d.ts).
//
// `node scripts/api-report.mjs [--check]`
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const check = process.argv.includes('--check')

/** package.json `exports` key → its declaration file in dist. */
const ENTRY_POINTS = {
  'vitest-mcp-host': 'dist/src/index.d.ts',
  'vitest-mcp-host-plugin': 'dist/src/plugin/index.d.ts',
  'vitest-mcp-host-servers': 'dist/src/servers/index.d.ts',
  'vitest-mcp-host-matchers': 'dist/src/matchers/index.d.ts',
}

let failed = 0
for (const [name, entry] of Object.entries(ENTRY_POINTS)) {
  if (!existsSync(path.join(root, entry))) throw new Error(`${entry} is missing: run \`npm run build\` first`)
  const config = ExtractorConfig.prepare({
    configObjectFullPath: path.join(root, 'scripts/api-report.mjs'),
    packageJsonFullPath: path.join(root, 'package.json'),
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: path.join(root, entry),
      compiler: { tsconfigFilePath: path.join(root, 'tsconfig.json') },
      apiReport: {
        enabled: true,
        reportFileName: `${name}.api.md`,
        reportFolder: path.join(root, 'test/package/api'),
        reportTempFolder: path.join(root, 'dist/api-temp'),
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        // Missing release tags are a documentation matter; forgotten exports and internals are not.
        extractorMessageReporting: {
          'ae-missing-release-tag': { logLevel: 'none' },
          'ae-forgotten-export': { logLevel: 'error', addToApiReportFile: true },
          'ae-internal-missing-underscore': { logLevel: 'none' },
        },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
  })
  const result = Extractor.invoke(config, { localBuild: !check, showVerboseMessages: false })
  if (!result.succeeded) {
    failed++
    console.error(
      `${name}: ${result.apiReportChanged ? 'the API report changed (run `node scripts/api-report.mjs` and commit test/package/api)' : ''} ${result.errorCount} errors, ${result.warningCount} warnings`,
    )
  }
}
if (failed > 0) process.exit(1)
