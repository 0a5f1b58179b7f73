/**
 * The report's only stylesheet, inlined: system fonts (no web fonts), a light and a dark palette
 * chosen by prefers-color-scheme, and print rules (white paper, no split tables or charts).
 * Series colours are CSS variables so a chart follows the theme; marks use `currentColor`.
 */
export const REPORT_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --rule: #d0d7de; --panel: #f6f8fa; --grid: #e6e9ed;
  --accent: #0969da; --bad: #cf222e; --good: #1a7f37;
  --s0: #0969da; --s1: #cf222e; --s2: #bf8700; --s3: #1a7f37; --s4: #8250df; --s5: #0a7c86; --s6: #bc4c00; --s7: #57606a; --s8: #bf3989;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9da7b3; --rule: #30363d; --panel: #161b22; --grid: #21262d;
    --accent: #4493f8; --bad: #f85149; --good: #3fb950;
    --s0: #4493f8; --s1: #f85149; --s2: #d29922; --s3: #3fb950; --s4: #a371f7; --s5: #39c5cf; --s6: #f0883e; --s7: #9da7b3; --s8: #db61a2;
  }
  svg.chart .trend { filter: brightness(1.4); }
}
* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; max-width: 70rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.6rem; margin: 0 0 .75rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .75rem; padding-bottom: .3rem; border-bottom: 1px solid var(--rule); }
p, ul { margin: .5rem 0 1rem; }
code, pre { font: .9em/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
code { background: var(--panel); padding: .1em .3em; border-radius: 4px; }
pre { background: var(--panel); border: 1px solid var(--rule); border-radius: 6px; padding: .75rem 1rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
pre code { background: none; padding: 0; }
.verdict { font-size: 1.05rem; background: var(--panel); border-left: 4px solid var(--accent); padding: .75rem 1rem; border-radius: 0 6px 6px 0; }
.verdict.problems { border-left-color: var(--bad); }
.table-wrap { overflow-x: auto; margin: .5rem 0 1rem; }
table { border-collapse: collapse; font-size: .85rem; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--rule); padding: .3rem .6rem; text-align: left; vertical-align: top; }
thead th { background: var(--panel); }
td.num, th.num { text-align: right; white-space: nowrap; }
td.nw { white-space: nowrap; }
table.facts th { background: var(--panel); font-weight: 600; white-space: nowrap; }
p.caption { color: var(--muted); font-size: .85rem; margin: -.6rem 0 1rem; }
figure { margin: 1rem 0 1.5rem; }
figcaption { color: var(--muted); font-size: .85rem; margin-top: .25rem; }
figcaption strong { color: var(--fg); }
svg.chart { display: block; width: 100%; max-width: 860px; height: auto; font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
svg.chart text { fill: var(--fg); }
svg.chart .tick, svg.chart .axis-label, svg.chart .note { fill: var(--muted); }
svg.chart .note { font-style: italic; }
svg.chart .grid { stroke: var(--grid); stroke-width: 1; }
svg.chart .axis, svg.chart .tick-mark { stroke: var(--muted); stroke-width: 1; fill: none; }
svg.chart .line { stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
svg.chart .trend { stroke-width: 2.5; stroke-dasharray: 7 5; stroke-linecap: butt; filter: brightness(.75); }
svg.chart .band { fill: var(--bad); fill-opacity: .08; }
svg.chart .band-label { fill: var(--bad); font-size: 11px; }
svg.chart .marker { stroke: var(--bg); stroke-width: 1; }
svg.chart .whisker { stroke-width: 1.5; fill: none; }
svg.chart .bar.failed { fill-opacity: .35; stroke: currentColor; stroke-width: 1.5; stroke-dasharray: 4 2; }
svg.chart .reference { stroke: var(--bad); stroke-width: 1.5; stroke-dasharray: 3 3; }
svg.chart .reference-label { fill: var(--bad); font-size: 11px; }
.c0 { color: var(--s0); } .c1 { color: var(--s1); } .c2 { color: var(--s2); } .c3 { color: var(--s3); }
.c4 { color: var(--s4); } .c5 { color: var(--s5); } .c6 { color: var(--s6); } .c7 { color: var(--s7); }
.c8 { color: var(--s8); }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--rule); padding-top: .75rem; }
@media print {
  :root { color-scheme: light; --bg: #fff; --fg: #000; --muted: #444; --rule: #999; --panel: #f2f2f2; --grid: #ddd; }
  @page { margin: 14mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  table { font-size: 8pt; }
  th, td { padding: .15rem .3rem; }
  /* Paper does not scroll: let wide tables wrap their cells instead of running off the page. */
  td.num, th.num, td.nw { white-space: normal; }
  svg.chart { max-width: 100%; }
  h2 { break-after: avoid; }
  figure, table, pre, .verdict { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  pre { white-space: pre-wrap; }
  a { color: inherit; text-decoration: none; }
}
`;
