import type { Db, Document } from 'mongodb';
import type { CollectionSummary, SizeSource } from '../../results/seed.js';
import type { CollectionName } from '../../core/webim/schema.js';

/**
 * Sizes per collection: `$collStats` (MongoDB 3.4+, one document per shard on mongos, summed),
 * else the older `collStats` command, else counts only. Servers and stand-ins differ in what
 * they support; a missing size is reported as null, never guessed.
 */
export async function collectionSummaries(db: Db, names: readonly CollectionName[]): Promise<{ collections: CollectionSummary[]; sizeSource: SizeSource }> {
  const collections: CollectionSummary[] = [];
  let sizeSource: SizeSource = '$collStats';
  for (const name of names) {
    const documents = await db.collection(name).estimatedDocumentCount();
    const indexes = (await db.collection(name).listIndexes().toArray()).length;
    let stats = sizeSource === '$collStats' ? await viaCollStatsStage(db, name) : null;
    if (!stats) {
      stats = await viaCollStatsCommand(db, name);
      if (stats && sizeSource === '$collStats') sizeSource = 'collStats';
    }
    if (!stats && sizeSource !== '$collStats') sizeSource = 'unavailable';
    collections.push({ name, documents, indexes, ...(stats ?? { dataSizeBytes: null, storageSizeBytes: null, indexSizeBytes: null }) });
  }
  if (collections.every((summary) => summary.dataSizeBytes === null)) sizeSource = 'unavailable';
  return { collections, sizeSource };
}

type Sizes = Pick<CollectionSummary, 'dataSizeBytes' | 'storageSizeBytes' | 'indexSizeBytes'>;

async function viaCollStatsStage(db: Db, name: string): Promise<Sizes | null> {
  try {
    const perShard = await db
      .collection(name)
      .aggregate([{ $collStats: { storageStats: {} } }])
      .toArray();
    if (perShard.length === 0 || !perShard.every((doc) => doc.storageStats)) return null;
    return {
      dataSizeBytes: sum(perShard, (doc) => doc.storageStats.size),
      storageSizeBytes: sum(perShard, (doc) => doc.storageStats.storageSize),
      indexSizeBytes: sum(perShard, (doc) => doc.storageStats.totalIndexSize),
    };
  } catch {
    return null;
  }
}

async function viaCollStatsCommand(db: Db, name: string): Promise<Sizes | null> {
  try {
    const stats = await db.command({ collStats: name });
    return { dataSizeBytes: num(stats.size), storageSizeBytes: num(stats.storageSize), indexSizeBytes: num(stats.totalIndexSize) };
  } catch {
    return null;
  }
}

export async function databaseSize(db: Db): Promise<{ dataSizeBytes: number; storageSizeBytes: number; indexSizeBytes: number } | null> {
  try {
    const stats = await db.command({ dbStats: 1 });
    return { dataSizeBytes: num(stats.dataSize) ?? 0, storageSizeBytes: num(stats.storageSize) ?? 0, indexSizeBytes: num(stats.indexSize) ?? 0 };
  } catch {
    return null;
  }
}

function sum(docs: Document[], pick: (doc: Document) => unknown): number | null {
  let total = 0;
  for (const doc of docs) {
    const value = num(pick(doc));
    if (value === null) return null;
    total += value;
  }
  return total;
}

function num(value: unknown): number | null {
  const parsed = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : Number((value as { toString?: () => string })?.toString?.());
  return Number.isFinite(parsed) ? parsed : null;
}
