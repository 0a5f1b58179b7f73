import { BSON, type CommandSucceededEvent, type MongoClient } from 'mongodb';

/**
 * Counts what the server sends: documents in cursor batches and distinct values, and the BSON
 * size of every reply. Command monitoring makes the driver deserialise every reply a second
 * time, so it is attached only on the (unmeasured) first warm-up run; the measured runs send
 * the same queries without it.
 */
export class ReplyAccounting {
  docs = 0;
  bytes = 0;
  /** Documents in the largest single reply (a firstBatch, a nextBatch, distinct's values). */
  largestBatchDocs = 0;
  private readonly listener = (event: CommandSucceededEvent) => this.count(event);
  private readonly watched = new Set<MongoClient>();

  watch(client: MongoClient): void {
    if (this.watched.has(client)) return;
    this.watched.add(client);
    client.on('commandSucceeded', this.listener);
  }

  unwatchAll(): void {
    for (const client of this.watched) client.off('commandSucceeded', this.listener);
    this.watched.clear();
  }

  private count(event: CommandSucceededEvent): void {
    const reply = event.reply as { cursor?: { firstBatch?: unknown[]; nextBatch?: unknown[] }; values?: unknown[]; n?: number } | undefined;
    if (!reply || !['find', 'getMore', 'aggregate', 'distinct', 'count'].includes(event.commandName)) return;
    this.bytes += BSON.calculateObjectSize(reply);
    const docs = reply.cursor?.firstBatch?.length ?? reply.cursor?.nextBatch?.length ?? reply.values?.length ?? 0;
    this.docs += docs;
    this.largestBatchDocs = Math.max(this.largestBatchDocs, docs);
  }
}
