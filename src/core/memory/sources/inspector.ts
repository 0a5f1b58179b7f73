import { formatHostPort } from '../../../lib/inspector/address.js';
import { connectInspector, evaluate, type InspectorSession } from '../../../lib/inspector/client.js';
import { openInspector } from '../../../lib/inspector/open.js';
import { cgroupMemoryLimit, oldSpaceCap, splitNodeOptions } from './node-flags.js';
import { youngGeneration } from './young-generation.js';
import { TargetGone, type MemorySample, type MemorySource, type TargetFacts } from './types.js';

/**
 * Memory through Node's inspector: Runtime.getHeapUsage for the heap, one Runtime.evaluate of
 * process.memoryUsage() (+ old-space use, to tell when a major collection ran) for the rest.
 * With forceGcEveryMs, HeapProfiler.collectGarbage runs before a sample that often: the reading
 * is then the live heap, at the price of changing the target (full collections pause it).
 */

const FACTS = `JSON.stringify({ pid: process.pid, version: process.version, execPath: process.execPath, execArgv: process.execArgv, nodeOptions: process.env.NODE_OPTIONS ?? null, heapSizeLimit: require('v8').getHeapStatistics().heap_size_limit })`;
// An array, not an object: the reply is parsed four times a second.
// old_space alone tells a major collection (only one shrinks it); the old generation is every space but new_* and read_only;
// the young generation is new_space and new_large_object_space (a fall in its use: a scavenge ran).
const MEMORY = `(() => { const m = process.memoryUsage(); let old = -1, gen = 0, young = 0; for (const s of require('v8').getHeapSpaceStatistics()) { if (s.space_name === 'old_space') old = s.space_used_size; if (s.space_name.startsWith('new_')) young += s.space_used_size; else if (s.space_name !== 'read_only_space') gen += s.space_used_size; } return [m.rss, m.external, m.arrayBuffers, old, gen, young]; })()`;

export async function openInspectorSource(
  spec: { address: { host: string; port: number }; forceGcEveryMs: number | null },
  signal?: AbortSignal,
): Promise<MemorySource> {
  const session = await connectInspector(spec.address, { signal });
  return inspectorSource(session, `inspector ${formatHostPort(spec.address)}`, spec.forceGcEveryMs);
}

export async function openPidInspectorSource(spec: { pid: number; forceGcEveryMs: number | null }, signal?: AbortSignal): Promise<MemorySource> {
  const opened = await openInspector(spec.pid, { flag: '--pid', signal });
  const how = opened.newlyOpened ? 'opened with SIGUSR1' : 'already open';
  return inspectorSource(opened.session, `inspector ${formatHostPort(opened.address)} (${how})`, spec.forceGcEveryMs);
}

async function inspectorSource(session: InspectorSession, via: string, forceGcEveryMs: number | null): Promise<MemorySource> {
  let facts: TargetFacts;
  try {
    const raw = JSON.parse(await evaluate<string>(session, FACTS)) as {
      pid: number;
      version: string;
      execPath: string;
      execArgv: string[];
      nodeOptions: string | null;
      heapSizeLimit: number;
    };
    const cap = oldSpaceCap(raw.execArgv, raw.nodeOptions);
    facts = {
      pid: raw.pid,
      label: `node[${raw.pid}]`,
      nodeVersion: raw.version,
      maxOldSpaceSizeMB: cap?.mb ?? null,
      maxOldSpaceSizeFrom: cap?.from ?? null,
      heapSizeLimit: raw.heapSizeLimit,
      youngGeneration: await youngGeneration({
        pid: raw.pid,
        execPath: raw.execPath,
        args: [...raw.execArgv, ...splitNodeOptions(raw.nodeOptions)],
        heapSizeLimit: raw.heapSizeLimit,
        capMB: cap?.mb ?? null,
      }),
      cgroupMemoryLimit: await cgroupMemoryLimit(raw.pid),
      via,
    };
  } catch (error) {
    await session.close();
    throw error;
  }
  let lastGcAt = -Infinity;
  let lastOldUsed: number | null = null;
  let lastYoungUsed: number | null = null;
  const gone = () => new TargetGone(`the inspector connection closed (${facts.label} exited?)`);
  return {
    kind: 'inspector',
    facts,
    async sample(): Promise<MemorySample> {
      if (!session.isOpen()) throw gone();
      try {
        const forced = forceGcEveryMs !== null && Date.now() - lastGcAt >= forceGcEveryMs;
        if (forced) {
          await session.send('HeapProfiler.collectGarbage', {}, 60_000);
          lastGcAt = Date.now();
        }
        const heap = await session.send<{ usedSize: number; totalSize: number }>('Runtime.getHeapUsage');
        const memory = await evaluate<[number, number, number, number, number, number]>(session, MEMORY);
        const [rss, external, arrayBuffers, oldUsed, oldGenerationUsed, youngUsed] = memory;
        const afterMajorGc = oldUsed < 0 ? null : lastOldUsed !== null && oldUsed < lastOldUsed;
        const afterScavenge = oldUsed < 0 ? null : lastYoungUsed !== null && youngUsed < lastYoungUsed;
        lastOldUsed = oldUsed < 0 ? null : oldUsed;
        lastYoungUsed = youngUsed;
        return {
          time: Date.now(),
          heapUsed: heap.usedSize,
          heapTotal: heap.totalSize,
          heapLimit: facts.heapSizeLimit,
          oldGenerationUsed: oldUsed < 0 ? null : oldGenerationUsed,
          youngGenerationUsed: oldUsed < 0 ? null : youngUsed,
          afterScavenge,
          external,
          arrayBuffers,
          rss,
          afterForcedGc: forced,
          afterMajorGc,
        };
      } catch (error) {
        if (!session.isOpen()) throw gone();
        throw error;
      }
    },
    close: () => session.close(),
  };
}
