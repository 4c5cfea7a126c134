// The report as one self-contained HTML file: the page's CSS and JavaScript inlined, the model as
// JSON in a script element. No network and no library: it opens from file:// and stays readable
// for as long as browsers read HTML and SVG (README "HTML report" says why).
import type { ReportModel } from './model.js'
import { APP_SCRIPT } from './page-app.js'
import { DRAW_SCRIPT } from './page-draw.js'
import { PAGE_STYLE } from './page-style.js'
import { TIMELINE_SCRIPT } from './page-timeline.js'

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string)

/** JSON that cannot end its script element (`</script>`) nor start a comment in it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c')

const LEGEND = [
  ['ok', 'var(--ok)'],
  ['error', 'var(--err)'],
  ['timeout / cut off', 'var(--warn)'],
  ['client handler', 'var(--hand)'],
  ['notification', 'var(--note)'],
  ['start', 'var(--start)'],
  ['shutdown', 'var(--stop)'],
]

export function renderReportPage(model: ReportModel): string {
  const legend = LEGEND.map(
    ([name, colour]) => `<span><i style="background:${colour}"></i>${name}</span>`,
  ).join('')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(model.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(model.title)} <span id="summary"></span></h1>
<div class="filters">
<label><input type="checkbox" id="f-failed"> failed only</label>
<label>server <select id="f-server"><option value="">all</option></select></label>
<input type="search" id="f-search" placeholder="search tests, files, tools" aria-label="search">
<span id="shown"></span>
<span class="legend">${legend}</span>
</div>
</header>
<main id="list"></main>
<script type="application/json" id="mcp-data">${scriptJson(model)}</script>
<script>
(function () {
'use strict'
${TIMELINE_SCRIPT}
${DRAW_SCRIPT}
${APP_SCRIPT}
})()
</script>
</body>
</html>
`
}
