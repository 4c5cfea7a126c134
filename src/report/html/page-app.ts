// The page's list of files and tests, its filters and its links. A string of browser JavaScript,
// inlined by page.ts last. Only what is near the viewport is built: the tests come in chunks of
// CHUNK rows, each a placeholder of its estimated height until it scrolls near (IntersectionObserver),
// and a test's timeline is drawn when it is first opened. Filters work on the data, so a report of
// thousands of tests opens and filters as fast as one of a hundred.
export const APP_SCRIPT = String.raw`
var CHUNK = 100
/** The height of one closed test row, for a placeholder's size (CSS: details.test > summary). */
var ROW_PX = 27
/** Rows built before the page is first shown: a small report is built whole, at once. */
var FIRST_ROWS = 150
var model = JSON.parse(document.getElementById('mcp-data').textContent)
var entries = []
var chunks = []
var sections = []
var byId = {}
var list = document.getElementById('list')
var failedOnly = document.getElementById('f-failed')
var serverPick = document.getElementById('f-server')
var search = document.getElementById('f-search')
var shown = document.getElementById('shown')
var observer = typeof IntersectionObserver === 'function'
  ? new IntersectionObserver(function (seen) {
      seen.forEach(function (s) { if (s.isIntersecting) buildChunk(s.target.chunk) })
    }, { rootMargin: '1200px 0px' })
  : null

function openTest(entry) {
  buildChunk(entry.chunk)
  if (!entry.drawn) {
    entry.drawn = true
    var t = entry.test
    var body = el('div', 'body', null, entry.row)
    t.errors.forEach(function (e, i) {
      var pre = el('pre', 'error', e.name + ': ' + e.message, body)
      pre.id = t.id + '-e' + i
    })
    t.warnings.forEach(function (w) { el('pre', 'warning', w, body) })
    t.notes.forEach(function (n) {
      var note = el('div', 'note', null, body)
      var link = errorLink(t, ['TestTimeoutError', 'Error'])
      if (link) { var a = el('a', null, 'cut off by the timeout: ', note); a.href = link } else el('span', null, 'cut off: ', note)
      el('span', null, n, note)
    })
    if (t.hosts.length) {
      body.appendChild(drawTest(t))
      body.appendChild(eventTable(t))
    } else el('p', 'none', 'No host of vitest-mcp-host ran in this test.', body)
  }
  entry.row.open = true
}

/** One test's row: its state, name, duration, servers, request count and link; its body comes when opened. */
function buildRow(entry, parent) {
  var t = entry.test
  var row = el('details', 'test ' + t.state, null, parent)
  row.id = t.id
  row.hidden = !entry.show
  var sum = el('summary', null, null, row)
  el('span', 'state', t.state === 'failed' ? '✗' : t.state === 'passed' ? '✓' : '·', sum)
  el('span', 'name', t.name, sum)
  var info = []
  if (t.ms !== undefined) info.push(fmtMs(t.ms))
  if (entry.names.length) info.push(entry.names.join(', '))
  if (entry.requests) info.push(entry.requests + ' requests')
  el('span', 'info', info.join(' · '), sum)
  var link = el('a', 'anchor', '#', sum)
  link.href = '#' + t.id
  link.title = 'Link to this test'
  row.addEventListener('toggle', function () { if (row.open) openTest(entry) })
  entry.row = row
}

function buildChunk(chunk) {
  if (chunk.built) return
  chunk.built = true
  if (observer) observer.unobserve(chunk.box)
  var frag = document.createDocumentFragment()
  chunk.entries.forEach(function (entry) { buildRow(entry, frag) })
  chunk.box.appendChild(frag)
  chunk.box.style.minHeight = ''
}

/** The files' headings and, per CHUNK tests, a placeholder; the data each filter reads. */
function build() {
  var servers = {}
  var frag = document.createDocumentFragment()
  model.files.forEach(function (f) {
    var section = el('section', 'file', null, frag)
    var h = el('h2', null, f.file, section)
    el('span', 'count', ' ' + f.tests.length + ' tests', h)
    var sectionInfo = { node: section, chunks: [] }
    sections.push(sectionInfo)
    for (var start = 0; start < f.tests.length; start += CHUNK) {
      var chunk = { entries: [], box: el('div', 'chunk', null, section), built: false }
      chunk.box.chunk = chunk
      sectionInfo.chunks.push(chunk)
      chunks.push(chunk)
      f.tests.slice(start, start + CHUNK).forEach(function (t) {
        var names = []
        var words = [f.file, t.name]
        var requests = 0
        t.hosts.forEach(function (host) {
          host.servers.forEach(function (s) { if (names.indexOf(s.name) === -1) names.push(s.name); servers[s.name] = 1 })
          host.requests.forEach(function (e) { words.push(e.event) })
          requests += host.requests.length
        })
        var entry = { test: t, file: f.file, chunk: chunk, row: null, names: names, requests: requests,
          failed: t.state === 'failed', text: words.join('\n').toLowerCase(), drawn: false, show: true }
        chunk.entries.push(entry)
        entries.push(entry)
        byId[t.id] = entry
      })
    }
  })
  list.appendChild(frag)
  Object.keys(servers).sort().forEach(function (name) {
    var option = el('option', null, name, serverPick)
    option.value = name
  })
}

/** Builds the first chunks now, and leaves the others to the observer (all of them without one). */
function buildFirstChunks() {
  var rows = 0
  chunks.forEach(function (chunk) {
    if (!observer || rows < FIRST_ROWS) buildChunk(chunk)
    else observer.observe(chunk.box)
    rows += chunk.entries.length
  })
}

function applyFilters() {
  var needle = search.value.trim().toLowerCase()
  var server = serverPick.value
  var count = 0
  entries.forEach(function (e) {
    e.show = (!failedOnly.checked || e.failed) && (!server || e.names.indexOf(server) !== -1) &&
      (!needle || e.text.indexOf(needle) !== -1)
    if (e.row) e.row.hidden = !e.show
    if (e.show) count++
  })
  sections.forEach(function (s) {
    var inSection = 0
    s.chunks.forEach(function (chunk) {
      var visible = 0
      chunk.entries.forEach(function (e) { if (e.show) visible++ })
      chunk.box.hidden = visible === 0
      if (!chunk.built) chunk.box.style.minHeight = visible * ROW_PX + 'px'
      inSection += visible
    })
    s.node.hidden = inSection === 0
  })
  shown.textContent = count + ' of ' + entries.length + ' tests shown'
}

/** '#t-…' opens that test; '#t-…-e0' opens it and shows that error. */
function followHash() {
  var hash = decodeURIComponent(location.hash.slice(1))
  if (!hash) return
  var entry = byId[hash] || byId[hash.replace(/-e\d+$/, '')]
  if (!entry) return
  if (!entry.show) {
    failedOnly.checked = false
    serverPick.value = ''
    search.value = ''
    applyFilters()
  }
  openTest(entry)
  var target = document.getElementById(hash) || entry.row
  target.scrollIntoView({ block: 'start' })
  var marked = document.querySelector('.target')
  if (marked) marked.classList.remove('target')
  target.classList.add('target')
}

var timer = null
search.addEventListener('input', function () {
  clearTimeout(timer)
  timer = setTimeout(applyFilters, 120)
})
failedOnly.addEventListener('change', applyFilters)
serverPick.addEventListener('change', applyFilters)
window.addEventListener('hashchange', followHash)
build()
var failedCount = entries.filter(function (e) { return e.failed }).length
document.getElementById('summary').textContent = model.files.length + ' files · ' + entries.length + ' tests · ' +
  failedCount + ' failed · generated ' + model.generatedAt
applyFilters()
buildFirstChunks()
followHash()
// When the list is usable; the browser test reads it (ms since the navigation started).
if (performance.mark) performance.mark('mcp-report-ready')
`
