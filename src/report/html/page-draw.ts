// The page's code that turns one test's lanes (page-timeline.ts) into its SVG, problem list and
// event table. A string of browser JavaScript, inlined by page.ts after TIMELINE_SCRIPT.
export const DRAW_SCRIPT = String.raw`
function el(tag, cls, text, parent) {
  var node = document.createElement(tag)
  if (cls) node.className = cls
  if (text !== undefined && text !== null) node.textContent = text
  if (parent) parent.appendChild(node)
  return node
}

function fmtMs(ms) {
  return ms >= 1000 ? (ms / 1000).toFixed(ms >= 10000 ? 1 : 2) + ' s' : Math.round(ms * 10) / 10 + ' ms'
}

/** The SVG of all of a test's hosts: one axis, a heading row per host, a lane per server. */
function drawTest(test) {
  var origin = Infinity
  test.hosts.forEach(function (h) { if (h.startedAt && h.startedAt < origin) origin = h.startedAt })
  if (origin === Infinity) origin = 0
  var groups = test.hosts.map(function (h) { return { host: h, lanes: hostLanes(test, h, origin) } })
  var end = 1
  groups.forEach(function (g) {
    g.lanes.forEach(function (lane) {
      lane.bars.forEach(function (b) { if (b.end > end) end = b.end })
      lane.marks.forEach(function (m) { if (m.at > end) end = m.at })
      lane.rows = stackBars(lane.bars)
    })
  })
  end *= 1.02
  var plotW = W - LABEL_W - PAD
  var x = function (t) { return LABEL_W + Math.max(0, t) / end * plotW }
  var height = 22
  groups.forEach(function (g) {
    height += 18
    g.lanes.forEach(function (lane) { height += 22 + lane.rows * ROW })
  })
  var svg = svgEl('svg', { viewBox: '0 0 ' + W + ' ' + height, width: '100%', class: 'tl', role: 'img' })
  titled(svg, 'Timeline of ' + test.name)
  var step = niceStep(end)
  for (var t = 0; t <= end; t += step) {
    svgEl('line', { x1: x(t), x2: x(t), y1: 16, y2: height, class: 'grid' }, svg)
    svgEl('text', { x: x(t), y: 12, class: 'tick' }, svg).textContent = fmtMs(t)
  }
  var y = 22
  groups.forEach(function (g) {
    var head = svgEl('text', { x: 4, y: y + 13, class: 'host' }, svg)
    head.textContent = g.host.host + ' · teardown ' + g.host.teardownMs + ' ms'
    if (g.host.problems.length) {
      var link = errorLink(test, g.host.problems.map(function (p) { return p.split(':')[0] }))
      var a = svgEl('a', { href: link || '#' + test.id, class: 'mk-link' }, svg)
      var warn = svgEl('text', { x: W - PAD, y: y + 13, class: 'problem' }, a)
      warn.textContent = '✗ ' + g.host.problems.map(function (p) { return p.split(':')[0] }).join(', ')
      titled(warn, g.host.problems.join('\n'))
    }
    y += 18
    g.lanes.forEach(function (lane) {
      var laneH = 22 + lane.rows * ROW
      var label = laneLabel(lane.server)
      var lg = svgEl('g', { class: 'lane', 'data-server': lane.server.name }, svg)
      svgEl('rect', { x: 0, y: y, width: W, height: laneH - 2, class: 'lane-bg' }, lg)
      svgEl('text', { x: 8, y: y + 14, class: 'lane-name' }, lg).textContent = label.name
      svgEl('text', { x: 8, y: y + 27, class: 'lane-info' }, lg).textContent = label.info
      lane.spans.forEach(function (s) {
        titled(svgEl('rect', { x: x(s.start), y: y + laneH - 7, width: Math.max(1, x(s.end) - x(s.start)), height: 3, class: 'shutdown' }, lg),
          'shutdown ' + fmtMs(s.end - s.start))
      })
      lane.bars.forEach(function (b) {
        var bx = x(b.start)
        var bw = Math.max(2, x(b.end) - bx)
        var by = y + 18 + b.row * ROW
        var parent = b.link ? svgEl('a', { href: b.link, class: 'mk-link' }, lg) : lg
        var bar = svgEl('g', { class: 'bar bar-' + b.kind }, parent)
        titled(svgEl('rect', { x: bx, y: by, width: bw, height: ROW - 3, rx: 2 }, bar), b.title)
        if (bw > 40) {
          var text = svgEl('text', { x: bx + 3, y: by + ROW - 6, class: 'bar-text' }, bar)
          text.textContent = b.label.length * 6 > bw - 6 ? b.label.slice(0, Math.max(1, Math.floor((bw - 12) / 6))) + '…' : b.label
        }
      })
      lane.marks.forEach(function (m) {
        if (m.kind === 'more') {
          var more = svgEl('text', { x: x(m.at), y: y + 10, class: 'more' }, lg)
          more.textContent = '…'
          titled(more, m.title)
          return
        }
        drawMark(lg, m, x(m.at), y + 9)
      })
      y += laneH
    })
  })
  return svg
}

/** The details under the SVG: each host's servers' events and stderr, as text. */
function eventTable(test) {
  var box = el('details', 'events')
  el('summary', null, 'Events and stderr', box)
  box.addEventListener('toggle', function fill() {
    box.removeEventListener('toggle', fill)
    test.hosts.forEach(function (h) {
      el('h4', null, h.host, box)
      var rows = []
      h.servers.forEach(function (s) { s.events.forEach(function (e) { rows.push([e.at + ((s.startedAt || 0) - (h.startedAt || 0)), s.name, e.event, e.detail || '']) }) })
      h.requests.forEach(function (e) { rows.push([e.at, e.server || 'host', e.event, e.detail || '']) })
      rows.sort(function (a, b) { return a[0] - b[0] })
      var table = el('table', null, null, box)
      rows.forEach(function (r) {
        var tr = el('tr', null, null, table)
        el('td', 'num', fmtMs(r[0]), tr)
        el('td', null, r[1], tr)
        el('td', null, r[2], tr)
        el('td', null, r[3], tr)
      })
      h.servers.forEach(function (s) {
        if (s.stderrTail && s.stderrTail.trim()) el('pre', 'stderr', s.name + ' stderr:\n' + s.stderrTail, box)
      })
    })
  })
  return box
}
`
