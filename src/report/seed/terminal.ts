import { bytes, count, milliseconds, rate } from '../../lib/format.js';
import type { Style } from '../../lib/style.js';
import type { SeedResult, UserFigures } from '../../results/seed.js';
import { compactTable, DEFAULT_LAYOUT, finish, fitTable, type TerminalLayout } from '../terminal.js';

/** The seed summary for people: collections, then the heavy user's figures next to the post-mortem's. */
export function renderSeed(result: SeedResult, style: Style, layout: TerminalLayout = DEFAULT_LAYOUT): string {
  const { dataset, load } = result;
  const lines: string[] = [];
  const env = result.environment.mongo;
  lines.push(
    style.bold(`imdiag seed · profile ${dataset.profile}${dataset.scale !== 1 ? ` × ${dataset.scale}` : ''} · seed ${dataset.seed}`) +
      ` · history ends ${dataset.anchor} · window from ${dataset.windowStart.slice(0, 10)}`,
  );
  if (env)
    lines.push(`database ${result.database.name} (${result.database.claim}) on ${env.uri}${env.embedded ? ' (embedded)' : ''} · MongoDB ${env.serverVersion}`);

  const collections = compactTable(style, ['collection', 'documents', 'data size', 'storage', 'index size', 'indexes']);
  for (const summary of result.collections) {
    collections.push([
      summary.name,
      count(summary.documents),
      bytes(summary.dataSizeBytes),
      bytes(summary.storageSizeBytes),
      bytes(summary.indexSizeBytes),
      String(summary.indexes),
    ]);
  }
  lines.push(collections.toString());
  if (result.sizeSource === 'unavailable') lines.push(style.dim('sizes: this server reports neither $collStats nor collStats'));
  if (result.databaseSize)
    lines.push(
      `database: ${bytes(result.databaseSize.dataSizeBytes)} data, ${bytes(result.databaseSize.storageSizeBytes)} storage, ${bytes(result.databaseSize.indexSizeBytes)} indexes`,
    );

  const heavy = result.heavyUser;
  lines.push('', style.bold(`The heavy user ${heavy.userId}, laid out like the post-mortem:`));
  const figures: string[][] = [];
  figures.push(
    ['msgs received (receivers contains the user)', count(heavy.receivedMsgs), '10k+'],
    ['read receipts (readMsgs), duplicates included', count(heavy.receipts), '1M+'],
    [`receipts in the last ${dataset.windowMonths} months`, count(heavy.receiptsInWindow), '~440k'],
    ['distinct msgs among them (own msgs too: a topic open receipts every msg in it)', count(heavy.distinctMsgsInWindow), '~4k'],
    ['duplication factor', `${heavy.duplicationFactor}×`, '~110× ("10000%")'],
    ['unread msgs', count(heavy.unreadMsgs), ''],
  );
  lines.push(...fitTable(style, layout, [{ head: 'figure', wrap: true }, { head: 'this dataset' }, { head: 'post-mortem' }], figures));
  lines.push(otherLine('most msgs received by another user', result.busiestOther.byReceivedMsgs, heavy, 'receivedMsgs'));
  lines.push(otherLine('most receipts of another user', result.busiestOther.byReceipts, heavy, 'receipts'));
  lines.push(`readMsgs per msg: ${result.receiptsPerMsg} (post-mortem: about two orders of magnitude)`);
  lines.push(
    '',
    `loaded ${count(load.documents)} documents in ${milliseconds(load.loadMs)} (${rate(load.docsPerSecond, 'docs')}, batches of ${load.batchSize}), ` +
      `indexes ${milliseconds(load.indexMs)}, total ${milliseconds(load.totalMs)}; peak heap ${bytes(load.peakHeapUsedBytes)}, RSS ${bytes(load.peakRssBytes)}`,
  );
  for (const problem of result.problems) lines.push(style.red(`problem: ${problem}`));
  return finish(lines, layout);
}

function otherLine(label: string, other: UserFigures | null, heavy: UserFigures, key: 'receivedMsgs' | 'receipts'): string {
  if (!other) return `${label}: none (one user only)`;
  const share = heavy[key] > 0 ? Math.round((other[key] / heavy[key]) * 100) : 0;
  return `${label}: ${other.userId}, ${count(other[key])} (${share}% of the heavy user's; post-mortem: less than half)`;
}
