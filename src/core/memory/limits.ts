import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { oldSpaceCap } from './sources/node-flags.js';
import type { TargetFacts } from './sources/types.js';
import type { MemoryLimit } from '../../results/watch.js';

const MB = 1024 * 1024;
/**
 * V8's heap_size_limit is the old-space cap plus the young generation (three semi-spaces, 16 MB
 * each on 64-bit): with --max-old-space-size=96 it reads 144 MB, and the process dies near 96.
 */
export const YOUNG_GENERATION_BYTES = 48 * MB;

/**
 * The heap size the process really dies at: --heap-limit when given; else its own
 * --max-old-space-size; else V8's limit less the young generation, as the target reports it,
 * or as imdiag's own Node does on this machine (when imdiag runs without a cap itself).
 */
export function heapLimit(facts: TargetFacts, userBytes: number | null): MemoryLimit | null {
  if (userBytes !== null) return { bytes: userBytes, source: '--heap-limit' };
  if (facts.maxOldSpaceSizeMB !== null) {
    return {
      bytes: facts.maxOldSpaceSizeMB * MB,
      source: facts.maxOldSpaceSizeFrom === 'NODE_OPTIONS' ? '--max-old-space-size (NODE_OPTIONS)' : '--max-old-space-size (execArgv)',
    };
  }
  if (facts.heapSizeLimit !== null)
    return { bytes: facts.heapSizeLimit - YOUNG_GENERATION_BYTES, source: "Node's default (the target's heap_size_limit less the young generation)" };
  if (oldSpaceCap(process.execArgv, process.env.NODE_OPTIONS) === null) {
    return { bytes: getHeapStatistics().heap_size_limit - YOUNG_GENERATION_BYTES, source: "Node's default on this machine (imdiag's own Node)" };
  }
  return null;
}

/** The resident memory the process can have: --memory-limit, its cgroup's limit, or the machine's memory. */
export function memoryLimit(facts: TargetFacts, userBytes: number | null): MemoryLimit {
  if (userBytes !== null) return { bytes: userBytes, source: '--memory-limit' };
  if (facts.cgroupMemoryLimit !== null) return { bytes: facts.cgroupMemoryLimit, source: 'cgroup memory limit' };
  return { bytes: totalmem(), source: 'machine memory' };
}
