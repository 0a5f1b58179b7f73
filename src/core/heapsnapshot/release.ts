import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/**
 * A full garbage collection between the analysis's phases. Each phase drops typed arrays of
 * hundreds of MB (retainer lists, post-order maps) and the next allocates as much again; V8
 * frees an ArrayBuffer only when its wrapper is collected, which it does not hurry to do when
 * the JS heap itself is small, so without this the dead arrays of one phase are still resident
 * when the next one's arrive, and the peak RSS is their sum. The JS heap here is small (names,
 * a few thousand strings), so a full collection costs milliseconds. `gc` is exposed at run time
 * (Node's documented --expose-gc, set through v8.setFlagsFromString). Twice: the first collection
 * finds the dead arrays, but their memory is handed back by V8's array-buffer sweeper, which
 * finishes at the next collection (measured: one gc left a dead 190 MB array resident, two freed it).
 */
export function releaseMemory(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
  collect();
}
