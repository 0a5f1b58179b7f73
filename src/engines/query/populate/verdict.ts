import { bytesHuman as mb, count } from '../../../lib/format.js';
import type { MeasuredQuery, PopulateOutcome, VariantOutcome } from '../../../results/query.js';
import { MAX_IN_FILTER_LENGTH } from './predict.js';

/** A populate variant's verdict clauses: what it holds besides the parents, the follow-up queries, the split rule's cliff. */
export function populateClauses(populate: PopulateOutcome): string[] {
  const parts: string[] = [];
  const held = populate.paths.map(
    (path) => `${count(path.referencedDocsHeld)} ${path.collection} ${path.split ? "(one copy per parent: Mongoose's per-parent queries)" : 'held once each'}`,
  );
  if (populate.perParentBytes !== null && populate.perReferencedBytes !== null)
    parts.push(`parents ${count(populate.perParentBytes)} B each + ${held.join(' + ')} at ${count(populate.perReferencedBytes)} B each`);
  else parts.push(`${held.join(' + ')} (their cost not told apart from the parents': run mongoose or lean beside it to narrow the range)`);
  for (const path of populate.paths) {
    const sample = populate.sample.find((s) => s.path === path.path);
    const measured = sample
      ? `the sample's ${count(sample.parents)} parents sent ${count(sample.queries)} (${count(sample.idsMax)} ids in the largest $in${sample.server ? `; server: ${sample.server.planSummary}, ${count(sample.server.keysExamined)} keys, ${count(sample.server.docsExamined)} docs examined` : ''})`
      : null;
    parts.push(
      path.split
        ? `${path.path}: ${count(path.distinctIds)} distinct ids > Mongoose's limit of ${count(MAX_IN_FILTER_LENGTH)} per $in, so it sends one query per parent: ${count(path.queries)} follow-up queries on ${path.collection}, a cliff the sample never reaches${measured ? ` (${measured})` : ''}`
        : `${path.path}: ${count(path.queries)} follow-up ${path.queries === 1 ? 'query' : 'queries'} on ${path.collection} ($in of ${count(path.idsPerQuery)} ids)${measured ? `; ${measured}` : ''}`,
    );
  }
  return parts;
}

/** The cheaper way when only the referenced documents are needed: distinct + one `$in`, lean (lean+populate's figures, else mongoose+populate's). */
export function alternativeSentence(query: MeasuredQuery): string {
  const measured = (name: string) =>
    query.variants.find((v): v is Extract<VariantOutcome, { status: 'ok' }> => v.name === name && v.status === 'ok' && v.populate !== undefined);
  const outcome = measured('lean+populate') ?? measured('mongoose+populate');
  if (!outcome?.populate?.alternative || !outcome.prediction) return '';
  const { paths, alternative } = outcome.populate;
  const queries = paths.reduce((sum, path) => sum + path.queries, 0);
  const ids = paths.map((path) => `${path.collection}.find({_id: {$in: distinct('${path.path}')}}).lean()`).join(' and ');
  const cost = alternative.liveBytes === null ? '' : ` ~${mb(alternative.liveBytes)} live`;
  return (
    ` If only the referenced documents are needed: ${ids} — ${count(alternative.queries)} queries,${cost} (the ${paths.map((p) => `${count(p.distinctIds)} ${p.collection}`).join(', ')} once each, no parents)` +
    ` instead of ${outcome.name}'s ~${mb(outcome.prediction.liveBytes)} and ${count(1 + queries)} queries${alternative.note ? `; ${alternative.note}` : ''}.`
  );
}
