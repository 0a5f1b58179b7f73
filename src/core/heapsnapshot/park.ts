import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One array to park: how to read it and where to put it (its holder gets an empty array meanwhile). */
export interface ParkedSlot {
  get(): Uint32Array;
  set(array: Uint32Array): void;
}

const EMPTY = new Uint32Array(0);
/** Bytes per read or write call (the system calls take at most 2 GB). */
const PIECE = 64 * 1024 * 1024;

/**
 * Moves typed arrays out of the process's memory into a temporary file while a phase that does
 * not read them runs (the dominator tree: node ids, names and shortest paths are 16 bytes a node
 * it never touches), and returns the function that reads them back. The file is unlinked as soon
 * as it is open, so nothing is left behind however the process ends; its pages are the kernel's
 * to write out or drop, not this process's resident memory. Where the temporary folder cannot be
 * written (full, read-only), the arrays simply stay in memory.
 */
export function parkArrays(slots: ParkedSlot[]): () => void {
  let dir: string | undefined;
  let fd: number | undefined;
  try {
    dir = mkdtempSync(join(tmpdir(), 'imdiag-heap-park-'));
    const file = join(dir, 'arrays');
    fd = openSync(file, 'w+', 0o600);
    rmSync(dir, { recursive: true, force: true });
    dir = undefined;
    const lengths: number[] = [];
    for (const slot of slots) {
      const array = slot.get();
      writeAll(fd, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
      lengths.push(array.length);
    }
    for (const slot of slots) slot.set(EMPTY);
    const parked = fd;
    fd = undefined;
    return () => {
      try {
        let position = 0;
        slots.forEach((slot, i) => {
          const array = new Uint32Array(lengths[i]!);
          readAll(parked, new Uint8Array(array.buffer), position);
          position += array.byteLength;
          slot.set(array);
        });
      } finally {
        closeSync(parked);
      }
    };
  } catch {
    return () => undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, Math.min(PIECE, bytes.length - at));
}

function readAll(fd: number, bytes: Uint8Array, position: number): void {
  for (let at = 0; at < bytes.length;) {
    const read = readSync(fd, bytes, at, Math.min(PIECE, bytes.length - at), position + at);
    if (read === 0) throw new Error('the parked arrays came back short');
    at += read;
  }
}
