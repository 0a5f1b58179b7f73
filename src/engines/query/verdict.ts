import type { ConditionVocabulary, MeasuredFigures } from '../../lib/conditions.js';
import { bytesHuman, count, decimal, milliseconds } from '../../lib/format.js';
import { SUGGESTED_BATCH_SIZE } from './batch.js';
import { loopPart, loopSentence } from './loop-verdict.js';
import type { MeasuredQuery, VariantOutcome } from '../../results/query.js';
import type { VariantName } from './variants/names.js';
import { recordedDocs, recordedLead, recordedLines } from './verdict-recorded.js';
import { alternativeSentence, populateClauses } from './populate/verdict.js';

/** --fail-on for `imdiag query`: figures of --fail-on-variant's prediction for the whole result, and verdict words. */
export const QUERY_CONDITIONS: ConditionVocabulary = {
  figures: { live: 'bytes', heap: 'bytes', 'per-doc': 'bytes', docs: 'count', bson: 'bytes', blocked: 'duration', cpu: 'duration' },
  verdicts: ['oom', 'collscan'],
};

// The same figures the query table prints, formatted the same way (bytesHuman).
const mb = bytesHuman;

/** One line per measured variant, in the issue's spirit: "driver: ~N MB live for 1.76M documents, B/doc, ×its BSON; fits under 1536 MB". */
export function verdictLines(query: MeasuredQuery, limitBytes: number, capped: boolean): string[] {
  const limit = capped ? `the ${mb(limitBytes)} heap limit` : `Node's default ${mb(limitBytes)} heap limit`;
  const driverLive = query.variants.find((v) => v.name === 'driver')?.prediction?.liveBytes ?? null;
  const unit = query.mode === 'distinct' ? { many: 'values', one: 'value' } : { many: 'documents', one: 'doc' };
  return [...query.variants.map((outcome) => lineFor(outcome, query.count, limit, driverLive, unit)), ...recordedLines(query, limit)];
}

function lineFor(outcome: VariantOutcome, docs: number, limit: string, driverLive: number | null, unit: { many: string; one: string }): string {
  if (outcome.status === 'skipped') return `${outcome.name}: skipped (${outcome.reason})`;
  if (outcome.status !== 'ok') return `${outcome.name}: ${outcome.status} on the sample (${outcome.reason})`;
  const { prediction, measurement, cap, replay } = outcome;
  if (!prediction) return `${outcome.name}: live memory not measured (${outcome.notes.join('; ') || 'no peak point'})`;
  const verb = prediction.measuredWhole ? '' : '~';
  if (outcome.name === 'stream')
    return `stream: ${verb}${mb(prediction.liveBytes)} live at a time for ${count(docs)} documents: one batch of ${verb}${count(prediction.docs)} documents held (its BSON and the driver's parse state, ${count(prediction.perDocBytes)} B per document), each document dropped once counted${loopPart(outcome) ? `; ${loopPart(outcome)}` : ''}`;
  const parts = [`${outcome.name}: ${verb}${mb(prediction.liveBytes)} live for ${count(docs)} ${unit.many}`];
  if (!prediction.measuredWhole) parts[0] += ` (${mb(prediction.lowBytes)}–${mb(prediction.highBytes)})`;
  parts.push(`${count(prediction.perDocBytes)} B/${unit.one}`);
  if (outcome.populate) parts.push(...populateClauses(outcome.populate));
  if (measurement.bsonMultiplier !== null && !outcome.populate) parts.push(`×${decimal(measurement.bsonMultiplier, 1)} its BSON`);
  const external = measurement.live ? Math.max(0, measurement.live.externalBytes) : 0;
  if (outcome.name === 'raw' || (measurement.liveBytes && external > 0.5 * measurement.liveBytes)) {
    parts.push(`mostly Buffers outside the V8 heap: a heap cap does not limit them (RSS does)`);
    // Its heap part, with the driver's batch while it reads, is limited by the cap all the same.
    if (cap && !cap.fits) parts.push(`its heap part with the driver's batch: OOM after ~${count(cap.oomAfterDocs)} ${unit.many} under ${limit}`);
  } else if (cap) {
    parts.push(cap.fits ? `fits under ${limit}` : `OOM after ~${count(cap.oomAfterDocs)} ${unit.many} under ${limit}`);
  }
  if (outcome.name === 'projection' && driverLive) parts.push(`${Math.round((1 - prediction.liveBytes / driverLive) * 100)} % less than driver`);
  const loop = loopPart(outcome);
  if (loop) parts.push(loop);
  if (replay)
    parts.push(
      replay.status === 'ok'
        ? `--full replay: ${replay.liveBytes === null ? `peak +${mb(replay.peakHeapGrowthBytes)} (live not read${replay.notes[0] ? `: ${replay.notes[0]}` : ''})` : mb(replay.liveBytes)} for ${count(replay.docs)} documents`
        : `--full replay: ${replay.reason}`,
    );
  return parts.join(', ');
}

/**
 * The one-paragraph verdict: the driver's (or first measured) line, and the cheapest variant that
 * fits; led by the recorded size (`recordedIn`: the log or the profiler) when it is clearly larger.
 */
export function verdictText(queries: MeasuredQuery[], lines: string[], recordedIn: string | null = null): string {
  const first = queries[0];
  if (!first) return 'no query was measured';
  const recorded = recordedIn === null ? null : recordedLead(first, recordedIn);
  // Populate variants hold the referenced documents too: not the same work, not in the comparison.
  const measured = first.variants.filter((v) => v.status === 'ok' && v.prediction && v.name !== 'stream' && !('populate' in v && v.populate));
  const lead = lines.find((line) => line.startsWith('driver:')) ?? lines[0] ?? 'no variant was measured';
  const ooms = first.variants.filter((v) => (v.status === 'ok' && v.cap && !v.cap.fits) || v.status === 'oom').map((v) => v.name);
  const cheapest = measured.sort((a, b) => a.prediction!.liveBytes - b.prediction!.liveBytes)[0];
  const tail = ooms.length > 0 ? `; would not fit under the heap cap: ${ooms.join(', ')}` : '';
  return `${first.query}: ${recorded ? `${recorded}. For the data at hand: ` : ''}${lead}${cheapest && cheapest.name !== 'driver' ? `; cheapest that holds everything: ${cheapest.name}` : ''}${tail}.${batchSentence(first)}${alternativeSentence(first)}${loopSentence(first)}`;
}

/** The driver's batch, when it weighs: what every variant also holds while it reads, and what a batchSize would make of it. */
export function batchSentence(query: MeasuredQuery): string {
  const batch = query.batch ?? null;
  const held = query.variants.find((v) => v.name === 'driver')?.prediction?.liveBytes ?? null;
  if (!batch || batch.docsPerBatch <= SUGGESTED_BATCH_SIZE) return '';
  if (batch.bytes < 16 * 1024 * 1024 && (held === null || batch.bytes < 0.1 * held)) return '';
  return (
    ` While a cursor reads, the driver also holds the batch it is reading: ~${mb(batch.bytes)} for a batch of ~${count(batch.docsPerBatch)} documents` +
    ` (MongoDB fills a batch up to 16 MiB of BSON; ${count(batch.perDocBytes)} B per document of it, measured by stream), on top of what a variant keeps` +
    `${held !== null ? ` (driver: up to ~${mb(held)} + ~${mb(batch.bytes)})` : ''};` +
    ` a cursor batchSize of ${count(SUGGESTED_BATCH_SIZE)} bounds it to ~${mb(batch.suggestedBatchBytes)}; the cap verdicts count it.`
  );
}

/**
 * The --fail-on figures: the chosen variant's prediction, the largest over the queries measured and,
 * for a recorded query, over its two predictions (the data at hand's and the recorded size's);
 * `basis` says which the largest live figure is.
 */
export function failOnFigures(queries: MeasuredQuery[], variant: VariantName): MeasuredFigures & { basis: string } {
  let live: number | null = null;
  let heap: number | null = null;
  let perDoc: number | null = null;
  let docs: number | null = null;
  let bson: number | null = null;
  let basis = 'for the data at hand';
  let blocked: number | null = null;
  let cpu: number | null = null;
  const verdicts = new Set<string>();
  const max = (a: number | null, b: number | null | undefined) => (b === null || b === undefined ? a : a === null ? b : Math.max(a, b));
  for (const query of queries) {
    docs = max(docs, query.count);
    bson = max(bson, query.resultBsonBytes);
    if (query.server.collectionScan) verdicts.add('collscan');
    const outcome = query.variants.find((v) => v.name === variant);
    if (!outcome) continue;
    if (outcome.status === 'oom' || outcome.replay?.status === 'oom') verdicts.add('oom');
    if (outcome.status !== 'ok' || !outcome.prediction) continue;
    if (live === null || outcome.prediction.liveBytes > live) basis = queries.length > 1 ? `for the data at hand (${query.label})` : 'for the data at hand';
    live = max(live, outcome.prediction.liveBytes);
    heap = max(heap, outcome.prediction.heapBytes);
    perDoc = max(perDoc, outcome.prediction.perDocBytes);
    blocked = max(blocked, outcome.loopPrediction?.blockedMs);
    cpu = max(cpu, outcome.loopPrediction?.cpuMs);
    if (outcome.cap && !outcome.cap.fits) verdicts.add('oom');
    const at = query.atRecorded;
    const recorded = at?.variants.find((v) => v.name === variant);
    if (!at || !recorded) continue;
    if (recorded.prediction.liveBytes > (live ?? 0))
      basis = `at the recorded size, ${recordedDocs(at)} documents${queries.length > 1 ? ` (${query.label})` : ''}`;
    docs = max(docs, at.size.docs);
    live = max(live, recorded.prediction.liveBytes);
    heap = max(heap, recorded.prediction.heapBytes);
    if (recorded.cap && !recorded.cap.fits) verdicts.add('oom');
  }
  return { figures: { live, heap, 'per-doc': perDoc, docs, bson, blocked, cpu }, verdicts: [...verdicts], basis };
}

export function describeFigure(figure: string, value: number): string {
  if (figure === 'blocked' || figure === 'cpu') return milliseconds(value);
  return figure === 'docs' ? count(value) : figure === 'per-doc' ? `${count(value)} B` : mb(value);
}
