// The page's list of files and tests, its filters and its links. A string of browser JavaScript,
// inlined by page.ts last. A test's timeline is drawn when it is first opened (lazily: a report of
// thousands of tests opens as fast as its list).
export const APP_SCRIPT = String.raw`
var model = JSON.parse(document.getElementById('mcp-data').textContent)
var entries = []
var byId = {}
var list = document.getElementById('list')
var failedOnly = document.getElementById('f-failed')
var serverPick = document.getElementById('f-server')
var search = document.getElementById('f-search')
var shown = document.getElementById('shown')

function openTest(entry) {
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

function build() {
  var servers = {}
  var frag = document.createDocumentFragment()
  model.files.forEach(function (f) {
    var section = el('section', 'file', null, frag)
    var h = el('h2', null, f.file, section)
    var fileEntries = []
    f.tests.forEach(function (t) {
      var names = []
      var words = [f.file, t.name]
      t.hosts.forEach(function (host) {
        host.servers.forEach(function (s) { names.push(s.name); servers[s.name] = 1 })
        host.requests.forEach(function (e) { words.push(e.event) })
      })
      var row = el('details', 'test ' + t.state, null, section)
      row.id = t.id
      var sum = el('summary', null, null, row)
      el('span', 'state', t.state === 'failed' ? '✗' : t.state === 'passed' ? '✓' : '·', sum)
      el('span', 'name', t.name, sum)
      var info = []
      if (t.ms !== undefined) info.push(fmtMs(t.ms))
      if (names.length) info.push(names.join(', '))
      var requests = 0
      t.hosts.forEach(function (host) { requests += host.requests.length })
      if (requests) info.push(requests + ' requests')
      el('span', 'info', info.join(' · '), sum)
      var link = el('a', 'anchor', '#', sum)
      link.href = '#' + t.id
      link.title = 'Link to this test'
      var entry = { test: t, file: f.file, row: row, section: section, names: names, failed: t.state === 'failed',
        text: words.join('\n').toLowerCase(), drawn: false }
      row.addEventListener('toggle', function () { if (row.open) openTest(entry) })
      entries.push(entry)
      fileEntries.push(entry)
      byId[t.id] = entry
    })
    el('span', 'count', ' ' + fileEntries.length + ' tests', h)
  })
  list.appendChild(frag)
  Object.keys(servers).sort().forEach(function (name) {
    var option = el('option', null, name, serverPick)
    option.value = name
  })
}

function applyFilters() {
  var needle = search.value.trim().toLowerCase()
  var server = serverPick.value
  var count = 0
  var visibleIn = new Map()
  entries.forEach(function (e) {
    var show = (!failedOnly.checked || e.failed) && (!server || e.names.indexOf(server) !== -1) &&
      (!needle || e.text.indexOf(needle) !== -1)
    e.row.hidden = !show
    if (show) { count++; visibleIn.set(e.section, true) }
  })
  entries.forEach(function (e) { e.section.hidden = !visibleIn.get(e.section) })
  shown.textContent = count + ' of ' + entries.length + ' tests shown'
}

/** '#t-…' opens that test; '#t-…-e0' opens it and shows that error. */
function followHash() {
  var hash = decodeURIComponent(location.hash.slice(1))
  if (!hash) return
  var entry = byId[hash] || byId[hash.replace(/-e\d+$/, '')]
  if (!entry) return
  if (entry.row.hidden) {
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
followHash()
`
