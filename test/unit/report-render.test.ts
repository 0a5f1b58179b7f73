import { describe, expect, it } from 'vitest';
import { unreadVerdictLines } from '../../src/report/compare-unread/verdict.js';
import { renderHtml, renderJson, renderMarkdown, renderReport } from '../../src/report/render.js';
import { fixture } from '../helpers/report-fixtures.js';

const COMMANDS = ['seed', 'compare-unread', 'flood', 'heap', 'heap-diff'] as const;
const redact = { redact: true };

/** Elements carrying `attribute="value"`, counted in raw markup. */
function count(html: string, pattern: RegExp): number {
  return [...html.matchAll(pattern)].length;
}

describe.each(COMMANDS)('%s report', (command) => {
  it('Markdown: title, the verdict paragraph first, then sections, reproduce and environment', () => {
    const md = renderMarkdown(fixture(command), redact);
    const lines = md.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^# imdiag ${command.replace('heap-diff', 'heap diff')}`));
    expect(lines[1]).toBe('');
    expect(lines[2]).not.toMatch(/^(#|\||-|`)/); // a paragraph, not a heading, table, list or code
    expect(lines[2]!.length).toBeGreaterThan(80);
    expect(md.indexOf('## Reproduce')).toBeGreaterThan(md.indexOf(lines[2]!));
    expect(md).toMatch(/## Environment\n\n\| {2}\| {2}\|\n\| --- \| --- \|\n\| \*\*imdiag\*\* \| 0\.1\.0 \|/);
    expect(md).toMatch(/```sh\nnpx imdiag /);
    expect(md).toMatch(/\| \*\*Node\.js\*\* \| v\d+/);
    expect(md).toMatch(/\| \*\*CPUs\*\* \| \d+ × /);
    expect(md).not.toMatch(/<svg|<div|undefined|NaN|\[object Object\]/);
    // Every table row has as many cells as its header.
    for (const table of md.split(/\n\n/).filter((block) => block.startsWith('| '))) {
      const widths = table.split('\n').map((row) => row.split(/(?<!\\)\|/).length);
      expect(new Set(widths).size, table).toBe(1);
    }
  });

  it('HTML: one self-contained document, nothing to fetch, no script', () => {
    const html = renderHtml(fixture(command), redact);
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|@font-face|https?:\/\/(?!www\.w3\.org\/2000\/svg)/i);
    expect(html).not.toMatch(/url\((?!#)/); // only in-document references (clip paths)
    expect(html).toMatch(/@media \(prefers-color-scheme: dark\)/);
    expect(html).toMatch(/@media print/);
    expect(html).toMatch(/<p class="verdict" data-verdict>.{80,}<\/p>/);
    expect(html).toContain('<section id="environment">');
    expect(html).toContain('<section id="reproduce">');
    expect(html).not.toMatch(/undefined|NaN|\[object Object\]/);
  });

  it('is pure: the same result renders to the same text, and the result is not changed', () => {
    const result = fixture(command);
    const before = JSON.stringify(result);
    expect(renderHtml(result, redact)).toBe(renderHtml(fixture(command), redact));
    expect(renderMarkdown(result, redact)).toBe(renderMarkdown(fixture(command), redact));
    expect(JSON.stringify(result)).toBe(before);
  });

  it('JSON: the result object with schemaVersion first', () => {
    const json = renderJson(fixture(command), { redact: false });
    expect(json).toMatch(/^\{\n {2}"schemaVersion": 1,\n {2}"command": /);
    expect(JSON.parse(json)).toEqual(fixture(command));
    expect(renderReport(fixture(command), 'json', { redact: false })).toBe(json);
  });
});

describe('compare-unread report (article scale, an OOM under a 1536 MB cap)', () => {
  const result = fixture('compare-unread-oom');
  const html = renderHtml(result, redact);
  const md = renderMarkdown(result, redact);

  it('starts with the verdict of the run', () => {
    const [, summary, paragraph] = md.split('\n\n');
    expect(summary!.split('  \n')).toEqual(unreadVerdictLines(result.verdict).summary.map((line, index) => (index === 0 ? `**${line}**` : line)));
    expect(paragraph).toContain('agree on 38 unread messages');
  });

  it('charts peak heap, live heap, retained heap and latency with one bar per measured strategy', () => {
    const measured = result.strategies.filter((strategy) => strategy.measurement).map((strategy) => strategy.name);
    const died = result.strategies.filter((strategy) => strategy.death?.heapAtDeathBytes != null).map((strategy) => strategy.name);
    for (const chart of ['peak-heap', 'live-heap', 'retained-heap', 'latency']) {
      const svg = html.match(new RegExp(`<svg class="chart" data-chart="${chart}"[\\s\\S]*?</svg>`))?.[0] ?? '';
      const bars = [...svg.matchAll(/<rect class="bar[^"]*" data-series="([^"]+)"/g)].map((match) => match[1]);
      expect(bars, chart).toEqual(
        chart === 'peak-heap' ? result.strategies.map((s) => s.name).filter((name) => measured.includes(name) || died.includes(name)) : measured,
      );
    }
    expect(html).toMatch(/data-reference="heap cap 1536 MB"/);
    expect(count(html, /<rect class="bar[^"]* failed" data-series="naive-mongoose"/g)).toBe(1);
    expect(count(html, /data-whisker=/g)).toBe(measured.length);
  });

  it('has the tables a ticket needs: strategies, server work, agreement, what fills the heap, deaths, parameters', () => {
    expect(md).toMatch(/\| naive \| ok \| 617\.6 MB \| 611\.4 MB \| 764× \|/);
    expect(md).toMatch(/\| naive-mongoose \| OOM \| 1,489\.2 MB \|/);
    expect(md).toMatch(/## Server work[\s\S]*\| cursor \| find msgs \| topicId_1_seq_1 \| 38 \| 412 \| 38 \| no \|/);
    expect(md).toMatch(/## Agreement/);
    expect(md).toMatch(/## What fills the heap[\s\S]*\| ObjectId \| 3,304,401 \| 151 MB \|/);
    expect(md).toMatch(/## Processes that died[\s\S]*```text\n<--- Last few GCs --->/);
    expect(md).toMatch(/\| \*\*Heap cap per strategy\*\* \| 1,536 MB \(--max-old-space-size\) \|/);
    expect(md).toMatch(/\| readMsgs \| 2,418,377 \|/);
  });

  it('says so loudly when strategies disagree, and lists the failed checks', () => {
    const broken = fixture('compare-unread-oom');
    broken.agreement = {
      ...broken.agreement,
      allAgree: false,
      checks: broken.agreement.checks.map((check) => (check.strategy === 'bloom' ? { ...check, agrees: false, missing: 2 } : check)),
    };
    broken.problems = ['bloom disagrees with naive: 2 unread messages missing'];
    const text = renderMarkdown(broken, redact);
    expect(text.split('\n\n')[2]).toContain('**Strategies disagree: bloom differ from naive.**');
    expect(text).toMatch(/## Problems\n\nThese checks failed; the command exited with code 1\.\n\n- bloom disagrees with naive/);
    expect(text.indexOf('## Problems')).toBeLessThan(text.indexOf('## Strategies'));
  });
});

describe('flood report', () => {
  const result = fixture('flood');
  const html = renderHtml(result, redact);
  const md = renderMarkdown(result, redact);
  const strategies = result.runs.map((run) => run.strategy);

  it('gives each strategy its fate in the verdict', () => {
    for (const run of result.runs) expect(md.split('\n')[2]).toContain(`**${run.strategy}**: ${run.verdict === 'died' ? 'server died' : run.verdict}`);
  });

  it('draws heap and bufferedAmount over time, one line per strategy, with the fitted trends', () => {
    for (const chart of ['heap', 'buffered']) {
      const svg = html.match(new RegExp(`<svg class="chart" data-chart="${chart}"[\\s\\S]*?</svg>`))?.[0] ?? '';
      expect(
        [...svg.matchAll(/<polyline [^>]*data-series="([^"]+)"/g)].map((match) => match[1]),
        chart,
      ).toEqual(strategies);
      const points = svg.match(/data-series="per-message"[^>]*points="([^"]+)"/)?.[1]?.split(' ') ?? [];
      expect(points.length).toBe(result.runs[0]!.samples.length);
    }
    const heapSvg = html.match(/<svg class="chart" data-chart="heap"[\s\S]*?<\/svg>/)?.[0] ?? '';
    expect(count(heapSvg, /<line class="trend[^"]*" data-trend=/g)).toBe(result.runs.filter((run) => run.trend.samples >= 2).length);
  });

  it('projects growing strategies to the heap limit beside the minutes Spider lasted', () => {
    const svg = html.match(/<svg class="chart" data-chart="projection"[\s\S]*?<\/svg>/)?.[0] ?? '';
    expect(svg).toContain('data-band="Spider died here (10–30 min)"');
    expect(svg).toMatch(/data-reference="heap limit [\d,]+ MB"/);
    for (const run of result.runs.filter((r) => r.projection?.secondsToLimit != null)) {
      expect(svg).toMatch(new RegExp(`data-legend="${run.strategy}"[^]*?reaches [\\d,]+ MB ~[\\d.]+ min after the start`));
    }
  });

  it('has the producer, monitor and server tables and the warnings', () => {
    expect(md).toMatch(/## Producers\n\n\| strategy \| POSTs\/s achieved \/ asked \|/);
    expect(md).toMatch(/## Monitors[\s\S]*\| per-message \| slow \(1\) \|/);
    expect(md).toMatch(/## Server\n/);
    expect(md).toMatch(new RegExp(`\\| \\*\\*Rate\\*\\* \\| ${result.params.rate.toLocaleString('en-US')} POSTs/s in total`));
    const warned = fixture('flood');
    warned.warnings = ['per-message: producers could not keep 1000 POST/s: 2535 of 8000 scheduled POSTs succeeded'];
    expect(renderMarkdown(warned, redact)).toContain(
      '## Warnings\n\n- per-message: producers could not keep 1000 POST/s: 2535 of 8000 scheduled POSTs succeeded\n',
    );
  });

  it('reports a server that died, with its last stderr lines', () => {
    const died = fixture('flood');
    const run = died.runs[0]!;
    run.outcome = 'died';
    run.verdict = 'died';
    run.projection = null;
    run.exit = { code: null, signal: 'SIGABRT', stderrTail: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory' };
    const text = renderMarkdown(died, redact);
    expect(text.split('\n')[2]).toMatch(/\*\*per-message\*\*: server died after [\d.]+ s/);
    expect(text).toMatch(/## Servers that died\n\n\*\*per-message\*\*: the server died \(exit code –, signal SIGABRT\)\.\n\n```text\nFATAL ERROR/);
  });
});

describe('seed report', () => {
  it('lays out the dataset, collections, users and load', () => {
    const result = fixture('seed');
    const md = renderMarkdown(result, redact);
    expect(md.split('\n')[2]).toMatch(new RegExp(`^Seeded the \`${result.dataset.profile}\` WebIM dataset`));
    expect(md).toMatch(/## Dataset[\s\S]*\| messages per day \|/);
    expect(md).toMatch(new RegExp(`\\| readMsgs \\| ${result.collections.find((c) => c.name === 'readMsgs')!.documents.toLocaleString('en-US')} \\|`));
    expect(md).toMatch(new RegExp(`\\| heavy user \\| ${result.heavyUser.userId} \\|`));
    expect(md).toMatch(/## Load[\s\S]*\*\*Documents written\*\*/);
  });
});

describe('degenerate results still render', () => {
  it('a flood run that could not start (no samples, no projection)', () => {
    const result = fixture('flood');
    const run = result.runs[1]!;
    Object.assign(run, { outcome: 'error', verdict: 'inconclusive', error: 'server did not start', samples: [], staleness: [], projection: null });
    run.trend = { ...run.trend, samples: 0, verdict: 'inconclusive', reason: 'no samples' };
    const html = renderHtml(result, redact);
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
    expect(renderMarkdown(result, redact).split('\n')[2]).toContain(`**${run.strategy}**: could not run: server did not start`);
  });

  it('a compare-unread where nothing was measured', () => {
    const result = fixture('compare-unread');
    result.strategies = result.strategies.map((strategy) => ({
      ...strategy,
      status: 'skipped' as const,
      reason: 'mongoose is not installed',
      measurement: undefined,
      server: undefined,
      heapSnapshot: undefined,
      bloom: undefined,
      distinct: undefined,
      death: undefined,
    }));
    result.agreement = { reference: null, unreadCount: null, allAgree: true, checks: [] };
    const html = renderHtml(result, redact);
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
    expect(html).not.toMatch(/<rect class="bar/);
    expect(html.match(/data-missing="/g)).toHaveLength(result.strategies.length * 4);
    expect(renderMarkdown(result, redact)).toContain('No exact strategy finished, so there is no reference answer to check against.');
  });
});
