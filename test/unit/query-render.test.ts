import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { plainStyle } from '../../src/lib/style.js';
import type { QueryResult } from '../../src/results/query.js';
import { parseSavedResult } from '../../src/report/load.js';
import { renderHtml, renderMarkdown } from '../../src/report/render.js';
import { UNWRAPPED } from '../helpers/report-fixtures.js';
import { renderQuery } from '../../src/report/query/terminal.js';

/** A real run: `imdiag query` on the tiny dataset (stand-in), every variant, --suggest-projection msgId, --fail-on live>100MB. */
const FIXTURE = new URL('../../fixtures/query.json', import.meta.url);
const result = (): QueryResult => JSON.parse(readFileSync(FIXTURE, 'utf8')) as QueryResult;

describe('query renderers (fixtures/query.json)', () => {
  it('the saved result loads for `imdiag report`; a missing field is one line naming it', () => {
    expect(parseSavedResult(readFileSync(FIXTURE, 'utf8'), 'query.json').command).toBe('query');
    const broken = result() as unknown as { queries: Array<{ variants: Array<Record<string, unknown>> }> };
    delete broken.queries[0]!.variants[1]!.status;
    expect(() => parseSavedResult(JSON.stringify(broken), 'q.json')).toThrow(
      /^q\.json is not a complete query result: queries\[0\]\.variants\[1\]\.status should be a string/,
    );
  });

  it('terminal: one row a variant, the server side, the verdict lines, the --fail-on outcome', () => {
    const text = renderQuery(result(), plainStyle, UNWRAPPED);
    for (const name of ['driver', 'stream', 'mongoose', 'lean', 'raw', 'projection']) expect(text).toMatch(new RegExp(`│ ${name} +│ ok`));
    expect(text).toMatch(/^server: IXSCAN \{ userId: 1, readDateTime: 1 \}/m);
    expect(text).toMatch(
      /^readMsgs\.find\(\{"userId":"user-001"\}\): driver holds ~1\.32 MB live for 3,179 documents, ×3\.8 its BSON\.\nEvery measured variant fits under the 64 MB heap limit\.\nUse projection: ~535\.7 KB live, 60 % less than driver\.$/m,
    );
    expect(text).toMatch(/^ {2}driver: ~/m);
    expect(text).toMatch(/│ not limited \(Buffers\) │/);
    expect(text).toMatch(/--fail-on live>100MB: passed \(driver live .* ≤ 100 MB\)/);
    expect(text).toMatch(/mongoose: schema inferred: _id: ObjectId, userId: String, msgId: ObjectId/);
  });

  it('Markdown and HTML: the verdict first, the variant table, the charts in HTML only', () => {
    const md = renderMarkdown(result(), { redact: true });
    expect(md.split('\n')[0]).toMatch(/^# imdiag query: readMsgs\.find/);
    expect(md).toMatch(/\| driver \| ok \|/);
    expect(md).toMatch(/## Verdict per variant/);
    const html = renderHtml(result(), { redact: true });
    expect(html).toContain('data-chart="live-1"');
    expect(html).toContain('data-chart="predicted-1"');
    expect(html).not.toContain('127.0.0.1:35257');
  });
});
