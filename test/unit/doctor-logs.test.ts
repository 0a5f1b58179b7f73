import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnose, type DoctorParams } from '../../src/engines/doctor/doctor.js';
import { silentReporter } from '../../src/lib/progress.js';
import { renderMarkdown } from '../../src/report/render.js';
import { baseResult } from '../../src/lib/result.js';
import type { DoctorResult } from '../../src/results/doctor.js';

/** The logs of test/fixtures/doctor (README.source.md says how each was made), read by doctor's engine. */
const FIXTURES = fileURLToPath(new URL('../fixtures/doctor/', import.meta.url));
const fixture = (name: string) => join(FIXTURES, name);
const scratch = mkdtempSync(join(tmpdir(), 'imdiag-doctor-unit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(name: string, text: string | Buffer): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

async function run(input: string, extra: Partial<DoctorParams> = {}) {
  return diagnose({ input, snapshot: null, analyseSnapshot: true, showSecrets: false, ...extra }, silentReporter.progress);
}

describe('the WebIM post-mortem excerpt', () => {
  it("reproduces the post-mortem's first diagnosis in three lines", async () => {
    const result = await run(fixture('webim-postmortem.log'));
    expect(result.outcome).toBe('v8-oom');
    expect(result.gc.map((event) => [event.kind, event.beforeMB, event.afterMB])).toEqual([
      ['Scavenge', 1396.6, 1396.6],
      ['Mark-sweep', 1396.6, 1396.6],
      ['Mark-sweep', 1396.6, 1396.6],
    ]);
    expect(result.gc[2]!.reason).toBe('last resort gc');
    expect(result.blame.culprit?.id).toBe('mongoose-document');
    expect(result.blame.libraryFrame?.file).toBe('/home/node/node_modules/mongoose/lib/document.js');
    expect(result.verdict).toHaveLength(3);
    expect(result.verdict[0]).toContain('1,396.6 MB');
    expect(result.verdict[0]).toContain('freed nothing');
    expect(result.verdict[1]).toMatch(/^Live documents fill the heap; Mongoose was working on documents/);
    expect(result.verdict[2]).toMatch(/^Next: measure your queries — npx imdiag query /);
    expect(result.next[0]!.command).toMatch(/^npx imdiag query /);
    const collections = result.findings.find((finding) => finding.topic === 'collections')!;
    expect(collections.evidence.map((line) => line.line)).toEqual([6, 7]);
  });

  it('matches the library frame by file and function, not by line', async () => {
    const moved = readFileSync(fixture('webim-postmortem.log'), 'utf8').replace('document.js:1894', 'document.js:2210');
    expect((await run(write('moved.log', moved))).blame.culprit?.id).toBe('mongoose-document');
  });

  it('never quotes the heap strings of frame arguments unless asked', async () => {
    const planted = readFileSync(fixture('webim-postmortem.log'), 'utf8').replace('<String[4]: save>', '<String[27]: /report#token=PLANTED-HEAP>');
    const path = write('planted.log', planted);
    expect(JSON.stringify(await run(path))).not.toContain('PLANTED-HEAP');
    expect(JSON.stringify(await run(path, { showSecrets: true }))).toContain('PLANTED-HEAP');
  });
});

describe('real fatal out-of-memory outputs of Node 20, 22, 24 and 26', () => {
  it.each(['20', '22', '24', '26'])('Node %s: live objects, a spike, with a report and with a snapshot are V8 out-of-memory', async (major) => {
    for (const kind of ['live', 'spike', 'report', 'snapshot']) {
      const result = await run(fixture(`node${major}-${kind}.log`));
      expect(result.outcome, kind).toBe('v8-oom');
      expect(result.fatal?.text, kind).toMatch(/FATAL ERROR: .*JavaScript heap out of memory/);
      expect(result.gc.length, kind).toBeGreaterThan(0);
      expect(
        result.gc.every((event) => event.afterMB > 10 && event.afterMB < 300),
        kind,
      ).toBe(true);
      expect(result.frames, kind).toEqual([]);
    }
    const live = await run(fixture(`node${major}-live.log`));
    expect(live.findings.find((finding) => finding.topic === 'collections')?.text).toContain('live objects fill the heap');
    expect(live.verdict[1]).toContain('whose objects is unknown');
    expect(live.next.map((step) => step.command)).toContain('node --heapsnapshot-near-heap-limit=1 …');
    const snapshot = await run(fixture(`node${major}-snapshot.log`));
    expect(snapshot.snapshot?.status).toBe('missing');
    expect(snapshot.next.some((step) => /^npx imdiag heap \/srv\/app\/Heap\.\d+\.\d+\.\d+\.0\.001\.heapsnapshot --retainers$/.test(step.command))).toBe(true);
  });

  it.each([
    ['20', 32],
    ['22', 32],
    ['24', 32],
    ['26', 32],
  ])("Node %s's diagnostic report: the cap from the command line, the full space, no environment", async (major, cap) => {
    const result = await run(fixture(`node${major}-report.json`));
    expect(result.outcome).toBe('v8-oom');
    expect(result.report?.nodeVersion).toMatch(new RegExp(`^v${major}\\.`));
    expect(result.report?.jsStack).toBe('No stack.');
    expect(result.limit).toMatchObject({ source: 'cap', limitMB: cap });
    expect(result.findings.find((finding) => finding.topic === 'space')?.text).toMatch(/^old_space was the full space/);
  });

  it("states the limit from the report's memoryLimit less the young generation when no cap is recorded", async () => {
    const report = JSON.parse(readFileSync(fixture('node24-report.json'), 'utf8'));
    report.header.commandLine = ['/usr/local/bin/node', 'server.js'];
    const result = await run(write('nocap.json', JSON.stringify(report)));
    expect(result.limit.source).toBe('report');
    expect(result.limit.limitMB).toBe(32);
  });

  it('cuts and glued lines: the crash cut a GC line and glued the next to it', async () => {
    const result = await run(fixture('node22-live.log'));
    expect(result.gc.some((event) => event.cut)).toBe(true);
  });
});

describe('logs as loggers keep them', () => {
  const plain = readFileSync(fixture('node22-live.log'), 'utf8').split('\n');
  const around = (lines: string[]) => ['app: GET /api/unread 200 41213ms', ...lines, 'app: restarting'];
  it.each([
    ['docker json-file (kubectl logs on a node)', (line: string) => JSON.stringify({ log: `${line}\n`, stream: 'stderr', time: '2026-12-01T09:13:57.1Z' })],
    ['journalctl -o json', (line: string) => JSON.stringify({ MESSAGE: line, _PID: '4242', _SYSTEMD_UNIT: 'webim.service' })],
    ['kubectl logs --prefix --timestamps', (line: string) => `[pod/webim-7d9c/backend] 2026-12-01T09:13:57.123456789Z ${line}`],
    ['CRI', (line: string) => `2026-12-01T09:13:57.123456789Z stderr F ${line}`],
    ['journalctl short', (line: string) => `Dec 01 09:13:57 web-1 node[4242]: ${line}`],
  ])('%s', async (_name, wrap) => {
    const result = await run(write('wrapped.log', around(plain).map(wrap).join('\n')));
    const reference = await run(fixture('node22-live.log'));
    expect(result.outcome).toBe('v8-oom');
    expect(result.fatal?.text).toBe(reference.fatal?.text);
    expect(result.gc.map((event) => event.afterMB)).toEqual(reference.gc.map((event) => event.afterMB));
  });

  it('a log cut inside the GC lines is still V8 out-of-memory, said to be cut', async () => {
    const cut = plain.slice(0, 4).join('\n');
    const result = await run(write('cut.log', cut));
    expect(result.outcome).toBe('v8-oom');
    expect(result.fatal).toBeNull();
    expect(result.findings[0]!.text).toContain('cut before its FATAL ERROR line');
  });

  it('a log that just stops is no V8 out-of-memory evidence', async () => {
    const result = await run(write('stops.log', 'app: started\napp: GET /api/unread 200\napp: GET /api/unread\n'));
    expect(result.outcome).toBe('no-evidence');
    expect(result.verdict[0]).toMatch(/^No V8 out-of-memory evidence/);
  });
});

describe('kills from outside', () => {
  it("dmesg's OOM killer: the machine's limit, watch RSS", async () => {
    const result = await run(fixture('dmesg-oom-kill.log'));
    expect(result.outcome).toBe('external-kill');
    expect(result.kill).toMatchObject({ by: 'kernel', pid: 4242, rssKB: 1988404 });
    expect(result.next[0]!.command).toMatch(/^npx imdiag watch --pid/);
  });

  it("a container's last state OOMKilled, exit code 137", async () => {
    const result = await run(fixture('kubectl-describe-oomkilled.txt'));
    expect(result.outcome).toBe('external-kill');
    expect(result.kill?.by).toBe('container');
    expect(result.kill?.evidence.map((line) => line.text)).toEqual(['Reason:       OOMKilled', 'Exit Code:    137']);
  });
});

describe('secrets in a diagnostic report', () => {
  const report = JSON.parse(readFileSync(fixture('node22-report.json'), 'utf8'));
  report.environmentVariables = { SECRET_TOKEN: 'PLANTED-ENV', NODE_OPTIONS: '--max-old-space-size=64' };
  report.header.commandLine = [...report.header.commandLine, '--db-password=PLANTED-ARG', 'mongodb://app:PLANTED-URI@db-1:27017/webim'];
  const path = write('secret-report.json', JSON.stringify(report));

  it('are neither in the result nor in its report unless asked, and the environment never', async () => {
    const figures = await run(path);
    const result: DoctorResult = {
      ...baseResult('doctor', { argv: ['doctor', path], startedAt: new Date() }, {
        node: 'v20',
        platform: 'linux',
        arch: 'x64',
        hostname: 'h',
        cpus: 2,
      } as never),
      options: { input: path, snapshot: null, analyseSnapshot: true, showSecrets: false },
      ...figures,
    };
    for (const text of [JSON.stringify(result), renderMarkdown(result, { redact: true })]) {
      expect(text).not.toMatch(/PLANTED/);
    }
    expect(figures.limit).toMatchObject({ source: 'cap', limitMB: 32 });
    const shown = JSON.stringify(await run(path, { showSecrets: true }));
    expect(shown).toContain('PLANTED-ARG');
    expect(shown).not.toContain('PLANTED-ENV');
  });
});

describe('unreadable input', () => {
  it.each([
    ['empty', () => write('empty.log', ''), /empty input; expected a crash log/],
    ['blank', () => write('blank.log', '\n\n  \n'), /empty input/],
    ['binary', () => write('core.bin', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0, 0])), /binary data, not text/],
    ['missing', () => join(scratch, 'nope.log'), /no such file/],
    ['broken report', () => write('broken.json', '{"header": {"trigger": "OOMError"'), /not valid JSON/],
  ])('%s: one InputError (exit 2 through the handler)', async (_name, make, message) => {
    await expect(run(make())).rejects.toThrow(message);
    await expect(run(make())).rejects.toMatchObject({ name: 'InputError', option: null });
  });
});
