import { CheckError, InputError } from '../../../lib/errors.js';
import { TargetGone, type MemorySample, type MemorySource } from './types.js';

/**
 * Memory from a Prometheus text exposition, as prom-client's collectDefaultMetrics() serves it
 * (https://github.com/siimots/prom-client, lib/metrics/heapSizeAndUsed.js, processResidentMemory.js).
 * No heap limit and no GC marks: the page does not say. A page without the heap metrics is refused.
 */
export const METRIC_NAMES = {
  heapUsed: 'nodejs_heap_size_used_bytes',
  heapTotal: 'nodejs_heap_size_total_bytes',
  external: 'nodejs_external_memory_bytes',
  rss: 'process_resident_memory_bytes',
} as const;

const FETCH_TIMEOUT_MS = 5_000;
const MAX_PAGE_BYTES = 8 * 1024 * 1024;

/** name → value of every unlabelled sample (or the first of a labelled family) on the page. */
export function parseExposition(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match || values.has(match[1]!)) continue;
    const value = match[3] === '+Inf' ? Infinity : match[3] === '-Inf' ? -Infinity : Number(match[3]);
    if (!Number.isNaN(value)) values.set(match[1]!, value);
  }
  return values;
}

export async function openMetricsSource(spec: { url: string }, signal?: AbortSignal): Promise<MemorySource> {
  const first = await fetchPage(spec.url, signal).catch((error: unknown) => {
    throw new CheckError(`cannot read --metrics ${spec.url}: ${describe(error)}`);
  });
  const missing = [METRIC_NAMES.heapUsed, METRIC_NAMES.heapTotal].filter((name) => !first.has(name));
  if (missing.length > 0) {
    throw new InputError(
      'metrics',
      `${spec.url} serves no ${missing.join(' or ')}; point it at a page with prom-client's default metrics (collectDefaultMetrics())`,
      ' ',
    );
  }
  return {
    kind: 'metrics',
    facts: {
      pid: null,
      label: spec.url,
      nodeVersion: null,
      maxOldSpaceSizeMB: null,
      maxOldSpaceSizeFrom: null,
      heapSizeLimit: null,
      cgroupMemoryLimit: null,
      via: `metrics ${spec.url}`,
    },
    async sample(): Promise<MemorySample> {
      let page: Map<string, number>;
      try {
        page = await fetchPage(spec.url, signal);
      } catch (error) {
        const code = causeCode(error);
        if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') throw new TargetGone(`${spec.url} stopped answering (${code})`);
        throw new CheckError(`cannot read --metrics ${spec.url}: ${describe(error)}`);
      }
      const read = (name: string) => page.get(name) ?? null;
      return {
        time: Date.now(),
        heapUsed: read(METRIC_NAMES.heapUsed),
        heapTotal: read(METRIC_NAMES.heapTotal),
        heapLimit: null,
        external: read(METRIC_NAMES.external),
        arrayBuffers: null,
        rss: read(METRIC_NAMES.rss),
        afterForcedGc: false,
        afterMajorGc: null,
      };
    },
    close: async () => undefined,
  };
}

async function fetchPage(url: string, signal?: AbortSignal): Promise<Map<string, number>> {
  const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  const response = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, headers: { accept: 'text/plain;version=0.0.4' } });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status}`);
  }
  const text = await response.text();
  if (text.length > MAX_PAGE_BYTES) throw new Error('the page is over 8 MB: not a metrics page');
  return parseExposition(text);
}

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as NodeJS.ErrnoException).code;
}

function describe(error: unknown): string {
  const code = causeCode(error);
  if (code === 'ECONNREFUSED') return 'connection refused';
  if ((error as Error).name === 'TimeoutError') return `no answer within ${FETCH_TIMEOUT_MS / 1000} s`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unknown host';
  // fetch's own message is "fetch failed"; the reason is in its cause (e.g. "bad port").
  return code ?? (error as { cause?: Error }).cause?.message ?? (error as Error).message;
}
