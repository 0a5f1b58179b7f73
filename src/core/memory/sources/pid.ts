import { readFile } from 'node:fs/promises';
import { checkSignalable } from '../../../lib/inspector/open.js';
import { processFacts } from '../../../lib/inspector/proc.js';
import { openPidInspectorSource } from './inspector.js';
import { cgroupMemoryLimit, oldSpaceCap } from './node-flags.js';
import { TargetGone, type MemorySample, type MemorySource } from './types.js';

/**
 * Resident memory of any process from /proc/PID/status (VmRSS): no heap figures, nothing asked
 * of the process. With --open-inspector a Node process is read through its inspector instead.
 */
export async function openPidSource(spec: { pid: number; openInspector: boolean; forceGcEveryMs: number | null }, signal?: AbortSignal): Promise<MemorySource> {
  if (spec.openInspector) return openPidInspectorSource(spec, signal);
  await checkSignalable('--pid', spec.pid);
  const facts = await processFacts(spec.pid);
  // Readable for our own processes: the flags tell the heap cap even without the inspector.
  const environ = await readFile(`/proc/${spec.pid}/environ`, 'utf8').catch(() => '');
  const nodeOptions = /(?:^|\0)NODE_OPTIONS=([^\0]*)/.exec(environ)?.[1] ?? null;
  const cap = oldSpaceCap(facts.argv.slice(1), nodeOptions);
  const first = await readRss(spec.pid);
  if (first === null) throw new TargetGone(`process ${spec.pid} exited`);
  return {
    kind: 'pid',
    facts: {
      pid: spec.pid,
      label: `pid ${spec.pid}`,
      nodeVersion: null,
      maxOldSpaceSizeMB: cap?.mb ?? null,
      maxOldSpaceSizeFrom: cap?.from ?? null,
      heapSizeLimit: null,
      cgroupMemoryLimit: await cgroupMemoryLimit(spec.pid),
      via: `/proc/${spec.pid}/status`,
    },
    async sample(): Promise<MemorySample> {
      const rss = await readRss(spec.pid);
      if (rss === null) throw new TargetGone(`process ${spec.pid} exited`);
      return {
        time: Date.now(),
        heapUsed: null,
        heapTotal: null,
        heapLimit: null,
        external: null,
        arrayBuffers: null,
        rss,
        afterForcedGc: false,
        afterMajorGc: null,
      };
    },
    close: async () => undefined,
  };
}

/** VmRSS in bytes; null once the process is gone (or a zombie, which has no VmRSS line). */
async function readRss(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  const kb = status === null ? undefined : /^VmRSS:\s*(\d+)\s*kB$/m.exec(status)?.[1];
  return kb === undefined ? null : Number(kb) * 1024;
}
