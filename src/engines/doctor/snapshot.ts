import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { loadSnapshot } from '../../core/heapsnapshot/load.js';
import { snapshotSummary } from '../../core/heapsnapshot/summarise.js';
import { CheckError, InputError } from '../../lib/errors.js';
import type { Progress } from '../../lib/progress.js';
import type { SnapshotEvidence } from '../../results/doctor.js';

/** Rows a diagnosis shows; the analysis is `imdiag heap`'s own (src/core/heapsnapshot). */
const TOP_CLASSES = 8;

/**
 * JavaScript's and V8's own classes and kinds: at the top of a full heap they say "many objects"
 * but not whose. The first class that is none of these is the application's (or a library's).
 */
const GENERIC =
  /^(?:\(.*\)|system \/ .*|Array|Object|Map|Set|WeakMap|WeakSet|String|Function|Promise|Error|RegExp|Date|Symbol|Number|Boolean|ArrayBuffer|Uint8Array|Buffer|FastBuffer|global|Global|Window|InternalArray|Arguments|Generator|Context|\{.*\})$/;

/**
 * A path a log names (a snapshot, a report) is where the dying process wrote it, relative to its
 * working directory; looked up as given, then beside the log. Returns null when it is not there.
 */
export function locateBeside(path: string, logPath: string | null): string | null {
  if (existsSync(path)) return path;
  if (!isAbsolute(path) && logPath !== null) {
    const beside = resolve(dirname(logPath), path);
    if (existsSync(beside)) return beside;
  }
  return null;
}

export async function analyseSnapshot(
  path: string,
  foundBy: SnapshotEvidence['foundBy'],
  startProgress: (bytes: number) => Progress,
  signal?: AbortSignal,
): Promise<SnapshotEvidence> {
  const base = { path, foundBy, totalSizeBytes: null, classes: [], topOwnClass: null, largestRetainers: null };
  try {
    const loaded = await loadSnapshot(path, startProgress, signal);
    const summary = snapshotSummary(loaded, TOP_CLASSES, performance.now());
    const classes = summary.classes.map((row) => ({ className: row.className, count: row.count, retainedSizeBytes: row.retainedSizeBytes }));
    // Whose objects filled the heap: the program's own class whose instances themselves take the most
    // (shallow size). By retained size a runtime holder wins (a timer list, a module's closure).
    const own = summary.classes.filter((row) => !GENERIC.test(row.className)).sort((a, b) => b.selfSizeBytes - a.selfSizeBytes)[0];
    // What holds the objects: the retainer path of the largest object, as `imdiag heap` prints it.
    const largest = summary.largest.find((row) => row.retainers !== null);
    return {
      ...base,
      status: 'analysed',
      reason: null,
      totalSizeBytes: summary.totalSizeBytes,
      classes,
      topOwnClass: own?.className ?? null,
      largestRetainers: largest?.retainers ? retainerText(largest.retainers.text) : null,
    };
  } catch (error) {
    if (error instanceof InputError || error instanceof CheckError) return { ...base, status: 'unreadable', reason: error.message };
    throw error;
  }
}

/** A retainer path names properties and classes; a string's value in it is cut to its length. */
function retainerText(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"/g, (quoted) => `<string of ${quoted.length - 2} characters>`);
}
