import { createRequire } from 'node:module';
import { writeHeapSnapshot } from 'node:v8';

type Writer = 'heapdump' | 'v8.writeHeapSnapshot';

/**
 * Writes a heap snapshot synchronously: with the `heapdump` package when it is installed and
 * built (optional dependency, native addon), with Node's own v8.writeHeapSnapshot otherwise.
 */
export function writeSnapshot(path: string): Writer {
  try {
    const heapdump = createRequire(import.meta.url)('heapdump') as { writeSnapshot(path: string): boolean | void };
    if (heapdump.writeSnapshot(path) !== false) return 'heapdump';
  } catch {
    // Not installed or its addon did not build: Node's built-in writer does the same job.
  }
  writeHeapSnapshot(path);
  return 'v8.writeHeapSnapshot';
}
