import type { CompareUnreadResult } from '../../results/compare-unread.js';

/**
 * compare-unread's verdict as three short lines — what happened (the heaviest against the
 * lightest), what it means (the heap limit), what to do (the recommendation, its reasons left
 * out) — and the detail that follows them. The verdict's text is clauses joined by "; ", the
 * recommendation last (src/engines/compare-unread/agreement.ts); the first two clauses hold no
 * "; " of their own.
 */
export function unreadVerdictLines(verdict: CompareUnreadResult['verdict']): { summary: string[]; detail: string[] } {
  const recommendation = verdict.recommendation ?? null;
  const body = recommendation && verdict.text.endsWith(recommendation) ? verdict.text.slice(0, -recommendation.length).replace(/; $/, '') : verdict.text;
  const [happened = '', means, ...rest] = body.split('; ');
  const summary = [sentence(happened), ...(means ? [sentence(means)] : [])];
  if (recommendation) summary.push(sentence(withoutReasons(recommendation)));
  const detail = rest.length > 0 ? [sentence(rest.join('; '))] : [];
  if (recommendation && withoutReasons(recommendation) !== recommendation) detail.push(sentence(`why: ${recommendation.replace(/^recommendation: /, '')}`));
  return { summary, detail };
}

/** "use aggregate now (exact, …); then the redesign, cursor (…), which…" → "use aggregate now; then the redesign, cursor, which…". */
function withoutReasons(recommendation: string): string {
  return recommendation
    .replace(/^recommendation: /, '')
    .replace(/ \((?:[^()]|\([^()]*\))*\)/g, '')
    .trim();
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
