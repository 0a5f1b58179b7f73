import { bytesHuman, count, milliseconds } from '../../lib/format.js';
import type { Style } from '../../lib/style.js';
import type { HeapRedactResult } from '../../results/heap-redact.js';

/** `imdiag heap redact` on a terminal: what was replaced and where the copy is. */
export function renderHeapRedact(result: HeapRedactResult, style: Style): string {
  const { redaction: r } = result;
  return `${[
    `${style.bold('redacted copy written')} to ${result.out}: ${bytesHuman(r.bytesWritten)} (from ${bytesHuman(r.fileBytes)}) in ${milliseconds(r.durationMs)}`,
    `${count(r.strings.replaced)} of ${count(r.strings.total)} strings replaced by same-length filler (values, data-like keys and names); ${count(r.strings.kept)} names kept; ${count(r.nodeCount)} nodes and ${count(r.edgeCount)} edges unchanged`,
    style.dim('Kept: constructor names, V8 names, and property and function names that read like identifiers (README, "heap redact").'),
    `next: npx imdiag heap ${result.out}`,
  ].join('\n')}\n`;
}
