import { bytesHuman, count, duration, milliseconds, NO_VALUE } from '../../lib/format.js';
import type { LeakResult } from '../../results/leak.js';
import { bullets, facts, paragraph, present, right, section, table, type ReportDoc, type Section } from '../model.js';
import { SITE_COLUMNS, siteRow } from './rows.js';

/** `imdiag leak`'s report: the three-line verdict, sites (with growth per repetition charted), paths, heap readings, cost. */
export function leakDoc(result: LeakResult): ReportDoc {
  return {
    title: `imdiag leak: node[${result.target.pid}] (${result.options.mode}, workload ×${result.options.repeat})`,
    verdict: [result.verdict.lines.join('. ')],
    sections: present([sitesSection(result), growthSection(result), pathsSection(result), heapSection(result), runSection(result)]),
  };
}

function sitesSection(result: LeakResult): Section | undefined {
  if (result.sites.length === 0) return undefined;
  return section(
    'Allocation sites of what survived',
    'sites',
    paragraph(
      `Objects allocated after the baseline and still alive at the end, grouped by the function that allocated them (the first frame in your code; node_modules and Node's internals folded). V8 records the function and its definition line, not the line inside it. A site below ${bytesHuman(result.noiseFloorBytes)} is noise.`,
    ),
    table(
      SITE_COLUMNS.map((title, i) => (i >= 2 && i <= 5 ? right(title) : title)),
      result.sites.map(siteRow),
    ),
  );
}

function growthSection(result: LeakResult): Section | undefined {
  const sites = result.sites.filter((site) => site.selfSizeBytes >= result.noiseFloorBytes).slice(0, 6);
  if (result.options.repeat < 2 || sites.length === 0) return undefined;
  return section('Growth per repetition', 'growth', {
    kind: 'chart',
    chart: {
      type: 'bar',
      id: 'leak-growth',
      title: 'Bytes allocated in each repetition and still alive at the end, per site',
      unit: 'bytes',
      bars: sites.flatMap((site, colorIndex) =>
        site.perRepetitionBytes.map((bytes, i) => ({ label: `${site.site.functionName} #${i + 1}`, value: bytes, valueLabel: bytesHuman(bytes), colorIndex })),
      ),
    },
    caption: 'A leak leaves survivors from every repetition, about as much each time; a cache keeps less of the earlier ones, or only the first.',
  });
}

function pathsSection(result: LeakResult): Section | undefined {
  if (result.paths.length === 0) return undefined;
  return section(
    'Held by (retainer paths)',
    'paths',
    table(
      ['class', right('objects'), right('shallow'), 'retainer path'],
      result.paths.map((group) => [group.className, count(group.count), bytesHuman(group.selfSizeBytes), group.path]),
    ),
  );
}

function heapSection(result: LeakResult): Section {
  return section(
    // Tracking forces no GC after the baseline (src/core/leak/tracking.ts); sampling collects before each reading.
    result.options.mode === 'sampling' ? 'Heap after a forced GC' : 'Heap (forced GC before the baseline only: none while tracking)',
    'heap',
    table(
      ['step', right('t'), right('heap used'), right('RSS')],
      result.heap.map((reading) => [reading.label, duration(reading.tMs / 1000), bytesHuman(reading.heapUsedBytes), bytesHuman(reading.rssBytes)]),
    ),
  );
}

function runSection(result: LeakResult): Section {
  const { cost } = result;
  return section(
    'The run and its cost to the target',
    'run',
    facts([
      ['Workload', { code: result.options.workload }],
      ['Settle', duration(result.options.settleMs / 1000)],
      ['Tracking start pause', cost.trackingStartMs === null ? NO_VALUE : milliseconds(cost.trackingStartMs)],
      ['Final snapshot pause', cost.snapshotMs === null ? NO_VALUE : milliseconds(cost.snapshotMs)],
      ['Final snapshot size', bytesHuman(cost.snapshotBytes)],
      ['RSS rise outside the V8 heap and Buffers (mostly the tracker)', cost.outsideHeapRiseBytes === null ? NO_VALUE : bytesHuman(cost.outsideHeapRiseBytes)],
      ['Analysis', cost.analysisMs === null ? NO_VALUE : duration(cost.analysisMs / 1000)],
    ]),
    ...(result.workloads.length > 0
      ? [
          table(
            [right('repetition'), right('exit'), right('time'), 'output tail'],
            result.workloads.map((run) => [
              String(run.repetition),
              String(run.exitCode ?? run.signal ?? NO_VALUE),
              duration(run.durationMs / 1000),
              run.outputTail.trim().split('\n').slice(-2).join(' / ') || NO_VALUE,
            ]),
          ),
        ]
      : []),
    ...(result.notes.length > 0 ? [bullets(result.notes)] : []),
  );
}
