import { bytesHuman, count } from '../../lib/format.js';
import type { QueryResult, VariantOutcome } from '../../results/query.js';
import { recordedSummary } from './recorded.js';

type Predicted = VariantOutcome & { status: 'ok'; prediction: NonNullable<Extract<VariantOutcome, { status: 'ok' }>['prediction']> };

const predicted = (outcome: VariantOutcome): outcome is Predicted => outcome.status === 'ok' && outcome.prediction !== null;

/**
 * query's verdict as three short lines — what the driver holds for the first query, whether the
 * variants fit under the heap limit, which variant to use — and the detail that follows (the event
 * loop, the driver's batch, populate's cheaper way, from the verdict's text). The per-variant lines are a section of their own.
 */
export function queryVerdictLines(result: QueryResult): { summary: string[]; detail: string[] } {
  const query = result.queries[0];
  // Populate variants hold the referenced documents too: not compared with the plain reads.
  const measured = query?.variants.filter(predicted).filter((outcome) => outcome.name !== 'stream' && !outcome.populate) ?? [];
  const lead = measured.find((outcome) => outcome.name === 'driver') ?? measured[0];
  if (!query || !lead) return { summary: [result.verdict.text], detail: [] };
  const approx = (outcome: Predicted) => (outcome.prediction.measuredWhole ? '' : '~');
  const multiplier = lead.measurement.bsonMultiplier === null ? '' : `, ×${lead.measurement.bsonMultiplier.toFixed(1)} its BSON`;
  const happened = `${query.query}: ${lead.name} holds ${approx(lead)}${bytesHuman(lead.prediction.liveBytes)} live for ${count(query.count)} documents${multiplier}.`;
  const limit = `the ${bytesHuman(result.options.heapLimitBytes)} heap limit`;
  const over = query.variants.filter((v) => (v.status === 'ok' && v.cap && !v.cap.fits) || v.status === 'oom').map((v) => v.name);
  const means = over.length > 0 ? `Would not fit under ${limit}: ${over.join(', ')}.` : `Every measured variant fits under ${limit}.`;
  const cheapest = [...measured].sort((a, b) => a.prediction.liveBytes - b.prediction.liveBytes)[0]!;
  const saving = Math.round((1 - cheapest.prediction.liveBytes / lead.prediction.liveBytes) * 100);
  const todo =
    cheapest === lead
      ? `${lead.name} is already the cheapest variant that holds every document.`
      : `Use ${cheapest.name}: ${approx(cheapest)}${bytesHuman(cheapest.prediction.liveBytes)} live, ${saving} % less than ${lead.name}.`;
  const batch = / While a cursor reads, .*?(?= If only the referenced documents are needed: | Event loop: |$)/.exec(result.verdict.text)?.[0].trim();
  const populate = / If only the referenced documents are needed: .*?(?= Event loop: |$)/.exec(result.verdict.text)?.[0].trim();
  // The event loop's sentence (src/engines/query/loop-verdict.ts): how long the worst variant stops every other request.
  // The verdict is three lines (a terminal shows no more): the sentence leads the detail, never a fourth line that is cut.
  const loop = / Event loop: .*$/.exec(result.verdict.text)?.[0].trim();
  const recorded = recordedSummary(result);
  return {
    // With a recorded size the recorded line leads and the copy's own size moves to the detail: still three lines.
    summary: [recorded ?? happened, means, todo],
    detail: [...(recorded ? [happened] : []), ...(loop ? [loop] : []), ...(batch ? [batch] : []), ...(populate ? [populate] : [])],
  };
}
