import type { HeapDiffResult, HeapObjectRow, HeapResult, SnapshotSummary } from '../../results/heap.js';
import type { Style } from '../../lib/style.js';
import { bytesHuman, count, milliseconds, percent } from '../../lib/format.js';
import { compactTable, DEFAULT_LAYOUT, finish, fitTable, type TerminalLayout } from '../terminal.js';
import { classCells, classDeltaCells, signedBytes, stringCells } from './rows.js';

/** `imdiag heap FILE` for people: totals, classes, largest objects (with paths), strings. */
export function renderHeap(result: HeapResult, style: Style, layout: TerminalLayout = DEFAULT_LAYOUT): string {
  const s = result.snapshot;
  const lines = [headline(s, style), ''];
  lines.push(style.bold(`Classes by retained size (top ${s.classes.length} of ${count(s.classCount)}; retained as DevTools' Summary counts it)`));
  const classes = compactTable(style, ['constructor', 'count', 'self size', 'retained size', '% of heap'], [1, 2, 3, 4]);
  for (const row of s.classes) classes.push(classCells(row, s.totalSizeBytes));
  lines.push(classes.toString(), '');
  lines.push(
    style.bold('Largest objects by retained size') +
      (result.options.retainers ? ' and the shortest path from a GC root' : style.dim(' (--retainers shows what holds each)')),
  );
  lines.push(objectsTable(s.largest, style, result.options.retainers));
  if (result.options.strings) lines.push('', ...stringsLines(s, style));
  else
    lines.push(
      '',
      `strings: ${bytesHuman(s.strings.stringBytes)} (${percent(s.strings.share)} of the heap); ${count(s.strings.duplicatedValues)} values occur more than once, the extra copies take ${bytesHuman(s.strings.wastedBytes)} ${style.dim('(--strings lists them)')}`,
    );
  lines.push(
    style.dim(
      `read ${milliseconds(s.timings.readMs)}, dominators ${milliseconds(s.timings.dominatorsMs)}, classes ${milliseconds(s.timings.classesMs)}; total ${milliseconds(s.timings.totalMs)}; peak RSS ${bytesHuman(result.peakRssBytes)}`,
    ),
  );
  return finish(lines, layout);
}

function headline(s: SnapshotSummary, style: Style): string {
  const head = `${style.bold(s.path)} · ${bytesHuman(s.fileBytes)} file · heap ${bytesHuman(s.totalSizeBytes)} (native ${bytesHuman(s.nativeBytes)}) · ${count(s.nodeCount)} nodes, ${count(s.edgeCount)} edges`;
  return s.unreachableNodes > 0 ? `${head} · ${count(s.unreachableNodes)} nodes unreachable from the roots (counted under the root)` : head;
}

function objectsTable(objects: HeapObjectRow[], style: Style, paths: boolean): string {
  const rows = compactTable(style, ['object', 'id', 'self size', 'retained size'], [1, 2, 3]);
  for (const object of objects) {
    rows.push([
      object.name === object.className ? object.name : `${object.name} ${style.dim(object.className)}`,
      `@${object.id}`,
      bytesHuman(object.selfSizeBytes),
      bytesHuman(object.retainedSizeBytes),
    ]);
  }
  if (!paths) return rows.toString();
  const lines = [rows.toString()];
  objects.forEach((object, index) => lines.push(`${index + 1}. ${object.retainers ? object.retainers.text : '(no strong path from a GC root)'}`));
  return lines.join('\n');
}

function stringsLines(s: SnapshotSummary, style: Style): string[] {
  const strings = s.strings;
  const rows = compactTable(style, ['value (first 80 characters)', 'copies', 'total size', 'beyond the first'], [1, 2, 3]);
  for (const row of strings.top) rows.push(stringCells(row));
  return [
    style.bold(`Strings: ${bytesHuman(strings.stringBytes)} in ${count(strings.stringCount)} strings, ${percent(strings.share)} of the heap`),
    `duplicated values: ${count(strings.duplicatedValues)}; the copies beyond the first take ${bytesHuman(strings.wastedBytes)}`,
    rows.toString(),
    style.dim(
      `Concatenated strings (${bytesHuman(strings.concatenatedBytes)}) and sliced strings (${bytesHuman(strings.slicedBytes)}) count toward the share by their own size, not as values; their characters live in the strings they point to.`,
    ),
  ];
}

/** `imdiag heap diff` for people: the process check, classes that changed, survivors, the gate. */
export function renderHeapDiff(result: HeapDiffResult, style: Style, layout: TerminalLayout = DEFAULT_LAYOUT): string {
  const lines: string[] = [];
  const [first, ...rest] = result.snapshots;
  const last = rest[rest.length - 1]!;
  lines.push(
    `${style.bold('heap diff')} ${result.snapshots.map((s) => s.path).join(' → ')} · heap ${bytesHuman(first!.totalSizeBytes)} → ${bytesHuman(last.totalSizeBytes)} (${signedBytes(result.totalGrowthBytes)})${result.maxClassGrowthName ? ` · grew most: ${result.maxClassGrowthName} ${signedBytes(result.maxClassGrowthBytes)} retained` : ''}`,
  );
  lines.push(
    result.sameProcess.sameProcess
      ? style.dim(`ids match: ${result.sameProcess.reason}`)
      : style.yellow(`ids do not match: ${result.sameProcess.reason}; new-object counts are left out`),
  );
  lines.push('', style.bold('Classes that changed, by retained growth'));
  const columns = [
    { head: 'constructor', wrap: true },
    { head: 'count', right: true, drop: 4 },
    { head: 'Δ count', right: true, drop: 2 },
    { head: 'new objects', right: true, drop: 3 },
    { head: 'Δ self size', right: true, drop: 1 },
    { head: 'retained after', right: true },
    { head: 'Δ retained', right: true },
  ];
  lines.push(
    ...fitTable(
      style,
      layout,
      columns,
      result.classes.map((row) => classDeltaCells(row, result.sameProcess)),
    ),
  );
  const leaks = result.leaks;
  if (leaks?.status === 'not-comparable') lines.push('', style.yellow(`Objects allocated between A and B and alive in C: not computed, ${leaks.reason}.`));
  if (leaks?.status === 'ok') {
    lines.push(
      '',
      style.bold(
        `${count(leaks.stillAlive)} of the ${count(leaks.allocatedBetween)} objects allocated between A and B are alive in C (${bytesHuman(leaks.stillAliveBytes)} self size), by retainer path:`,
      ),
    );
    const columns = [
      { head: 'objects', right: true },
      { head: 'self size', right: true },
      { head: 'retainer path (first member)', wrap: true },
    ];
    lines.push(
      ...fitTable(
        style,
        layout,
        columns,
        leaks.groups.map((group) => [count(group.count), bytesHuman(group.selfSizeBytes), group.path]),
      ),
    );
  }
  for (const outcome of result.conditions)
    lines.push(`${outcome.held ? style.red('FAIL') : style.green('ok  ')} --fail-on ${outcome.condition}: ${outcome.detail}`);
  lines.push(style.dim(`peak RSS ${bytesHuman(result.peakRssBytes)}`));
  return finish(lines, layout);
}
