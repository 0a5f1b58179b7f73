import { bytesHuman as mb, count, ratio } from '../../lib/format.js';
import type { AtRecordedSize, MeasuredQuery, RecordedVariant } from '../../results/query.js';

/** "at least 30,000" or "30,000": a sum whose first or last batch is missing from the record is a lower bound. */
export function recordedDocs(at: AtRecordedSize): string {
  return `${at.size.atLeast ? 'at least ' : ''}${count(at.size.docs)}`;
}

/** The record's size against the data at hand, in words: "at least 30,000 documents recorded, 100× the 300 --db holds". */
function sizeWords(query: MeasuredQuery, at: AtRecordedSize): string {
  const times =
    at.ratio === null
      ? ''
      : at.ratio >= 1
        ? `${ratio(at.ratio)} the ${count(query.count)} --db holds`
        : `${ratio(1 / at.ratio)} fewer than the ${count(query.count)} --db holds`;
  return `${recordedDocs(at)} documents recorded for one result${times ? `, ${times}` : ''}`;
}

/** One line per variant at the recorded size, after the data at hand's; nothing when the sizes do not differ clearly. */
export function recordedLines(query: MeasuredQuery, limit: string): string[] {
  const at = query.atRecorded;
  if (!at) return [];
  const lines: string[] = [];
  if (at.differs) {
    lines.push(`at the recorded size (${sizeWords(query, at)}):`);
    for (const variant of at.variants) lines.push(`  ${variantAt(variant, limit)}`);
    if (at.size.incompleteCursors > 1 || (at.size.incompleteCursors === 1 && !at.size.atLeast))
      lines.push(`  ${count(at.size.incompleteCursors)} recorded cursor(s) of this shape lack their first or last batch: their results may have been larger`);
  }
  if (at.unrepresentative)
    lines.push(
      `the record's documents average ${count(at.bytesPerDoc)} B (reslen ÷ nreturned), the data at hand's ${count(at.dataBytesPerDoc)} B of BSON: --db is not representative of what was recorded, and the per-document costs measured on it may not hold there`,
    );
  return lines;
}

function variantAt(variant: RecordedVariant, limit: string): string {
  const p = variant.prediction;
  if (variant.name === 'stream') return `stream: ~${mb(p.liveBytes)} live at a time (a batch of ~${count(p.docs)} documents)`;
  const parts = [`${variant.name}: ~${mb(p.liveBytes)} live (${mb(p.lowBytes)}–${mb(p.highBytes)})`];
  if (variant.cap) parts.push(variant.cap.fits ? `fits under ${limit}` : `OOM after ~${count(variant.cap.oomAfterDocs)} documents under ${limit}`);
  return parts.join(', ');
}

/** The verdict's lead when the record's size is clearly larger than the data at hand's: what that size costs. */
export function recordedLead(query: MeasuredQuery, recordedIn: string): string | null {
  const at = query.atRecorded;
  if (!at || !at.differs || at.ratio === null || at.ratio < 1) return null;
  const lead = at.variants.find((v) => v.name === 'driver') ?? at.variants.find((v) => v.name !== 'stream');
  if (!lead) return null;
  const cap = lead.cap ? (lead.cap.fits ? ', fits under the heap limit' : `, OOM after ~${count(lead.cap.oomAfterDocs)} documents under the heap limit`) : '';
  const over = at.variants.filter((v) => v.cap && !v.cap.fits).map((v) => v.name);
  return (
    `${recordedIn} recorded ${recordedDocs(at)} documents returned by this query; --db holds ${count(query.count)}: ` +
    `at that size ${lead.name} needs ~${mb(lead.prediction.liveBytes)} live (${mb(lead.prediction.lowBytes)}–${mb(lead.prediction.highBytes)})${cap}` +
    `${over.length > 0 ? `; would not fit under the heap cap at that size: ${over.join(', ')}` : ''}`
  );
}
