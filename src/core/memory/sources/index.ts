import { openInspectorSource } from './inspector.js';
import { openMetricsSource } from './metrics.js';
import { openPidSource } from './pid.js';
import type { MemorySource, SourceKind, SourceSpec } from './types.js';

export type { MemorySample, MemorySource, SourceKind, SourceSpec, TargetFacts } from './types.js';
export { TargetGone } from './types.js';

/** The registry: one opener per source kind. */
const OPENERS: { [K in SourceKind]: (spec: Extract<SourceSpec, { kind: K }>, signal?: AbortSignal) => Promise<MemorySource> } = {
  inspector: openInspectorSource,
  pid: openPidSource,
  metrics: openMetricsSource,
};

export function openMemorySource(spec: SourceSpec, signal?: AbortSignal): Promise<MemorySource> {
  return (OPENERS[spec.kind] as (spec: SourceSpec, signal?: AbortSignal) => Promise<MemorySource>)(spec, signal);
}
