// `node scripts/screenshot-report.mjs`: remakes the README's picture of the HTML report
// (examples/html-report.png): runs the demo suite (examples/, on the built package: `npm run build`
// first) with mcpHost({ html }) added to its config, opens the page in Chromium (CHROMIUM_PATH, or
// Debian's /usr/bin/chromium) with the first failing test opened, and saves a 1200 px wide shot.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'

const root = fileURLToPath(new URL('..', import.meta.url))
const target = join(root, 'examples', 'html-report.png')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const plugin = join(root, 'dist', 'src', 'plugin', 'index.js')
if (!existsSync(plugin)) throw new Error(`no ${plugin}: run npm run build first`)
if (!existsSync(CHROMIUM))
  throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`)

const work = mkdtempSync(join(tmpdir(), 'vitest-mcp-host-screenshot-'))
try {
  const page = join(work, 'index.html')
  const config = join(work, 'vitest.config.mjs')
  // The demo's own config, with the plugin writing the report: the demo itself runs without it.
  writeFileSync(
    config,
    [
      // Resolved here: the temporary directory has no node_modules.
      `import { mergeConfig } from ${JSON.stringify(import.meta.resolve('vitest/config'))}`,
      `import demo from ${JSON.stringify(join(root, 'examples', 'vitest.config.ts'))}`,
      `import { mcpHost } from ${JSON.stringify(plugin)}`,
      `export default mergeConfig(demo, { plugins: [mcpHost({ html: ${JSON.stringify(page)} })] })`,
      '',
    ].join('\n'),
  )
  const vitest = join(createRequire(import.meta.url).resolve('vitest/package.json'), '..', 'vitest.mjs')
  // The demo has failing tests (the planted bugs): its exit code says nothing here; the page must exist.
  const run = spawnSync(process.execPath, [vitest, 'run', '--config', config, '--reporter=dot'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  })
  if (run.error) throw run.error
  if (!existsSync(page)) throw new Error(`the demo run wrote no report:\n${run.stdout}\n${run.stderr}`)

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 30_000 })
  try {
    const tab = await browser.newPage({ viewport: { width: 1200, height: 900 } })
    await tab.goto(pathToFileURL(page).href, { timeout: 10_000 })
    // The first failing test, opened: its error and its servers' lanes.
    await tab.locator('details.test.failed > summary').first().click({ timeout: 10_000 })
    await tab.locator('details.test[open] svg.tl').first().waitFor({ timeout: 10_000 })
    await tab.screenshot({ path: target, fullPage: true })
  } finally {
    await browser.close()
  }
  console.log(`written ${target} (the report page: ${(statSync(page).size / 1024).toFixed(1)} KB)`)
} finally {
  rmSync(work, { recursive: true, force: true })
}
