import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { InputError } from '../../lib/errors.js';
import { unwrapLine } from './prefixes.js';

/** A line the diagnosis may use: its number in the input and its text with logger prefixes removed. */
export interface InputLine {
  line: number;
  text: string;
}

export interface ReadInput {
  format: 'text' | 'report';
  bytes: number;
  lines: number;
  unwrappedLines: number;
  /** The lines that can be evidence (the others are only counted), the last MAX_KEPT of them. */
  kept: InputLine[];
  /** The parsed diagnostic report when the input is one. */
  report: unknown;
}

export const EXPECTED = "expected a crash log (the process's stderr, kubectl logs, journalctl, docker logs, dmesg) or Node's diagnostic report JSON";

/** Bounded memory on a log of any size: only lines that can be evidence are kept, the last this many. */
const MAX_KEPT = 20_000;
/** A diagnostic report is a few hundred KB; a JSON file larger than this is not one. */
const MAX_REPORT_BYTES = 64 * 2 ** 20;
/** Lines longer than this are cut (a minified bundle, a dumped document): evidence is short. */
const MAX_LINE = 4096;
const HEAD_BYTES = 8192;

// Anything V8, Node, the kernel or a container runtime writes about a crash, and frames.
const RELEVANT =
  /FATAL ERROR|Fatal (?:JavaScript|process) out of memory|out of memory|Last few GCs|JS stack ?trace|Native stack trace|ms: (?:\w+ )?(?:Scavenge|Mark|Minor)|Wrote snapshot|Node\.js report|report to file|max-old-space-size|OOMKilled|Killed process|oom-kill|Exit ?Code|exit code|status=9|code=killed|Security context|^\s*\d+: |Reason:|Last State/i;

/** Reads FILE or stdin (`-`): a diagnostic report whole, a log line by line. Bad input is one InputError (exit 2 through the handler). */
export async function readInput(source: string, signal?: AbortSignal): Promise<ReadInput> {
  const stream = await open(source);
  const state = { bytes: 0, lines: 0, unwrapped: 0, kept: [] as InputLine[], head: '', partial: '', decided: null as null | 'text' | 'report' };
  const reportChunks: Buffer[] = [];
  // Ctrl-C while a pipe stays open (`kubectl logs -f | imdiag doctor -`): stop reading, diagnose what came.
  const stop = () => stream.destroy();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    await consume();
  } catch (error) {
    if (!signal?.aborted) throw error;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  async function consume(): Promise<void> {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (signal?.aborted) break;
      state.bytes += chunk.length;
      if (state.decided === null) {
        const head = Buffer.concat([Buffer.from(state.head, 'latin1'), chunk]);
        if (head.length < HEAD_BYTES) {
          state.head = head.toString('latin1');
          continue;
        }
        if (looksBinary(head)) throw new InputError(null, `doctor ${source}: binary data, not text; ${EXPECTED}`);
        state.decided = /^\s*\{\s*"header"\s*:/.test(head.toString('utf8')) ? 'report' : 'text';
        state.head = '';
        if (state.decided === 'report') reportChunks.push(head);
        else addText(state, head.toString('utf8'));
        continue;
      }
      if (state.decided === 'report') {
        if (state.bytes > MAX_REPORT_BYTES) throw new InputError(null, `doctor ${source}: a JSON file over 64 MB is not a Node diagnostic report; ${EXPECTED}`);
        reportChunks.push(chunk);
      } else addText(state, chunk.toString('utf8'));
    }
  }
  if (state.decided === null) {
    const head = Buffer.from(state.head, 'latin1');
    if (head.toString('utf8').trim() === '') throw new InputError(null, `doctor ${source}: empty input; ${EXPECTED}`);
    if (looksBinary(head)) throw new InputError(null, `doctor ${source}: binary data, not text; ${EXPECTED}`);
    state.decided = /^\s*\{\s*"header"\s*:/.test(head.toString('utf8')) ? 'report' : 'text';
    if (state.decided === 'report') reportChunks.push(head);
    else addText(state, head.toString('utf8'));
  }
  if (state.decided === 'report')
    return { format: 'report', bytes: state.bytes, lines: 0, unwrappedLines: 0, kept: [], report: parseReport(source, reportChunks) };
  if (state.partial !== '') keepLine(state, state.partial);
  return { format: 'text', bytes: state.bytes, lines: state.lines, unwrappedLines: state.unwrapped, kept: state.kept, report: null };
}

async function open(source: string): Promise<Readable> {
  if (source === '-') {
    if (process.stdin.isTTY)
      throw new InputError(null, `doctor -: stdin is a terminal; pipe the log in (kubectl logs POD --previous | imdiag doctor -) or name a file`);
    return process.stdin;
  }
  const info = await stat(source).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(
      null,
      `doctor ${source}: ${error.code === 'ENOENT' ? 'no such file' : `cannot be read (${error.code ?? error.message})`}; ${EXPECTED}`,
    );
  });
  if (!info.isFile()) throw new InputError(null, `doctor ${source}: not a regular file; ${EXPECTED}`);
  const stream = createReadStream(source);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error: NodeJS.ErrnoException) =>
      reject(new InputError(null, `doctor ${source}: cannot be read (${error.code ?? error.message}); ${EXPECTED}`)),
    );
  });
  return stream;
}

/** NUL bytes, or many control characters, in the first KB: an executable, a core file, a snapshot's gzip. */
function looksBinary(head: Buffer): boolean {
  const sample = head.subarray(0, HEAD_BYTES);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if (byte < 9 || (byte > 13 && byte < 32)) control++;
  }
  return sample.length > 0 && control / sample.length > 0.1;
}

function addText(state: { partial: string; lines: number; unwrapped: number; kept: InputLine[] }, text: string): void {
  const pieces = (state.partial + text).split('\n');
  state.partial = pieces.pop() ?? '';
  for (const piece of pieces) keepLine(state, piece);
}

function keepLine(state: { lines: number; unwrapped: number; kept: InputLine[] }, raw: string): void {
  state.lines++;
  const { text, unwrapped } = unwrapLine(raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw);
  if (unwrapped) state.unwrapped++;
  for (const part of text.split('\n')) {
    // A blank line ends a block (the JS stack trace): kept when it follows a kept line.
    const blank = part.trim() === '' && (state.kept.at(-1)?.line ?? -2) >= state.lines - 1;
    if (blank || RELEVANT.test(part)) state.kept.push({ line: state.lines, text: part.replace(/\r$/, '') });
  }
  if (state.kept.length > MAX_KEPT * 1.5) state.kept.splice(0, state.kept.length - MAX_KEPT);
}

function parseReport(source: string, chunks: Buffer[]): unknown {
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch (error) {
    throw new InputError(null, `doctor ${source}: starts like a Node diagnostic report but is not valid JSON (${(error as Error).message}); ${EXPECTED}`);
  }
}
