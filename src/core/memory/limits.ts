import { totalmem } from 'node:os';
import type { TargetFacts } from './sources/types.js';
import type { MemoryLimit } from '../../results/watch.js';

const MB = 1024 * 1024;

/**
 * The heap size the process really dies at: --heap-limit when given; else its own
 * --max-old-space-size; else V8's heap_size_limit less the young generation, both as the target
 * reports them (the young generation differs between Node majors: 48 MB on 20 and 22, 192 MB on
 * 24, 96 MB on 26 — src/core/memory/sources/young-generation.ts learns it from the target);
 * else the heap_size_limit itself, named as an upper bound. Null: nothing to project to
 * (a metrics page tells neither; give --heap-limit).
 */
export function heapLimit(facts: TargetFacts, userBytes: number | null): MemoryLimit | null {
  if (userBytes !== null) return { bytes: userBytes, source: '--heap-limit' };
  if (facts.maxOldSpaceSizeMB !== null) {
    return {
      bytes: facts.maxOldSpaceSizeMB * MB,
      source: facts.maxOldSpaceSizeFrom === 'NODE_OPTIONS' ? '--max-old-space-size (NODE_OPTIONS)' : '--max-old-space-size (execArgv)',
    };
  }
  if (facts.heapSizeLimit === null) return null;
  if (facts.youngGeneration)
    return { bytes: facts.heapSizeLimit - facts.youngGeneration.bytes, source: "Node's default (the target's heap_size_limit less the young generation)" };
  return { bytes: facts.heapSizeLimit, source: "the target's heap_size_limit (its young generation unknown: an upper bound)" };
}

/** The resident memory the process can have: --memory-limit, its cgroup's limit, or the machine's memory. */
export function memoryLimit(facts: TargetFacts, userBytes: number | null): MemoryLimit {
  if (userBytes !== null) return { bytes: userBytes, source: '--memory-limit' };
  if (facts.cgroupMemoryLimit !== null) return { bytes: facts.cgroupMemoryLimit, source: 'cgroup memory limit' };
  return { bytes: totalmem(), source: 'machine memory' };
}
