// The page's drawing code (browser JavaScript, ES2017, no dependencies): one test's hosts as SVG
// lanes on a shared time axis. A string, inlined by page.ts; the browser test exercises it.
//
// Event kinds are read from the timeline's event names (src/launchers/timeline.ts and friends); a
// name it does not know is drawn as a generic mark with its name, so new kinds show up as they land.
export const TIMELINE_SCRIPT = String.raw`
var SVG_NS = 'http://www.w3.org/2000/svg'
var W = 980, LABEL_W = 190, PAD = 12, ROW = 16

var STARTS = { spawn: 1, worker: 1, thread: 1 }
var STOPS = { 'stdin-close': 1, SIGTERM: 1, SIGKILL: 1, terminate: 1, 'session-terminated': 1, 'state stopping': 1 }
var ENDS = { exit: 1, stopped: 1, 'state exited': 1 }
var BAD = { 'start-failed': 1, 'process-error': 1, 'state crashed': 1, 'leftover-processes': 1, 'session-not-terminated': 1,
  'terminate-hung': 1, 'unknown-response-id': 1, 'response-too-large': 1, 'handler-error': 1 }

function svgEl(tag, attrs, parent) {
  var node = document.createElementNS(SVG_NS, tag)
  for (var key in attrs) node.setAttribute(key, attrs[key])
  if (parent) parent.appendChild(node)
  return node
}

function titled(node, text) {
  svgEl('title', {}, node).textContent = text
  return node
}

/** The index of the test's first error named one of names, for a marker's link; -1 when none. */
function errorIndex(test, names) {
  for (var i = 0; i < test.errors.length; i++) if (names.indexOf(test.errors[i].name) !== -1) return i
  return -1
}

function errorLink(test, names) {
  var i = errorIndex(test, names)
  return i === -1 ? '' : '#' + test.id + '-e' + i
}

/** What one server event is: its kind, and whether it links to one of the test's errors. */
function classifyEvent(test, e) {
  var name = e.event
  if (name === 'more' || name === 'dropped') return { kind: 'more' }
  if (STARTS[name]) return { kind: 'start' }
  if (name === 'initialized') return { kind: 'init' }
  if (STOPS[name]) return { kind: 'stop' }
  if (ENDS[name]) return { kind: 'end' }
  if (BAD[name]) return { kind: 'bad' }
  if (/violation/i.test(name)) return { kind: 'violation', link: errorLink(test, ['ProtocolViolationError']) }
  if (/^round|input_required/i.test(name)) return { kind: 'round' }
  if (/^era\b/.test(name)) return { kind: 'era' }
  if (/^state /.test(name)) return { kind: 'state' }
  return { kind: 'other' }
}

/** A request event ('request tools/call x', '12 ms, ok') as a bar, or null. */
function requestBar(test, e) {
  if (e.event.indexOf('request ') !== 0) return null
  var detail = e.detail || ''
  var comma = detail.indexOf(', ')
  var ms = parseFloat(detail) || 0
  var outcome = comma === -1 ? detail : detail.slice(comma + 2)
  var label = e.event.slice(8)
  var kind = outcome === 'ok' ? 'ok' : / from server "/.test(label) ? 'handler-err' : 'err'
  var link = ''
  if (outcome === 'ok' && / from server "/.test(label)) kind = 'handler'
  if (/timed out while it was pending/.test(outcome)) {
    kind = 'cut'
    link = errorLink(test, ['TestTimeoutError', 'Error'])
  } else if (/the test ended while it was pending/.test(outcome)) {
    kind = 'leak'
    link = errorLink(test, ['LeakError'])
  } else if (/timed out|RequestTimeout/i.test(outcome)) kind = 'timeout'
  return { kind: kind, start: e.at - ms, end: e.at, label: label, title: label + ' — ' + detail, link: link }
}

/** One host's lanes: a lane per server (its events, its requests and notifications), times on the test's axis. */
function hostLanes(test, host, origin) {
  var lanes = []
  var byName = {}
  var hostShift = (host.startedAt || origin) - origin
  host.servers.forEach(function (s) {
    var shift = (s.startedAt || host.startedAt || origin) - origin
    var lane = { server: s, bars: [], marks: [], spans: [] }
    lanes.push(lane)
    byName[s.name] = lane
    var stopAt = null
    s.events.forEach(function (e) {
      var c = classifyEvent(test, e)
      var at = e.at + shift
      if (c.kind === 'stop' && stopAt === null) stopAt = at
      if (c.kind === 'end' && stopAt !== null) {
        lane.spans.push({ start: stopAt, end: at })
        stopAt = null
      }
      lane.marks.push({ kind: c.kind, at: at, link: c.link || '', title: e.event + (e.detail ? ' — ' + e.detail : '') })
    })
  })
  var hostLane = null
  function laneFor(server) {
    if (server && byName[server]) return byName[server]
    if (lanes.length === 1) return lanes[0]
    if (!hostLane) {
      hostLane = { server: { name: 'host', transport: 'requests', events: [] }, bars: [], marks: [], spans: [] }
      lanes.push(hostLane)
    }
    return hostLane
  }
  host.requests.forEach(function (e) {
    var bar = requestBar(test, e)
    var m = / from server "([^"]+)"| \(via client\("([^"]+)"\)\)/.exec(e.event)
    var lane = laneFor(e.server || (m && (m[1] || m[2])))
    if (bar) {
      bar.start += hostShift
      bar.end += hostShift
      lane.bars.push(bar)
    } else {
      var c = classifyEvent(test, e)
      lane.marks.push({ kind: c.kind, at: e.at + hostShift, link: c.link || '', title: e.event + (e.detail ? ' — ' + e.detail : '') })
    }
  })
  ;(host.notifications || []).forEach(function (n) {
    laneFor(n.server).marks.push({ kind: 'note', at: n.at + hostShift, link: '', title: n.method })
  })
  return lanes
}

function laneLabel(s) {
  var end = s.signal ? 'signal ' + s.signal : s.exitCode !== undefined ? 'exit ' + s.exitCode : ''
  var parts = [s.transport + (s.pid ? ' pid ' + s.pid : ''), s.era || s.protocol || '', end]
  return { name: s.name, info: parts.filter(Boolean).join(' · ') }
}

function niceStep(span) {
  var raw = span / 8
  var pow = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 0.001))))
  var steps = [1, 2, 5, 10]
  for (var i = 0; i < steps.length; i++) if (raw <= steps[i] * pow) return steps[i] * pow
  return 10 * pow
}

/** Greedy rows for overlapping bars: a bar goes on the first row free at its start. */
function stackBars(bars) {
  var rowEnds = []
  bars.sort(function (a, b) { return a.start - b.start })
  bars.forEach(function (bar) {
    var row = 0
    while (row < rowEnds.length && rowEnds[row] > bar.start) row++
    rowEnds[row] = bar.end
    bar.row = row
  })
  return Math.max(1, rowEnds.length)
}

function drawMark(g, mark, x, y) {
  var shape
  var cls = 'mk mk-' + mark.kind
  if (mark.kind === 'note') shape = svgEl('circle', { cx: x, cy: y, r: 2.5, class: cls })
  else if (mark.kind === 'init' || mark.kind === 'round' || mark.kind === 'violation')
    shape = svgEl('path', { d: 'M' + x + ' ' + (y - 5) + 'l5 5l-5 5l-5-5z', class: cls })
  else if (mark.kind === 'stop') shape = svgEl('path', { d: 'M' + (x - 4) + ' ' + (y - 4) + 'h8l-4 8z', class: cls })
  else if (mark.kind === 'end') shape = svgEl('rect', { x: x - 4, y: y - 4, width: 8, height: 8, class: cls })
  else if (mark.kind === 'bad') shape = svgEl('path', { d: 'M' + (x - 4) + ' ' + (y - 4) + 'l8 8m0-8l-8 8', class: cls })
  else shape = svgEl('circle', { cx: x, cy: y, r: mark.kind === 'state' ? 2 : 3.5, class: cls })
  titled(shape, mark.title)
  if (!mark.link) return g.appendChild(shape)
  var a = svgEl('a', { href: mark.link, class: 'mk-link' }, g)
  a.appendChild(shape)
}
`
