import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { link, readFile, statfs, unlink } from 'node:fs/promises';
import { freemem } from 'node:os';
import { dirname } from 'node:path';
import { CheckError } from '../../lib/errors.js';
import { megabytes } from '../../lib/format.js';
import { formatHostPort, type HostPort } from '../../lib/inspector/address.js';
import { connectInspector, evaluate, type InspectorSession } from '../../lib/inspector/client.js';
import { openInspector } from '../../lib/inspector/open.js';
import type { CaptureFacts, CaptureRun } from '../../results/heap-capture.js';
import { stopCause } from '../../lib/stop.js';

export type { CaptureFacts, CaptureRun } from '../../results/heap-capture.js';

/**
 * A heap snapshot of a live process through its inspector (HeapProfiler.takeHeapSnapshot), the
 * chunks written to the file as they arrive (the socket paused while the file catches up), never
 * held whole in memory. Written next to the target path and linked into place at the end, so an
 * existing file is never replaced and a stopped capture leaves nothing behind.
 */

/**
 * V8 builds the snapshot inside the target, beside the heap it describes: budget twice the
 * heap in use for that (DevTools' own guidance: a snapshot needs about as much again as the heap)
 * and about as much on disk as the heap in use (the JSON of a snapshot is typically 1-2× it).
 */
export const MEMORY_FACTOR = 2;
export const DISK_FACTOR = 2;
/** A snapshot of a multi-GB heap takes minutes. */
const SNAPSHOT_TIMEOUT_MS = 30 * 60_000;

export type CaptureFrom = { kind: 'inspector'; address: HostPort } | { kind: 'pid'; pid: number };

export interface CaptureOptions {
  from: CaptureFrom;
  /** Absolute path; must not exist. */
  out: string;
  force: boolean;
}

export async function captureSnapshot(
  options: CaptureOptions,
  hooks: { signal: AbortSignal; onStart?: (facts: CaptureFacts) => void; onProgress?: (done: number, total: number) => void },
): Promise<CaptureRun> {
  const { session, via } = await reach(options.from, hooks.signal);
  try {
    const facts = await measure(session, via, options.out);
    const tooBig = fitProblems(facts, dirname(options.out));
    if (tooBig.length > 0 && !options.force) {
      throw new CheckError(`the snapshot would not fit: it needs ${tooBig.join('; and ')}; add --force to take it anyway`);
    }
    hooks.onStart?.(facts);
    const written = await stream(session, options.out, hooks);
    return { ...facts, ...written, forced: tooBig.length > 0 };
  } finally {
    await session.close();
  }
}

/** Why the snapshot would not fit (memory in the target, disk for the file); empty when it fits. */
export function fitProblems(facts: CaptureFacts, directory: string): string[] {
  const problems: string[] = [];
  if (facts.memoryNeededBytes > facts.memoryAvailableBytes) {
    problems.push(
      `about ${mb(facts.memoryNeededBytes)} of memory (twice the ${mb(facts.heapUsedBytes)} heap in use) but ${mb(facts.memoryAvailableBytes)} is available`,
    );
  }
  if (facts.diskFreeBytes !== null && facts.diskNeededBytes > facts.diskFreeBytes) {
    problems.push(`about ${mb(facts.diskNeededBytes)} on disk but ${mb(facts.diskFreeBytes)} is free in ${directory}`);
  }
  return problems;
}

export async function reach(from: CaptureFrom, signal: AbortSignal): Promise<{ session: InspectorSession; via: string }> {
  if (from.kind === 'inspector') return { session: await connectInspector(from.address, { signal }), via: `inspector ${formatHostPort(from.address)}` };
  const opened = await openInspector(from.pid, { flag: '--pid', signal });
  return { session: opened.session, via: `inspector ${formatHostPort(opened.address)} (${opened.newlyOpened ? 'opened with SIGUSR1' : 'already open'})` };
}

export async function measure(session: InspectorSession, via: string, out: string): Promise<CaptureFacts> {
  const pid = await evaluate<number>(session, 'process.pid');
  const usage = await session.send<{ usedSize: number; totalSize: number }>('Runtime.getHeapUsage');
  const stats = await statfs(dirname(out)).catch(() => null);
  return {
    pid,
    via,
    heapUsedBytes: usage.usedSize,
    memoryAvailableBytes: await memoryAvailable(),
    diskFreeBytes: stats ? stats.bavail * stats.bsize : null,
    memoryNeededBytes: usage.usedSize * MEMORY_FACTOR,
    diskNeededBytes: usage.usedSize * DISK_FACTOR,
  };
}

async function memoryAvailable(): Promise<number> {
  const meminfo = await readFile('/proc/meminfo', 'utf8').catch(() => '');
  const kb = /^MemAvailable:\s*(\d+) kB$/m.exec(meminfo)?.[1];
  return kb === undefined ? freemem() : Number(kb) * 1024;
}

export async function stream(
  session: InspectorSession,
  out: string,
  hooks: { signal: AbortSignal; onProgress?: (done: number, total: number) => void },
): Promise<{ bytesWritten: number; chunks: number; durationMs: number }> {
  const partial = `${out}.${process.pid}.part`;
  const file = createWriteStream(partial, { flags: 'wx' });
  await once(file, 'open');
  const started = Date.now();
  let chunks = 0;
  let failure: Error | null = null;
  file.on('error', (error) => (failure = error));
  const onDrain = () => session.setFlowing(true);
  file.on('drain', onDrain);
  const offChunk = session.on('HeapProfiler.addHeapSnapshotChunk', (params) => {
    chunks += 1;
    if (!file.write((params as { chunk: string }).chunk)) session.setFlowing(false);
  });
  const offProgress = session.on('HeapProfiler.reportHeapSnapshotProgress', (params) => {
    const { done, total } = params as { done: number; total: number };
    hooks.onProgress?.(done, total);
  });
  const onAbort = () => void session.close();
  hooks.signal.addEventListener('abort', onAbort, { once: true });
  try {
    await session.send('HeapProfiler.enable');
    await session.send('HeapProfiler.takeHeapSnapshot', { reportProgress: true }, SNAPSHOT_TIMEOUT_MS);
    file.end();
    await once(file, 'finish');
    if (failure) throw failure;
    // link() refuses to replace: a file that appeared at `out` meanwhile is left alone.
    await link(partial, out).catch((error: NodeJS.ErrnoException) => {
      throw new CheckError(
        error.code === 'EEXIST' ? `${out} appeared during the capture; the snapshot was not written over it` : `cannot write ${out}: ${error.message}`,
      );
    });
    return { bytesWritten: file.bytesWritten, chunks, durationMs: Date.now() - started };
  } catch (error) {
    if (hooks.signal.aborted) throw new CheckError(`the capture was stopped (${stopCause(hooks.signal)}); no file was written`);
    throw error;
  } finally {
    hooks.signal.removeEventListener('abort', onAbort);
    offChunk();
    offProgress();
    // The last chunk's write may have paused the socket, and a file that is ending never emits
    // 'drain': reading resumes here, or the session's next reply (the next snapshot of a series,
    // leak's id reads) and every event after it would wait in the socket until the target, its send
    // buffer full, stopped answering.
    file.off('drain', onDrain);
    session.setFlowing(true);
    if (!file.closed) file.destroy();
    await unlink(partial).catch(() => undefined);
  }
}

const mb = megabytes;
