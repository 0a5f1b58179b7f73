import type { HeapDiffResult, HeapResult } from '../../results/heap.js';
import { bytesHuman, count, milliseconds, percent } from '../../lib/format.js';
import { classCells, classDeltaCells, signedBytes, stringCells } from './rows.js';
import { facts, paragraph, right, section, table, type Block, type ReportDoc, type Section } from '../model.js';

/** `imdiag heap FILE` as a report: the same figures as the terminal, retainer paths always shown. */
export function heapDoc(result: HeapResult): ReportDoc {
  const s = result.snapshot;
  const top = s.largest[0];
  return {
    title: `imdiag heap: ${s.path}`,
    verdict: [
      `A heap of ${bytesHuman(s.totalSizeBytes)} in ${count(s.nodeCount)} objects. `,
      ...(s.classes[0] ? [`The class retaining most is `, { code: s.classes[0].className }, ` (${bytesHuman(s.classes[0].retainedSizeBytes)}). `] : []),
      ...(top
        ? [
            'The largest object is ',
            { code: top.name },
            ` (${bytesHuman(top.retainedSizeBytes)} retained)${top.retainers ? ', held by ' : ''}`,
            ...(top.retainers ? [{ code: top.retainers.text }] : []),
            '. ',
          ]
        : []),
      `Strings take ${percent(s.strings.share)} of the heap; copies of duplicated values ${bytesHuman(s.strings.wastedBytes)}.`,
    ],
    sections: [snapshotSection(result), classesSection(result), largestSection(result), stringsSection(result)],
  };
}

function snapshotSection(result: HeapResult): Section {
  const s = result.snapshot;
  return section(
    'Snapshot',
    'snapshot',
    facts([
      ['File', { code: s.path }],
      ['File size', bytesHuman(s.fileBytes)],
      ['Heap (sum of self sizes)', bytesHuman(s.totalSizeBytes)],
      ['Native (off-heap) nodes', bytesHuman(s.nativeBytes)],
      ['Nodes / edges', `${count(s.nodeCount)} / ${count(s.edgeCount)}`],
      ['Unreachable from the roots', s.unreachableNodes > 0 ? `${count(s.unreachableNodes)} nodes (retained by the root, as DevTools does)` : 'none'],
      [
        'Analysis',
        `read ${milliseconds(s.timings.readMs)}, dominators ${milliseconds(s.timings.dominatorsMs)}, classes ${milliseconds(s.timings.classesMs)}; peak RSS ${bytesHuman(result.peakRssBytes)}`,
      ],
    ]),
  );
}

function classesSection(result: HeapResult): Section {
  const s = result.snapshot;
  const rows = s.classes.map((row) => classCells(row, s.totalSizeBytes));
  return section(
    'Classes by retained size',
    'classes',
    table(
      ['constructor', right('count'), right('self size'), right('retained size'), right('% of heap')],
      rows,
      `Top ${s.classes.length} of ${count(s.classCount)}. Retained size as DevTools' Summary computes it: an instance inside another instance of its class is not added again; weak edges do not retain.`,
    ),
  );
}

function largestSection(result: HeapResult): Section {
  const blocks: Block[] = [
    table(
      ['object', right('id'), right('self size'), right('retained size'), 'shortest path from a GC root'],
      result.snapshot.largest.map((object) => [
        object.name,
        `@${object.id}`,
        bytesHuman(object.selfSizeBytes),
        bytesHuman(object.retainedSizeBytes),
        object.retainers?.text ?? '(no strong path)',
      ]),
      'Objects inside a listed one are left out (their size is in it), as are V8 system objects and the global object.',
    ),
  ];
  return section('Largest objects and what holds them', 'largest', ...blocks);
}

function stringsSection(result: HeapResult): Section {
  const strings = result.snapshot.strings;
  return section(
    'Duplicated strings',
    'strings',
    paragraph(
      `${bytesHuman(strings.stringBytes)} in ${count(strings.stringCount)} strings, ${percent(strings.share)} of the heap. ${count(strings.duplicatedValues)} values occur more than once; the copies beyond the first take ${bytesHuman(strings.wastedBytes)}.`,
    ),
    table(['value (first 80 characters)', right('copies'), right('total size'), right('beyond the first')], strings.top.map(stringCells)),
    paragraph(
      `Concatenated (${bytesHuman(strings.concatenatedBytes)}) and sliced (${bytesHuman(strings.slicedBytes)}) strings count toward the share by their own size, not as values.`,
    ),
  );
}

/** `imdiag heap diff` as a report. */
export function heapDiffDoc(result: HeapDiffResult): ReportDoc {
  const leaks = result.leaks;
  const held = result.conditions.filter((outcome) => outcome.held);
  return {
    title: `imdiag heap diff: ${result.snapshots.map((s) => s.path).join(' → ')}`,
    verdict: [
      `The heap changed by ${signedBytes(result.totalGrowthBytes)}. `,
      ...(result.maxClassGrowthName
        ? ['The class that grew most is ', { code: result.maxClassGrowthName }, `: ${signedBytes(result.maxClassGrowthBytes)} retained. `]
        : ['No class grew. ']),
      result.sameProcess.sameProcess ? `Ids match: ${result.sameProcess.reason}. ` : { strong: `Ids do not match: ${result.sameProcess.reason}. ` },
      ...(leaks?.status === 'ok'
        ? [`${count(leaks.stillAlive)} of the ${count(leaks.allocatedBetween)} objects allocated between the first two snapshots are alive in the third.`]
        : []),
      ...(held.length > 0 ? [' ', { strong: `Failed: ${held.map((outcome) => outcome.condition).join(', ')}.` }] : []),
    ],
    sections: [diffClassesSection(result), ...(leaks ? [leaksSection(result)] : [])],
  };
}

function diffClassesSection(result: HeapDiffResult): Section {
  const rows = result.classes.map((row) => classDeltaCells(row, result.sameProcess));
  return section(
    'Classes that changed',
    'classes',
    table(
      ['constructor', right('count'), right('Δ count'), right('new objects'), right('Δ self size'), right('retained after'), right('Δ retained')],
      rows,
      'First snapshot against the last. New objects: instances whose V8 node id the first snapshot lacks.',
    ),
    ...(result.conditions.length > 0
      ? [
          {
            kind: 'list' as const,
            items: result.conditions.map((outcome) => [`${outcome.held ? 'FAILED' : 'ok'} --fail-on ${outcome.condition}: ${outcome.detail}`]),
          },
        ]
      : []),
  );
}

function leaksSection(result: HeapDiffResult): Section {
  const leaks = result.leaks!;
  if (leaks.status === 'not-comparable')
    return section('Allocated between A and B, alive in C', 'leaks', paragraph({ strong: 'Not computed: ' }, `${leaks.reason}.`));
  return section(
    'Allocated between A and B, alive in C',
    'leaks',
    table(
      [right('objects'), right('self size'), 'retainer path (element indices as […])'],
      leaks.groups.map((group) => [count(group.count), bytesHuman(group.selfSizeBytes), group.path]),
    ),
  );
}
