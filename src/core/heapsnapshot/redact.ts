import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { link, unlink } from 'node:fs/promises';
import { CheckError } from '../../lib/errors.js';
import { JsonObjectStream, type ValueHandler } from '../../lib/json-object-stream.js';
import type { Progress } from '../../lib/progress.js';
import type { HeapRedactFigures } from '../../results/heap-redact.js';
import { describeReadError, fileSize, readChunks } from './load.js';
import { filler, planner, type RedactPlan } from './redact-plan.js';

/** Arrays of non-negative integers V8 writes; any other key's value is copied whole (small, or absent). */
const NUMBER_ARRAYS = new Set(['nodes', 'edges', 'trace_function_infos', 'samples', 'locations']);
/** A value copied whole (the header, `trace_tree` of allocation tracking): at most this much. */
const MAX_COPIED_BYTES = 256 * 2 ** 20;

/**
 * `heap redact`: a copy of a snapshot whose string values (and data-like names, redact-plan.ts)
 * are same-length filler; nodes, edges, sizes and every kept name as they were, so `imdiag heap`
 * on the copy gives the same table. Two streaming passes (the plan, then the copy): neither holds
 * more than a chunk of text and a byte per string entry. Written beside `out` and linked into
 * place, so an existing file is never replaced and a stopped run leaves nothing behind.
 */
export async function redactSnapshot(
  input: string,
  out: string,
  hooks: { signal?: AbortSignal; startProgress?: (pass: string, fileBytes: number) => Progress } = {},
): Promise<HeapRedactFigures> {
  const started = performance.now();
  const size = await fileSize(input);
  const first = planner();
  await streamFile(input, size, new JsonObjectStream(first.handlerFor), hooks, 'reading');
  const plan = first.plan();
  const partial = `${out}.${process.pid}.part`;
  // Readable by its owner only, as V8 writes snapshots: it is still the process's structure.
  const file = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
  await once(file, 'open');
  try {
    const writer = copier(plan);
    await streamFile(input, size, new JsonObjectStream(writer.handlerFor), hooks, 'writing', async () => {
      const text = writer.take();
      if (text !== '' && !file.write(text)) await once(file, 'drain');
    });
    file.end('}\n');
    await once(file, 'finish');
    await link(partial, out).catch((error: NodeJS.ErrnoException) => {
      throw new CheckError(error.code === 'EEXIST' ? `${out} appeared meanwhile; the copy was not written over it` : `cannot write ${out}: ${error.message}`);
    });
    const replaced = plan.replace.subarray(0, plan.stringCount).reduce((sum, flag) => sum + flag, 0);
    return {
      fileBytes: size,
      bytesWritten: file.bytesWritten,
      nodeCount: plan.nodeCount,
      edgeCount: plan.edgeCount,
      strings: { total: plan.stringCount, replaced, kept: plan.stringCount - replaced, fillersAdded: plan.moved.size },
      durationMs: performance.now() - started,
    };
  } finally {
    if (!file.closed) file.destroy();
    await unlink(partial).catch(() => undefined);
  }
}

async function streamFile(
  path: string,
  size: number,
  parser: JsonObjectStream,
  hooks: { signal?: AbortSignal; startProgress?: (pass: string, fileBytes: number) => Progress },
  pass: string,
  afterChunk?: () => Promise<void>,
): Promise<void> {
  const progress = hooks.startProgress?.(pass, size);
  try {
    for await (const chunk of readChunks(path)) {
      if (hooks.signal?.aborted) throw new CheckError(`stopped (Ctrl-C) while ${pass} ${path}; no copy was written`);
      parser.push(chunk);
      progress?.update(Math.round(parser.bytesRead / 2 ** 20));
      await afterChunk?.();
    }
    parser.end();
  } catch (error) {
    throw describeReadError(path, size, error);
  } finally {
    progress?.done();
  }
}

/** The second pass: the same object written key by key, string values replaced, value nodes pointed at appended fillers. */
function copier(plan: RedactPlan): { handlerFor(key: string): ValueHandler; take(): string } {
  let pending: string[] = ['{'];
  let keys = 0;
  const movedLength = new Map<number, number>();
  const open = (key: string) => pending.push(`${keys++ > 0 ? ',\n' : ''}${JSON.stringify(key)}:`);
  const handlerFor = (key: string): ValueHandler => {
    open(key);
    if (key === 'strings') {
      pending.push('[');
      return {
        kind: 'strings',
        keep: () => true,
        string: (index, text) => {
          if (plan.moved.has(index)) movedLength.set(index, text.length);
          pending.push(`${index > 0 ? ',\n' : ''}${JSON.stringify(plan.replace[index] ? filler(index, text.length) : text)}`);
        },
        end: (count) => {
          for (const [index, at] of plan.moved) pending.push(`${count > 0 || at > 0 ? ',\n' : ''}${JSON.stringify(filler(at, movedLength.get(index) ?? 0))}`);
          pending.push(']');
        },
      };
    }
    if (NUMBER_ARRAYS.has(key)) {
      pending.push('[');
      let written = 0;
      let field = 0;
      let type = 0;
      const rewrite = key === 'nodes' && plan.moved.size > 0;
      return {
        kind: 'numbers',
        numbers: (batch, count) => {
          if (rewrite) {
            for (let i = 0; i < count; i++) {
              if (field === plan.typeAt) type = batch[i]!;
              else if (field === plan.nameAt && plan.nodeKind[type] !== 0) {
                const kind = plan.nodeKind[type];
                const name = batch[i]!;
                if (kind === 1 || plan.functionMoved.has(name)) batch[i] = plan.moved.get(name) ?? name;
              }
              if (++field === plan.nodeStride) field = 0;
            }
          }
          pending.push(`${written > 0 ? ',' : ''}${batch.subarray(0, count).join(',')}`);
          written += count;
        },
        end: () => pending.push(']'),
      };
    }
    return { kind: 'capture', maxBytes: MAX_COPIED_BYTES, value: (parsed) => pending.push(JSON.stringify(parsed)) };
  };
  const take = () => {
    const text = pending.join('');
    pending = [];
    return text;
  };
  return { handlerFor, take };
}
