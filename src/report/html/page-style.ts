// The page's CSS: system fonts, light and dark, the outcome colours of bars and marks.
export const PAGE_STYLE = String.raw`
:root { color-scheme: light dark; --fg: #1d2127; --muted: #67707c; --bg: #fff; --line: #e3e6ea; --lane: #f6f7f9;
  --ok: #2f9e5c; --err: #d64545; --warn: #e08a1e; --hand: #7b5ccf; --note: #1f9bb0; --stop: #8a93a0; --start: #2f6fd6; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e8eb; --muted: #9aa3ad; --bg: #15181c; --line: #2b3037; --lane: #1c2026; } }
body { font: 14px/1.4 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
header { position: sticky; top: 0; background: var(--bg); border-bottom: 1px solid var(--line); padding: 10px 16px; z-index: 1; }
header h1 { font-size: 16px; margin: 0 0 6px; }
header .filters { display: flex; gap: 14px; align-items: center; flex-wrap: wrap; color: var(--muted); }
header input[type=search] { width: 260px; padding: 3px 6px; }
#summary, #shown { color: var(--muted); font-size: 12px; }
.legend { display: flex; gap: 10px; font-size: 12px; color: var(--muted); }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 3px; vertical-align: -1px; }
main { padding: 8px 16px 40px; }
section.file h2 { font-size: 14px; margin: 16px 0 4px; font-family: ui-monospace, monospace; }
section.file h2 .count { color: var(--muted); font-weight: normal; }
details.test { border-bottom: 1px solid var(--line); }
details.test > summary { cursor: pointer; padding: 3px 4px; display: flex; gap: 8px; align-items: baseline; }
details.test > summary .name { flex: 1; }
details.test > summary .info { color: var(--muted); font-size: 12px; }
details.test > summary .anchor { color: var(--muted); text-decoration: none; }
.state { width: 1em; text-align: center; }
.failed > summary .state { color: var(--err); }
.passed > summary .state { color: var(--ok); }
.body { padding: 4px 8px 12px 28px; }
pre { white-space: pre-wrap; font: 12px/1.35 ui-monospace, monospace; margin: 4px 0; padding: 6px 8px; border-radius: 4px; }
pre.error { background: rgba(214, 69, 69, 0.1); border-left: 3px solid var(--err); }
pre.warning { background: rgba(224, 138, 30, 0.1); border-left: 3px solid var(--warn); }
pre.stderr { background: var(--lane); }
.note { font-size: 12px; margin: 4px 0; }
.target { outline: 2px solid var(--start); outline-offset: 2px; }
svg.tl { display: block; margin: 6px 0; font: 11px system-ui, sans-serif; max-width: 1200px; }
svg.tl .grid { stroke: var(--line); }
svg.tl .tick { fill: var(--muted); text-anchor: middle; }
svg.tl .host { font-weight: 600; fill: var(--fg); }
svg.tl .problem { fill: var(--err); text-anchor: end; font-weight: 600; }
svg.tl .lane-bg { fill: var(--lane); }
svg.tl .lane-name { fill: var(--fg); font-weight: 600; }
svg.tl .lane-info { fill: var(--muted); font-size: 10px; }
svg.tl .bar rect { fill: var(--ok); }
svg.tl .bar-err rect, svg.tl .bar-handler-err rect, svg.tl .bar-leak rect { fill: var(--err); }
svg.tl .bar-timeout rect, svg.tl .bar-cut rect { fill: var(--warn); }
svg.tl .bar-handler rect { fill: var(--hand); }
svg.tl .bar-text { fill: #fff; font-size: 10px; pointer-events: none; }
svg.tl .shutdown { fill: var(--stop); }
svg.tl .mk { fill: var(--muted); stroke: none; }
svg.tl .mk-start, svg.tl .mk-init { fill: var(--start); }
svg.tl .mk-stop { fill: var(--stop); }
svg.tl .mk-end { fill: var(--fg); }
svg.tl .mk-bad { stroke: var(--err); stroke-width: 2.5; }
svg.tl .mk-violation { fill: var(--err); }
svg.tl .mk-round { fill: var(--hand); }
svg.tl .mk-note { fill: var(--note); }
svg.tl .mk-era { fill: var(--hand); }
svg.tl .more { fill: var(--muted); font-weight: 700; }
svg.tl a.mk-link { cursor: pointer; }
details.events table { border-collapse: collapse; font: 12px ui-monospace, monospace; }
details.events td { padding: 1px 8px 1px 0; vertical-align: top; }
details.events td.num { text-align: right; color: var(--muted); }
.none { color: var(--muted); }
`
