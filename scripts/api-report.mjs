// The public surface of each entry point, as API Extractor reports it from the built .d.ts (api/*.api.md):
// committed, so every change of the surface shows in review. With `--check` (CI) it fails when a
// report differs from the committed one (printing the difference), when a type used in a public
// signature is not exported (ae-forgotten-export), or on any other API Extractor error; without it the
// reports are rewritten. Members marked `@internal` are stripped from the .d.ts (tsconfig.build.json
// `stripInternal`), so they are in no report.
//
// `npm run api:report` (builds, then rewrites api/) · `npm run api:check` (after `npm run build`)
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const check = process.argv.includes('--check')
const reportFolder = path.join(root, 'api')
const tempFolder = path.join(root, 'dist/api-temp')

/** Report name (package.json `exports` key, as a file name) → the entry point's declarations in dist. */
const ENTRY_POINTS = {
  'vitest-mcp-host': 'dist/src/index.d.ts',
  'vitest-mcp-host-plugin': 'dist/src/plugin/index.d.ts',
  'vitest-mcp-host-servers': 'dist/src/servers/index.d.ts',
  'vitest-mcp-host-matchers': 'dist/src/matchers/index.d.ts',
}

/** The committed report against the one just made, as a unified diff (git is at hand in CI). */
function difference(file) {
  try {
    execFileSync(
      'git',
      ['diff', '--no-index', '--no-color', path.join(reportFolder, file), path.join(tempFolder, file)],
      {
        encoding: 'utf8',
      },
    )
    return ''
  } catch (error) {
    return typeof error.stdout === 'string' ? error.stdout : ''
  }
}

const failed = []
for (const [name, entry] of Object.entries(ENTRY_POINTS)) {
  if (!existsSync(path.join(root, entry))) {
    console.error(`api-report: ${entry} is missing: run \`npm run build\` first`)
    process.exit(1)
  }
  const config = ExtractorConfig.prepare({
    configObjectFullPath: path.join(root, 'scripts/api-report.mjs'),
    packageJsonFullPath: path.join(root, 'package.json'),
    configObject: {
      projectFolder: root,
      newlineKind: 'lf',
      mainEntryPointFilePath: path.join(root, entry),
      compiler: { tsconfigFilePath: path.join(root, 'tsconfig.json') },
      apiReport: {
        enabled: true,
        reportFileName: `${name}.api.md`,
        reportFolder,
        reportTempFolder: tempFolder,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        // Missing release tags are a documentation matter; forgotten exports are not.
        extractorMessageReporting: {
          'ae-missing-release-tag': { logLevel: 'none' },
          'ae-forgotten-export': { logLevel: 'error', addToApiReportFile: false },
          'ae-internal-missing-underscore': { logLevel: 'none' },
        },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
  })
  const result = Extractor.invoke(config, {
    localBuild: !check,
    showVerboseMessages: false,
  })
  if (result.apiReportChanged && check) {
    failed.push(name)
    console.error(
      `\n${name}: the public surface differs from api/${name}.api.md:\n${difference(`${name}.api.md`)}`,
    )
  } else if (!result.succeeded) {
    failed.push(name)
    console.error(
      `\n${name}: ${result.errorCount} API Extractor error(s) above (a forgotten export: export that type)`,
    )
  }
}
if (failed.length > 0) {
  console.error(
    `\napi-report: ${failed.join(', ')} failed. If the change of the surface is intended, run npm run api:report and review the diff (git diff api/) before committing it.`,
  )
  process.exit(1)
}
console.log(
  check ? 'api-report: every entry point matches its committed report' : 'api-report: api/*.api.md written',
)
