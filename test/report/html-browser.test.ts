// The HTML report in a real browser: Debian's Chromium driven by playwright-core. The page of a
// known run loads without console errors, draws its lanes and bars, its filters and links work, and
// a report of 5,000 tests opens in under 2 s (only the rows near the viewport built), filters and links.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildReportModel, type HtmlTestInput, testId } from '../../src/report/html/model.js'
import { renderReportPage } from '../../src/report/html/page.js'
import { knownRun, manyTests } from './html-runs.js'

// What the page's callbacks use of the browser's globals (this project compiles without the DOM lib).
type Win = {
  location: { hash: string }
  document: { getElementById(id: string): { textContent: string | null } | null }
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const work = mkdtempSync(path.join(tmpdir(), 'vitest-mcp-host-html-'))
let browser: Browser

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (Debian), or set CHROMIUM_PATH`)
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 30_000 })
}, 40_000)

afterAll(async () => {
  await browser?.close()
  rmSync(work, { recursive: true, force: true })
})

function writePage(name: string, tests: HtmlTestInput[]): string {
  const file = path.join(work, `${name}.html`)
  writeFileSync(file, renderReportPage(buildReportModel(tests)))
  return pathToFileURL(file).href
}

/** Opens `url`; every console error and page error is collected. */
async function open(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(String(error)))
  await page.goto(url, { timeout: 10_000 })
  return { page, errors }
}

const shownText = (page: Page) => page.locator('#shown').textContent()

describe('the report of a known run', { timeout: 30_000 }, () => {
  const tests = knownRun()
  const failing = tests[0] as HtmlTestInput
  const failingId = testId(failing.file, failing.fullName)

  test('loads without console errors and lists every file and test', async () => {
    const { page, errors } = await open(writePage('known', tests))
    expect(await page.locator('section.file h2').allTextContents()).toEqual([
      'weather.test.ts 2 tests',
      'other.test.ts 1 tests',
    ])
    expect(await page.locator('details.test').count()).toBe(3)
    expect(await shownText(page)).toBe('3 of 3 tests shown')
    expect(errors).toEqual([])
    await page.close()
  })

  test("opening a test draws its servers' lanes, request bars by outcome, marks and the shutdown", async () => {
    const { page, errors } = await open(writePage('known', tests))
    // Drawn only when opened: a closed test has no SVG yet.
    expect(await page.locator('svg.tl').count()).toBe(0)
    await page.locator(`#${failingId} > summary`).click()
    const svg = page.locator(`#${failingId} svg.tl`)
    await expect.poll(() => svg.count()).toBe(1)
    expect(
      await svg.locator('g.lane').evaluateAll((lanes) => lanes.map((l) => l.getAttribute('data-server'))),
    ).toEqual(['weather', 'clock'])
    const bars = await svg.locator('g.bar').evaluateAll((all) => all.map((b) => b.getAttribute('class')))
    expect(bars.sort()).toEqual(['bar bar-err', 'bar bar-leak', 'bar bar-ok', 'bar bar-timeout'])
    expect(await svg.locator('.lane[data-server="weather"] g.bar title').allTextContents()).toContain(
      'tools/call weather_lookup — 40 ms, ok',
    )
    expect(await svg.locator('.mk-note').count()).toBe(2)
    expect(await svg.locator('.mk-end').count()).toBe(2)
    expect(await svg.locator('.mk-violation').count()).toBe(1)
    // An event kind the page does not know (added by later work) is still drawn, with its name.
    expect(await svg.locator('.mk-other title').allTextContents()).toContain('brand-new-kind — its detail')
    expect(await svg.locator('.shutdown').count()).toBe(2)
    expect(await svg.locator('text.lane-info').allTextContents()).toEqual([
      'stdio pid 4121 · exit 0',
      'memory',
    ])
    expect(errors).toEqual([])
    await page.close()
  })

  test('the leaked request links to the LeakError, the violation to the ProtocolViolationError', async () => {
    const { page } = await open(writePage('known', tests))
    await page.locator(`#${failingId} > summary`).click()
    const leak = page.locator(`#${failingId} a.mk-link:has(g.bar-leak)`)
    expect(await leak.getAttribute('href')).toBe(`#${failingId}-e0`)
    expect(await page.locator(`#${failingId} a.mk-link:has(.mk-violation)`).getAttribute('href')).toBe(
      `#${failingId}-e1`,
    )
    await leak.locator('rect').click()
    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as Win).location.hash))
      .toBe(`#${failingId}-e0`)
    const error = page.locator(`#${failingId}-e0`)
    expect(await error.getAttribute('class')).toContain('target')
    expect(await error.textContent()).toMatch(/^LeakError: 1 resource outlived/)
    await page.close()
  })

  test('filters: failed only, by server, by text; a #link opens its test even when filtered out', async () => {
    const { page } = await open(writePage('known', tests))
    await page.locator('#f-failed').check()
    expect(await shownText(page)).toBe('1 of 3 tests shown')
    expect(await page.locator('section.file:not([hidden])').count()).toBe(1)
    await page.locator('#f-failed').uncheck()
    await page.locator('#f-server').selectOption('clock')
    expect(await shownText(page)).toBe('1 of 3 tests shown')
    await page.locator('#f-server').selectOption('')
    await page.locator('#f-search').fill('current_time')
    await expect.poll(() => shownText(page)).toBe('1 of 3 tests shown')
    await page.locator('#f-search').fill('nothing matches this')
    await expect.poll(() => shownText(page)).toBe('0 of 3 tests shown')
    const other = tests[2] as HtmlTestInput
    const otherId = testId(other.file, other.fullName)
    await page.evaluate((id) => {
      ;(globalThis as unknown as Win).location.hash = id
    }, otherId)
    await expect
      .poll(() => page.locator(`#${otherId}`).evaluate((d) => (d as unknown as { open: boolean }).open))
      .toBe(true)
    expect(await shownText(page)).toBe('3 of 3 tests shown')
    await page.close()
  })

  test('a #link opens the page at its test', async () => {
    const { page, errors } = await open(`${writePage('known', tests)}#${failingId}`)
    await expect
      .poll(() => page.locator(`#${failingId}`).evaluate((d) => (d as unknown as { open: boolean }).open))
      .toBe(true)
    expect(await page.locator(`#${failingId} svg.tl`).count()).toBe(1)
    expect(errors).toEqual([])
    await page.close()
  })
})

describe('a report of 5,000 tests', { timeout: 60_000 }, () => {
  const tests = manyTests(5000)
  let url: string
  beforeAll(() => {
    url = writePage('many', tests)
  })

  /** Opens the page; when its list was usable, in ms since the navigation started (the page's mark). */
  async function openMany(hash = ''): Promise<{ page: Page; errors: string[]; readyMs: number }> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(String(error)))
    await page.goto(`${url}${hash}`, { waitUntil: 'load', timeout: 20_000 })
    const readyMs = await page.evaluate(
      () =>
        (
          globalThis as unknown as { performance: { getEntriesByName(n: string): { startTime: number }[] } }
        ).performance.getEntriesByName('mcp-report-ready')[0]?.startTime ?? Number.NaN,
    )
    return { page, errors, readyMs }
  }

  test('opens in under 2 s: only the rows near the viewport are built', async () => {
    const { page, errors, readyMs } = await openMany()
    expect(await shownText(page)).toBe('5000 of 5000 tests shown')
    // The bar is 2 s on a quiet machine (measured ~0.3 s; 1.5 s before the list was built in
    // chunks). Bounded at 6 s so 2 shared, loaded cores do not fail it; the time is printed.
    expect(readyMs, `the list was usable after ${Math.round(readyMs)} ms`).toBeLessThan(6000)
    const built = await page.locator('details.test').count()
    expect(built).toBeGreaterThanOrEqual(100)
    expect(built).toBeLessThan(1000)
    // Scrolled to the end, the last file's rows are built as they come near.
    const last = tests.at(-1) as HtmlTestInput
    const lastId = testId(last.file, last.fullName)
    await page.evaluate(() => {
      const g = globalThis as unknown as {
        scrollTo(x: number, y: number): void
        document: { body: { scrollHeight: number } }
      }
      g.scrollTo(0, g.document.body.scrollHeight)
    })
    await expect.poll(() => page.locator(`#${lastId}`).count(), { timeout: 5000 }).toBe(1)
    expect(errors).toEqual([])
    console.log(`5,000 tests: list usable ${Math.round(readyMs)} ms after navigation, ${built} rows built`)
    await page.close()
  })

  test('filters over every test, built or not, and draws an opened test', async () => {
    const { page, errors } = await openMany()
    // The click's change handler, timed in the page: the filter runs over the data, not the DOM.
    const filterMs = await page.evaluate(() => {
      const g = globalThis as unknown as {
        performance: { now(): number }
        document: { getElementById(id: string): { click(): void } }
      }
      const started = g.performance.now()
      g.document.getElementById('f-failed').click()
      return g.performance.now() - started
    })
    expect(await shownText(page)).toBe('50 of 5000 tests shown')
    expect(filterMs, `the filter took ${Math.round(filterMs)} ms`).toBeLessThan(1000)
    // The placeholders shrank to their one row each: scrolled to the end, every failed test's row is built.
    await expect
      .poll(
        async () => {
          await page.evaluate(() => {
            const g = globalThis as unknown as {
              scrollTo(x: number, y: number): void
              document: { body: { scrollHeight: number } }
            }
            g.scrollTo(0, g.document.body.scrollHeight)
          })
          return page.locator('details.test.failed:not([hidden])').count()
        },
        { timeout: 5000 },
      )
      .toBe(50)
    expect(await page.locator('details.test.passed:not([hidden])').count()).toBe(0)
    await page.locator('details.test:not([hidden]) > summary').first().click()
    expect(await page.locator('svg.tl').count()).toBe(1)
    await page.locator('#f-failed').uncheck()
    await page.locator('#f-search').fill('case 4321')
    await expect.poll(() => shownText(page)).toBe('1 of 5000 tests shown')
    expect(errors).toEqual([])
    console.log(`5,000 tests: failed-only filter ${Math.round(filterMs)} ms`)
    await page.close()
  })

  test('a #link to a test far down the list opens it', async () => {
    const far = tests[4907] as HtmlTestInput
    const farId = testId(far.file, far.fullName)
    const { page, errors } = await openMany(`#${farId}`)
    await expect
      .poll(() => page.locator(`#${farId}`).evaluate((d) => (d as unknown as { open: boolean }).open))
      .toBe(true)
    expect(await page.locator(`#${farId} svg.tl`).count()).toBe(1)
    expect(errors).toEqual([])
    await page.close()
  })
})
