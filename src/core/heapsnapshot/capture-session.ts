import { setTimeout as sleep } from 'node:timers/promises';
import { dirname } from 'node:path';
import { CheckError } from '../../lib/errors.js';
import { evaluate, type InspectorSession } from '../../lib/inspector/client.js';
import type { CaptureRun } from '../../results/heap-capture.js';
import { fitProblems, measure, reach, stream, type CaptureFrom } from './capture.js';

/** A target under load with allocation tracking on can take many seconds to answer (each allocation records its stack). */
export const ID_TIMEOUT_MS = 60_000;

/**
 * One inspector session that takes several snapshots. V8 keeps a heap object's snapshot id for
 * the object's life, but only while some session keeps the HeapProfiler domain enabled: when any
 * session disables it (DevTools closing, another imdiag ending) V8 clears every id
 * (V8HeapProfilerAgentImpl::disable → ClearObjectIds, https://chromium.googlesource.com/v8/v8/+/refs/heads/main/src/inspector/v8-heap-profiler-agent-impl.cc),
 * and later snapshots number objects afresh. So the session pins one object at the start (a
 * remote object the session itself holds, nothing written into the target) and re-reads its id
 * before each snapshot: a different id means the ids were reset, and the run stops saying so.
 */
export interface SnapshotSession {
  readonly session: InspectorSession;
  readonly via: string;
  readonly pid: number;
  /**
   * Throws a CheckError when the pinned object's id changed (another session reset the ids). The
   * first call after the heap is numbered (a snapshot, or tracking started) records the id.
   */
  checkIds(): Promise<void>;
  /** The fit check, the id check, then one snapshot streamed to `out` (absolute, must not exist). */
  snapshot(out: string, hooks: SnapshotHooks): Promise<CaptureRun>;
  /**
   * The fit check alone, before a run whose snapshot comes at its end: a heap that does not fit
   * now will not fit then (a CheckError naming --force), so a long workload is not run for nothing.
   */
  checkFit(out: string, force: boolean): Promise<void>;
  /** With tracking on: the id of a fresh object, above every id given so far; objects allocated later get larger ones. */
  idMark(): Promise<number>;
  /** Whether the target ended the session (exited, or closed its inspector) rather than imdiag: checked after an error. */
  exited(): Promise<boolean>;
  close(): Promise<void>;
}

/** The pinned object's id changed: some inspector session on the target closed and V8 cleared the ids. */
export class IdsReset extends CheckError {}

export interface SnapshotHooks {
  signal: AbortSignal;
  force: boolean;
  onProgress?: (done: number, total: number) => void;
}

export async function openSnapshotSession(from: CaptureFrom, signal: AbortSignal): Promise<SnapshotSession> {
  const { session, via } = await reach(from, signal);
  try {
    await session.send('HeapProfiler.enable');
    const pin = await remoteObject(session, '({ imdiagPin: true })');
    // 0 (V8's kUnknownObjectId) until a snapshot or the tracker has numbered the heap.
    let pinnedId = 0;
    let closing = false;
    const pid = await evaluate<number>(session, 'process.pid');
    const checkIds = async () => {
      // A failed read is not a reset: once more, then its own error.
      const now = await heapId(session, pin)
        .catch(() => sleep(100).then(() => heapId(session, pin)))
        .catch((error: unknown) => {
          throw new CheckError(`could not re-read the pinned object's heap id: ${error instanceof Error ? error.message : String(error)}`);
        });
      if (pinnedId === 0 && now > 0) pinnedId = now;
      else if (now !== pinnedId) {
        throw new IdsReset(
          `another inspector session reset the target's heap object ids (DevTools, an IDE or another imdiag closed; the pinned object's id went from ${pinnedId} to ${now}); snapshots taken before and after cannot be compared: run again with no other session attached`,
        );
      }
    };
    return {
      session,
      via,
      pid,
      checkIds,
      async checkFit(out, force) {
        const tooBig = fitProblems(await measure(session, via, out), dirname(out));
        if (tooBig.length > 0 && !force)
          throw new CheckError(`the final snapshot would not fit: it needs ${tooBig.join('; and ')}; add --force to take it anyway`);
      },
      async snapshot(out, hooks) {
        const facts = await measure(session, via, out);
        const tooBig = fitProblems(facts, dirname(out));
        if (tooBig.length > 0 && !hooks.force) {
          throw new CheckError(`the snapshot would not fit: it needs ${tooBig.join('; and ')}; add --force to take it anyway`);
        }
        await checkIds();
        const written = await stream(session, out, hooks);
        await checkIds();
        return { ...facts, ...written, forced: tooBig.length > 0 };
      },
      async idMark() {
        // V8 numbers new objects when it next updates its id map (with tracking on, every ~50 ms), in heap order, not
        // allocation order: a mark numbered in the same update as the workload's last objects could rank below some of them.
        // So first wait for one update that numbers everything allocated so far (a throwaway object numbered), then the mark.
        await numbered(session, await remoteObject(session, '({})', 'imdiag-mark'));
        const id = await numbered(session, await remoteObject(session, '({})', 'imdiag-mark'));
        await session.send('Runtime.releaseObjectGroup', { objectGroup: 'imdiag-mark' }).catch(() => undefined);
        return id;
      },
      exited: async () => !closing && (await Promise.race([session.closed.then(() => true), sleep(300).then(() => false)])) && !closing,
      close: () => {
        closing = true;
        return session.close();
      },
    };
  } catch (error) {
    await session.close();
    throw error;
  }
}

async function remoteObject(session: InspectorSession, expression: string, objectGroup = 'imdiag-pin'): Promise<string> {
  const reply = await session.send<{ result: { objectId?: string } }>('Runtime.evaluate', { expression, objectGroup, silent: true }, ID_TIMEOUT_MS);
  if (!reply.result.objectId) throw new CheckError('the target did not return an object to pin (Runtime.evaluate)');
  return reply.result.objectId;
}

/** The heap id V8 gives `objectId` at its next id-map update (polled: with tracking on, every ~50 ms). */
async function numbered(session: InspectorSession, objectId: string): Promise<number> {
  let id = await heapId(session, objectId);
  for (let tries = 0; id === 0 && tries < 40; tries++) {
    await sleep(50);
    id = await heapId(session, objectId);
  }
  if (id === 0) throw new CheckError('the target did not number a new object within 2 s (is heap object tracking on?)');
  return id;
}

async function heapId(session: InspectorSession, objectId: string): Promise<number> {
  const reply = await session.send<{ heapSnapshotObjectId: string }>('HeapProfiler.getHeapObjectId', { objectId }, ID_TIMEOUT_MS);
  return Number(reply.heapSnapshotObjectId);
}

export interface SeriesOptions {
  from: CaptureFrom;
  outs: string[];
  everyMs: number;
  force: boolean;
}

/** `heap capture --count N --every T`: N snapshots of one session, so `heap diff` can match their ids. */
export async function captureSeries(
  options: SeriesOptions,
  hooks: { signal: AbortSignal; onProgress?: (index: number, done: number, total: number) => void },
): Promise<CaptureRun[]> {
  const opened = await openSnapshotSession(options.from, hooks.signal);
  const runs: CaptureRun[] = [];
  try {
    for (const [index, out] of options.outs.entries()) {
      if (index > 0) await sleep(options.everyMs, undefined, { signal: hooks.signal }).catch(() => undefined);
      if (hooks.signal.aborted) break;
      runs.push(
        await opened.snapshot(out, { signal: hooks.signal, force: options.force, onProgress: (done, total) => hooks.onProgress?.(index, done, total) }),
      );
    }
    return runs;
  } finally {
    await opened.close();
  }
}
