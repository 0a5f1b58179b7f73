import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSlowQueryLog } from '../../src/engines/query/log.js';
import { predict } from '../../src/engines/query/predict.js';
import { atRecordedSize } from '../../src/engines/query/recorded-size.js';
import { groupByShape } from '../../src/engines/query/shape.js';
import { SkipCounter } from '../../src/engines/query/skipped.js';
import { failOnFigures, verdictLines, verdictText } from '../../src/engines/query/verdict.js';
import type { MeasuredQuery, QueryResult } from '../../src/results/query.js';
import { routerText, skippedText } from '../../src/report/query/recorded.js';
import { renderQuery } from '../../src/report/query/terminal.js';
import { renderHtml, renderMarkdown } from '../../src/report/render.js';
import { plainStyle } from '../../src/lib/style.js';

const line = (attr: Record<string, unknown>, c = 'COMMAND') =>
  JSON.stringify({ t: { $date: '2026-11-29T10:00:00.000+00:00' }, s: 'I', c, id: 51803, ctx: 'conn1', msg: 'Slow query', attr });
const find = (filter: Record<string, unknown>) => ({ find: 'readMsgs', filter, $db: 'app' });
const first = (cursorid: number, nreturned: number, reslen: number, filter = { userId: 'u' }) =>
  line({ type: 'command', ns: 'app.readMsgs', command: find(filter), cursorid, nreturned, reslen, durationMillis: 120 });
const getMore = (cursorid: number, nreturned: number, reslen: number, last = false, filter = { userId: 'u' }) =>
  line({
    type: 'command',
    ns: 'app.readMsgs',
    command: { getMore: cursorid, collection: 'readMsgs', $db: 'app' },
    originatingCommand: find(filter),
    cursorid,
    nreturned,
    reslen,
    ...(last && { cursorExhausted: true }),
    durationMillis: 150,
  });

function shapesOf(text: string) {
  const parsed = parseSlowQueryLog(text, 'app');
  const skipped = new SkipCounter().merge(parsed.skipped);
  return { parsed, groups: groupByShape(parsed.operations, skipped), skipped: skipped.list() };
}

describe('the recorded size: per cursor, its find and getMore lines summed', () => {
  it('a complete cursor sums exactly; the largest cursor of the shape is its size', () => {
    const { groups } = shapesOf(
      [first(1, 101, 10_000), getMore(1, 1000, 100_000), getMore(1, 50, 5000, true), first(2, 101, 10_000), getMore(2, 10, 1000, true)].join('\n'),
    );
    expect(groups).toHaveLength(1);
    expect(groups[0]!.recordedSize).toEqual({ docs: 1151, bytes: 115_000, atLeast: false, incompleteCursors: 0, withoutFirstBatch: 0 });
  });
  it('"at least" when no line of the cursor has cursorExhausted, or when its find line is missing', () => {
    const noLast = shapesOf([first(1, 101, 10_000), getMore(1, 1000, 100_000)].join('\n')).groups[0]!.recordedSize;
    expect(noLast).toMatchObject({ docs: 1101, atLeast: true, incompleteCursors: 1, withoutFirstBatch: 0 });
    const noFirst = shapesOf([getMore(3, 1000, 100_000), getMore(3, 7, 700, true)].join('\n')).groups[0]!.recordedSize;
    expect(noFirst).toMatchObject({ docs: 1007, bytes: 100_700, atLeast: true, incompleteCursors: 1, withoutFirstBatch: 1 });
    // A find whose first reply closed the cursor (no cursorid) is its whole result.
    const single = shapesOf(line({ type: 'command', ns: 'app.readMsgs', command: find({ userId: 'v' }), nreturned: 3, reslen: 300 })).groups[0]!;
    expect(single.recordedSize).toMatchObject({ docs: 3, atLeast: false });
  });
  it('a larger complete cursor beside an incomplete one: exact, and the incomplete one counted', () => {
    const size = shapesOf([first(1, 101, 1), getMore(1, 5000, 1, true), first(2, 101, 1), getMore(2, 30, 1)].join('\n')).groups[0]!.recordedSize;
    expect(size).toMatchObject({ docs: 5101, atLeast: false, incompleteCursors: 1 });
  });
});

describe('recorded operations not measured, by reason and named', () => {
  it('other databases, writes, unparsable lines, getMores without their find, other commands, imdiag', () => {
    const text = [
      first(1, 101, 10_000),
      line({ type: 'command', ns: 'other.msgs', command: { find: 'msgs', filter: {} }, nreturned: 1, reslen: 100, durationMillis: 120 }),
      line(
        { type: 'update', ns: 'app.readMsgs', command: { q: { userId: 'u' }, u: { $set: { r: 1 } }, multi: true }, nMatched: 1, durationMillis: 130 },
        'WRITE',
      ),
      line({ type: 'command', ns: 'app.readMsgs', command: { insert: 'readMsgs', ordered: true, $db: 'app' }, ninserted: 3, durationMillis: 101 }),
      line({
        type: 'command',
        ns: 'app.readMsgs',
        command: { getMore: 99, collection: 'readMsgs' },
        cursorid: 99,
        nreturned: 10,
        reslen: 10,
        durationMillis: 200,
      }),
      line({ type: 'command', ns: 'app.readMsgs', command: { count: 'readMsgs', query: {} }, durationMillis: 200 }),
      line({ type: 'command', ns: 'app.msgs', appName: 'imdiag-query-driver', command: { find: 'msgs', filter: {} }, durationMillis: 120 }),
      '{"t":{"$date":"2026-11-29T10:00:0',
    ].join('\n');
    const { parsed, groups, skipped } = shapesOf(text);
    expect(parsed.unparsedLines).toBe(1);
    expect(groups).toHaveLength(1);
    expect(Object.fromEntries(skipped.map((skip) => [skip.reason, [skip.count, skip.names]]))).toEqual({
      'other-database': [1, ['other.msgs']],
      write: [2, ['app.readMsgs']],
      unparsable: [1, []],
      'orphan-getmore': [1, ['app.readMsgs']],
      'not-a-query': [1, ['count']],
      imdiag: [1, ['app.msgs']],
    });
    const said = skippedText(skipped)!;
    expect(said).toMatch(/^recorded but not measured: 2 writes \(imdiag only reads\) \(app\.readMsgs\); /);
    expect(said).toContain('1 of other databases (other.msgs)');
    expect(said).toContain('1 getMores whose find was not recorded');
  });
});

describe("a mongos's log (test/fixtures/logs/mongos-slow-query.source.md)", () => {
  const parsed = parseSlowQueryLog(readFileSync(new URL('../fixtures/logs/mongos-slow-query.log', import.meta.url), 'utf8'), 'app');
  it('reads nShards and remoteOpWaitMillis, and says the examined counts are absent', () => {
    expect(parsed.router).toEqual({ lines: 4, maxShards: 3, remoteOpWaitMillis: 1834, durationMillis: 2102, withExamined: 0 });
    const groups = groupByShape(parsed.operations);
    const readMsgs = groups.find((group) => group.collection === 'readMsgs')!;
    expect(readMsgs).toMatchObject({ maxShards: 2, recordedSize: { docs: 190_170, bytes: 21_106_984, atLeast: false }, planSummaries: [] });
    expect(groups.find((group) => group.collection === 'msgs')).toMatchObject({ maxShards: 3, recordedSize: { docs: 12, atLeast: false } });
    const text = routerText(parsed.router)!;
    expect(text).toContain('4 carry nShards (up to 3 shards per operation)');
    expect(text).toContain('remoteOpWaitMillis 1,834 ms waiting for shards of 2,102 ms');
    expect(text).toMatch(/keysExamined \/ docsExamined absent from 4 of them \(a mongos does not log them unless query stats are enabled/);
  });
});

/** fixtures/query.json's measured query: 3,179 documents, measured on a sample of 1,000, under a 64 MB heap limit. */
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/query.json', import.meta.url), 'utf8')) as QueryResult;
const measured = fixture.queries[0]!;
const limit = fixture.options.heapLimitBytes;
const driverOf = (query: MeasuredQuery) => query.variants.find((v) => v.name === 'driver')!;

describe('the prediction at the recorded size', () => {
  const size = { docs: 317_900, bytes: 317_900 * 115, atLeast: true, incompleteCursors: 1, withoutFirstBatch: 0 };
  const at = atRecordedSize(measured, size, limit);
  const query: MeasuredQuery = { ...measured, atRecorded: at };
  it("is each variant's measured fixed and per-document cost carried to the recorded documents", () => {
    const driver = driverOf(measured);
    if (driver.status !== 'ok') throw new Error('fixture driver not ok');
    const expected = predict(driver.measurement.liveHalf, driver.measurement.live!, 317_900);
    expect(at).toMatchObject({ differs: true, ratio: 100, unrepresentative: false });
    expect(at.variants.find((v) => v.name === 'driver')!.prediction).toEqual(expected);
    // ~138 MB for driver: over the fixture's 64 MB limit at that size.
    expect(at.variants.find((v) => v.name === 'driver')!.cap).toMatchObject({ fits: false });
  });
  it('the verdict leads with it; the per-variant lines add it; --fail-on judges the larger and says which', () => {
    const lines = verdictLines(query, limit, true);
    expect(lines).toContain('at the recorded size (at least 317,900 documents recorded for one result, 100× the 3,179 --db holds):');
    expect(lines.some((l) => /^ {2}driver: ~\d+(\.\d+)? MB live \(.*\), OOM after ~[\d,]+ documents under/.test(l))).toBe(true);
    expect(verdictText([query], lines, 'the slow-query log')).toMatch(
      /^.*: the slow-query log recorded at least 317,900 documents returned by this query; --db holds 3,179: at that size driver needs ~\d+/,
    );
    const figures = failOnFigures([query], 'driver');
    expect(figures.figures.live).toBe(at.variants.find((v) => v.name === 'driver')!.prediction.liveBytes);
    expect(figures.figures.docs).toBe(317_900);
    expect(figures.basis).toBe('at the recorded size, at least 317,900 documents');
    expect(figures.verdicts).toContain('oom');
  });
  it('the same size as the data at hand: one prediction, no extra line', () => {
    const same = atRecordedSize(measured, { docs: 3179, bytes: 346_511 + 400, atLeast: false, incompleteCursors: 0, withoutFirstBatch: 0 }, limit);
    expect(same).toMatchObject({ differs: false, variants: [] });
    const query1: MeasuredQuery = { ...measured, atRecorded: same };
    expect(verdictLines(query1, limit, true)).toEqual(verdictLines(measured, limit, true));
    expect(verdictText([query1], verdictLines(query1, limit, true), 'the slow-query log')).toBe(verdictText([measured], verdictLines(measured, limit, true)));
    expect(failOnFigures([query1], 'driver').basis).toBe('for the data at hand');
  });
  it("says when the record's documents are clearly larger than the data's (the copy is not representative)", () => {
    const fat = atRecordedSize(measured, { docs: 3179, bytes: 3179 * 400, atLeast: false, incompleteCursors: 0, withoutFirstBatch: 0 }, limit);
    expect(fat).toMatchObject({ differs: false, unrepresentative: true });
    expect(verdictLines({ ...measured, atRecorded: fat }, limit, true).at(-1)).toMatch(/^the record's documents average 400 B .* --db is not representative/);
  });
});

describe('the terminal and the report with a recorded query', () => {
  it('show the ranking with the recorded size, what was not measured, the mongos lines and the lead at the recorded size', () => {
    const parsed = parseSlowQueryLog(readFileSync(new URL('../fixtures/logs/mongos-slow-query.log', import.meta.url), 'utf8'), 'app');
    const groups = groupByShape(parsed.operations);
    const size = groups[0]!.recordedSize;
    const result: QueryResult = {
      ...fixture,
      options: { ...fixture.options, source: 'log', logFile: 'mongos.log' },
      queries: [{ ...measured, atRecorded: atRecordedSize(measured, size, limit) }],
      recorded: {
        source: 'log',
        operations: parsed.operations.length,
        lines: parsed.lines,
        slowQueryLines: parsed.slowQueryLines,
        unparsedLines: parsed.unparsedLines,
        shapes: groups.map((group) => ({ ...group, heaviest: JSON.stringify(group.heaviest), measured: true })),
        skipped: [{ reason: 'other-database', count: 2, names: ['billing.invoices'] }],
        router: parsed.router,
      },
    };
    const terminal = renderQuery(result, plainStyle, { width: 400, wide: true });
    expect(terminal).toContain('190,170 (20.1 MB)');
    expect(terminal).toContain('nShards 2');
    expect(terminal).toContain('recorded but not measured: 2 of other databases (billing.invoices)');
    expect(terminal).toContain('mongos lines: 4 carry nShards');
    expect(terminal).toMatch(
      /The slow-query log recorded 190,170 documents for one result of this query, 60× the 3,179 --db holds: at that size driver holds ~/,
    );
    for (const report of [renderMarkdown(result, { redact: true }), renderHtml(result, { redact: true })]) {
      expect(report).toContain('190,170 (20.1 MB)');
      expect(report).toContain('keysExamined / docsExamined absent from 4 of them');
    }
  });
});
