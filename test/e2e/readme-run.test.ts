import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { writeProbeSnapshot } from '../helpers/heap-snapshots.js';
import { testMongoUri, uniqueDbName, withClient } from '../helpers/mongo.js';
import { readmeExamples, type ReadmeExample } from '../helpers/readme.js';

/**
 * A representative few of the README's examples per command, run as written after the set-up
 * (test/cli/readme-examples.test.ts validates every one): the MongoDB they name on this machine
 * (`localhost:27017`, `127.0.0.1:PORT`) or the embedded default is the test MongoDB, their database
 * one of this file's; files they read are made here, in the directory they run in. The examples that
 * name another host (`db.internal`) run unchanged and must fail with the README's one line.
 */
const dir = mkdtempSync(join(tmpdir(), 'imdiag-readme-run-'));
const db = uniqueDbName('readme');
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await withClient((client) => client.db(db).dropDatabase());
});

const all = readmeExamples();
function example(pattern: RegExp): ReadmeExample {
  const found = all.find((candidate) => pattern.test(candidate.line));
  if (!found) throw new Error(`no README example matches ${pattern}: the README changed, update this test`);
  return found;
}

/** The example's local server becomes the test MongoDB and its database ours; an example on the embedded default gets both. */
function onTestServer({ argv }: ReadmeExample): string[] {
  const local = /^mongodb:\/\/(localhost|127\.0\.0\.1):(\d+|PORT)\/?$/;
  const out = argv.map((word, i) => (local.test(word) ? testMongoUri() : argv[i - 1] === '--db' ? db : word));
  if (!out.includes('--uri')) out.push('--uri', testMongoUri());
  if (!out.includes('--db')) out.push('--db', db);
  return out;
}

async function run(found: ReadmeExample, argv = onTestServer(found)) {
  const result = await runCli(argv, { cwd: dir, env: found.env, timeoutMs: 60_000 });
  if (found.stdoutTo) writeFileSync(join(dir, found.stdoutTo), result.stdout);
  return result;
}

describe("the README's examples, run", () => {
  it('seed, then compare-unread saved as JSON, then report reads it back to the terminal and to HTML', async () => {
    const seeded = await run(example(/^npx imdiag seed --profile tiny --uri mongodb:\/\/localhost/));
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(JSON.parse(seeded.stdout)).toMatchObject({ command: 'seed' });

    const compared = await run(example(/^npx imdiag compare-unread --quick .*> unread\.json/));
    expect(compared.code, compared.stderr).toBe(0);
    expect(JSON.parse(compared.stdout)).toMatchObject({ command: 'compare-unread', agreement: { allAgree: true } });

    const readBackExample = example(/^npx imdiag report unread\.json\s*(#|$)/);
    const readBack = await run(readBackExample, readBackExample.argv);
    expect(readBack.code, readBack.stderr).toBe(0);
    expect(readBack.stdout).toMatch(/cursor/);
    const htmlExample = example(/^npx imdiag report unread\.json --out unread\.html/);
    const html = await run(htmlExample, htmlExample.argv);
    expect(html.code, html.stderr).toBe(0);
    expect(existsSync(join(dir, 'unread.html'))).toBe(true);
  }, 120_000);

  it('query: a distinct on the seeded receipts', async () => {
    const queried = await run(example(/^npx imdiag query --collection readMsgs --distinct msgId/));
    expect(queried.code, queried.stderr).toBe(0);
    expect(queried.stdout).toMatch(/driver/);
  });

  it('heap on a snapshot: the summary', async () => {
    writeProbeSnapshot(join(dir, 'app.heapsnapshot'), 'v8');
    const found = example(/^npx imdiag heap app\.heapsnapshot\s+#/);
    const summary = await run(found, found.argv);
    expect(summary.code, summary.stderr).toBe(0);
    expect(summary.stdout).toMatch(/UnreadProbe/);
  });

  it('an example naming another host fails within seconds with the one line the README documents', async () => {
    const remote = all.filter((candidate) => candidate.line.includes('db.internal'));
    expect(remote.length).toBeGreaterThanOrEqual(2);
    const started = Date.now();
    const runs = await Promise.all(remote.map((found) => run(found, found.argv)));
    // The server selection timeout is 5 s; the rest is two processes starting on a shared machine.
    expect(Date.now() - started).toBeLessThan(30_000);
    for (const [i, result] of runs.entries()) {
      expect(result.code, remote[i]!.line).toBe(1);
      expect(result.stderr.trim()).toMatch(/^imdiag: cannot reach MongoDB at mongodb:\/\/(\*\*\*@)?db\.internal[:/]\S* within 5 s: /);
      expect(result.stderr).not.toMatch(/user:pass/);
    }
  });
});
