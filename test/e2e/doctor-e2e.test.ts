import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorResult } from '../../src/results/doctor.js';
import { BIN, runCli } from '../helpers/cli.js';

/**
 * Real crashes of today's Node (the one running the tests): test/helpers/oom-child.cjs under a 32 MB
 * cap, holding live ChatMessage objects or building one large array, with and without
 * --report-on-fatalerror and --heapsnapshot-near-heap-limit=1, and one killed with SIGKILL. Each
 * process's stderr is the log `imdiag doctor` reads through bin/imdiag.js.
 */
const CHILD = fileURLToPath(new URL('../helpers/oom-child.cjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'imdiag-doctor-e2e-'));
const logs: Record<string, string> = {};
const exits: Record<string, { code: number | null; signal: NodeJS.Signals | null }> = {};

/** Runs the child to its end (or kills it once it says it waits) and keeps its output as a log file. */
function crash(name: string, flags: string[], mode: string, options: { env?: NodeJS.ProcessEnv; kill?: boolean; args?: string[] } = {}): Promise<void> {
  const cwd = join(dir, name);
  mkdirSync(cwd);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=32', ...flags, CHILD, mode, ...(options.args ?? [])], {
      cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (options.kill && output.includes('app: waiting')) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      exits[name] = { code, signal };
      logs[name] = join(cwd, 'crash.log');
      writeFileSync(logs[name], output);
      resolve();
    });
  });
}

beforeAll(async () => {
  await Promise.all([
    crash('live', [], 'live'),
    crash('spike', [], 'spike'),
    crash('report', ['--report-on-fatalerror', '--report-directory=.'], 'live', {
      env: { SECRET_TOKEN: 'PLANTED-ENV-e2e' },
      args: ['--db-password=PLANTED-ARG-e2e'],
    }),
    crash('snapshot', ['--heapsnapshot-near-heap-limit=1'], 'live'),
    crash('killed', [], 'hang', { kill: true }),
  ]);
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function doctor(...args: string[]): Promise<DoctorResult> {
  const run = await runCli(['doctor', ...args, '--json'], { timeoutMs: 300_000 });
  expect(run.stderr).not.toMatch(/unexpected error|\n\s+at /);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as DoctorResult;
}

describe('imdiag doctor on crashes made here', () => {
  it('the children died as V8 makes them die (SIGABRT), and by SIGKILL', () => {
    for (const name of ['live', 'spike', 'report', 'snapshot']) expect(exits[name]!.signal, name).toBe('SIGABRT');
    expect(exits.killed!.signal).toBe('SIGKILL');
  });

  it('live objects: V8 out of memory, collections freed nothing, whose objects unknown without a snapshot', async () => {
    const result = await doctor(logs.live!);
    expect(result.outcome).toBe('v8-oom');
    expect(result.verdict[0]).toMatch(/^V8 ran out of heap: [\d.]+ MB when V8 gave up/);
    expect(result.blame.source).toBe('none');
    expect(result.next.map((step) => step.command)).toContain('node --heapsnapshot-near-heap-limit=1 …');
  });

  it('an allocation spike: V8 out of memory too, and the log is not asked to tell it from a leak', async () => {
    const result = await doctor(logs.spike!);
    expect(result.outcome).toBe('v8-oom');
    const collections = result.findings.find((finding) => finding.topic === 'collections')!;
    expect(collections.text).toContain('cannot be told from a slow leak here');
  });

  it('with --report-on-fatalerror: the report beside the log gives the cap and the full space; no secret leaves', async () => {
    expect(readdirSync(join(dir, 'report')).some((name) => /^report\..*\.json$/.test(name))).toBe(true);
    const result = await doctor(logs.report!);
    expect(result.report?.jsStack).toBe('No stack.');
    expect(result.limit).toMatchObject({ source: 'cap', limitMB: 32 });
    expect(result.findings.some((finding) => finding.topic === 'space')).toBe(true);
    expect(JSON.stringify(result)).not.toMatch(/PLANTED/);
    const md = join(dir, 'report', 'doctor.md');
    const run = await runCli(['doctor', logs.report!, '--report', md], { timeoutMs: 120_000 });
    expect(run.code).toBe(0);
    expect(readFileSync(md, 'utf8')).not.toMatch(/PLANTED/);
    expect(run.stdout).not.toMatch(/PLANTED/);
    const reportFile = readdirSync(join(dir, 'report')).find((name) => name.endsWith('.json'))!;
    const direct = await doctor(join(dir, 'report', reportFile));
    expect(direct.input.format).toBe('report');
    expect(JSON.stringify(direct)).not.toMatch(/PLANTED/);
  });

  it('with --heapsnapshot-near-heap-limit=1: the class that filled the heap, named from the snapshot', async () => {
    const result = await doctor(logs.snapshot!);
    expect(result.snapshot).toMatchObject({ foundBy: 'log', status: 'analysed', topOwnClass: 'ChatMessage' });
    expect(result.blame.source).toBe('snapshot');
    expect(result.verdict[1]).toMatch(/^ChatMessage objects fill the heap/);
    expect(result.next[0]!.command).toMatch(/^npx imdiag heap .*\.heapsnapshot --retainers$/);
  }, 300_000);

  it('killed with SIGKILL: the log just stops — no V8 evidence; with the supervisor line, a kill from outside', async () => {
    expect((await doctor(logs.killed!)).outcome).toBe('no-evidence');
    const supervised = join(dir, 'killed', 'journal.log');
    writeFileSync(supervised, `${readFileSync(logs.killed!, 'utf8')}webim.service: Main process exited, code=killed, status=9/KILL\n`);
    const result = await doctor(supervised);
    expect(result.outcome).toBe('external-kill');
    expect(result.verdict[1]).toContain('watch RSS');
  });

  it('reads stdin with -', async () => {
    const child = spawn(process.execPath, [BIN, 'doctor', '-', '--json'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stdin.end(readFileSync(logs.live!));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as DoctorResult).outcome).toBe('v8-oom');
  });
});

describe('imdiag doctor on unreadable input: one line, exit 2', () => {
  it.each([
    ['empty', () => (writeFileSync(join(dir, 'empty.log'), ''), join(dir, 'empty.log')), /^imdiag: doctor .*empty\.log: empty input; expected a crash log/],
    ['binary', () => (writeFileSync(join(dir, 'core'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0])), join(dir, 'core')), /binary data, not text/],
    ['missing', () => join(dir, 'nowhere.log'), /nowhere\.log: no such file/],
    ['no file at all', () => '', /doctor needs the crash log or report/],
  ])('%s', async (_name, make, message) => {
    const run = await runCli(['doctor', make()]);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(message);
  });
});
