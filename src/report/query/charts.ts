import { bytesHuman, megabytes, toMB } from '../../lib/format.js';
import type { MeasuredQuery, QueryResult } from '../../results/query.js';
import { VARIANT_NAMES } from '../../results/query.js';
import type { Block } from '../model.js';
import type { Bar } from '../svg/bar.js';
import type { LineSeries } from '../svg/line.js';

/** HTML charts of one measured query: live memory per variant, and predicted live memory against the document count with the cap drawn across. */
export function queryCharts(result: QueryResult, query: MeasuredQuery, index: number): Block[] {
  const colour = (name: string) => Math.max(0, (VARIANT_NAMES as readonly string[]).indexOf(name));
  const bars: Bar[] = query.variants.map((outcome) => {
    const live = outcome.status === 'ok' ? outcome.measurement.liveBytes : null;
    return live === null
      ? { label: outcome.name, value: null, note: 'reason' in outcome ? outcome.reason : 'not measured', colorIndex: colour(outcome.name) }
      : { label: outcome.name, value: toMB(live), valueLabel: megabytes(live), colorIndex: colour(outcome.name) };
  });
  const series: LineSeries[] = query.variants.flatMap((outcome) => {
    const p = outcome.prediction;
    if (outcome.status !== 'ok' || !p) return [];
    const scaled = (docs: number) => toMB(outcome.name === 'stream' ? p.liveBytes : p.perDocBytes * docs);
    const points = [0, 0.25, 0.5, 0.75, 1].map((share) => [Math.round(query.count * share), scaled(query.count * share)] as const);
    return [
      {
        name: outcome.name,
        points,
        colorIndex: colour(outcome.name),
        ...(outcome.replay?.status === 'ok' &&
          outcome.replay.liveBytes !== null && { markers: [[outcome.replay.docs, toMB(outcome.replay.liveBytes)] as const], note: '--full replay: dot' }),
      },
    ];
  });
  const capMB = toMB(result.options.heapLimitBytes);
  return [
    {
      kind: 'chart',
      chart: { type: 'bar', id: `live-${index + 1}`, title: 'Live memory of the sample per variant', unit: 'MB', bars },
      caption: 'heap + Buffers after a full GC at the peak point, over the settled baseline.',
    },
    ...(series.length > 0
      ? [
          {
            kind: 'chart' as const,
            chart: {
              type: 'line' as const,
              id: `predicted-${index + 1}`,
              title: 'Predicted live memory against documents',
              xLabel: 'documents',
              yLabel: 'MB',
              series,
              references: [{ value: capMB, label: `heap limit ${bytesHuman(result.options.heapLimitBytes)}` }],
            },
            caption: 'fixed + per-document cost × documents, per variant; the heap limit applies to the V8 heap only (raw holds Buffers outside it).',
          },
        ]
      : []),
  ];
}
