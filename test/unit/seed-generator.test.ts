import type { Document } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { heavyUserId, Simulation, type DatasetSpec } from '../../src/engines/seed/generator.js';
import { PROFILES, windowStart } from '../../src/core/webim/profiles.js';
import type { DatasetParams } from '../../src/results/seed.js';
import type { MsgDoc, ReadCursorDoc, ReadMsgDoc } from '../../src/core/webim/schema.js';

const ANCHOR = new Date('2018-08-10T00:00:00Z');

function spec(params: DatasetParams, seed = 7): DatasetSpec {
  return { params, seed, anchor: ANCHOR, windowStart: windowStart(ANCHOR), batchSize: 500 };
}

function generate(datasetSpec: DatasetSpec): { simulation: Simulation; docs: Record<string, Document[]> } {
  const simulation = new Simulation(datasetSpec);
  const docs: Record<string, Document[]> = { users: [], topics: [], msgs: [], readMsgs: [], readCursors: [] };
  for (const batch of simulation.run()) docs[batch.collection]!.push(...batch.docs);
  return { simulation, docs };
}

// Long enough that part of the history falls before the six-month window.
const YEAR: DatasetParams = { ...PROFILES.tiny, days: 300, msgsPerDay: 8 };

describe('the WebIM generator', () => {
  it('gives identical documents for the same seed and anchor, different ones for another seed', () => {
    const first = generate(spec(PROFILES.tiny));
    const second = generate(spec(PROFILES.tiny));
    expect(JSON.stringify(second.docs)).toBe(JSON.stringify(first.docs));
    const other = generate(spec(PROFILES.tiny, 8));
    expect(JSON.stringify(other.docs.msgs)).not.toBe(JSON.stringify(first.docs.msgs));
  });

  it('counts exactly what it emits, in a counting pass too, and yields batches of at most --batch-size', () => {
    const { simulation, docs } = generate(spec(YEAR));
    const counting = new Simulation(spec(YEAR), false);
    for (const _batch of counting.run());
    for (const [name, list] of Object.entries(docs)) expect(simulation.tally.documents[name as keyof typeof simulation.tally.documents]).toBe(list.length);
    expect(counting.tally.documents).toEqual(simulation.tally.documents);
    expect(counting.tally.figures(heavyUserId())).toEqual(simulation.tally.figures(heavyUserId()));
    for (const batch of new Simulation(spec(YEAR)).run()) expect(batch.docs.length).toBeLessThanOrEqual(500);
  });

  it('keeps the schema invariants: receipts cover a seq prefix, cursors agree, every unread message is inside the window', () => {
    const { simulation, docs } = generate(spec(YEAR));
    const window = windowStart(ANCHOR).getTime();
    const msgs = docs.msgs as MsgDoc[];
    const seqOf = new Map(msgs.map((msg) => [msg._id.toHexString(), msg.seq]));
    const readSeqs = new Map<string, Set<number>>();
    for (const receipt of docs.readMsgs as ReadMsgDoc[]) {
      const key = `${receipt.userId}|${receipt.topicId}`;
      if (!readSeqs.has(key)) readSeqs.set(key, new Set());
      readSeqs.get(key)!.add(seqOf.get(receipt.msgId.toHexString())!);
    }
    const cursors = new Map((docs.readCursors as ReadCursorDoc[]).map((cursor) => [`${cursor.userId}|${cursor.topicId}`, cursor.lastReadSeq]));
    for (const [key, seqs] of readSeqs) {
      const highest = Math.max(...seqs);
      expect(seqs.size, key).toBe(highest);
      expect(cursors.get(key), key).toBe(highest);
    }
    for (const [key, lastReadSeq] of cursors) if (lastReadSeq === 0) expect(readSeqs.has(key)).toBe(false);

    // Unread the original way (received minus receipts) equals unread through cursors, and lies inside the window.
    const unreadBy = new Map<string, number>();
    for (const msg of msgs) {
      for (const user of msg.receivers) {
        const key = `${user}|${msg.topicId}`;
        const unreadByReceipts = !readSeqs.get(key)?.has(msg.seq);
        expect(unreadByReceipts, `${key} seq ${msg.seq}`).toBe(msg.seq > (cursors.get(key) ?? 0));
        if (unreadByReceipts) {
          expect(msg.sentAt.getTime()).toBeGreaterThan(window);
          unreadBy.set(user, (unreadBy.get(user) ?? 0) + 1);
        }
      }
    }
    expect(unreadBy.get(heavyUserId()) ?? 0).toBeGreaterThan(0);
    for (const [user, count] of unreadBy) expect(simulation.tally.figures(user).unreadMsgs).toBe(count);
  });

  it('tallies the window figures the post-mortem quotes, as the documents show them', () => {
    const { simulation, docs } = generate(spec(YEAR));
    const window = windowStart(ANCHOR).getTime();
    const heavy = (docs.readMsgs as ReadMsgDoc[]).filter((receipt) => receipt.userId === heavyUserId());
    const inWindow = heavy.filter((receipt) => receipt.readDateTime.getTime() > window);
    expect(inWindow.length).toBeLessThan(heavy.length);
    const figures = simulation.tally.figures(heavyUserId());
    expect(figures.receipts).toBe(heavy.length);
    expect(figures.receiptsInWindow).toBe(inWindow.length);
    expect(figures.distinctMsgsInWindow).toBe(new Set(inWindow.map((receipt) => receipt.msgId.toHexString())).size);
    expect(figures.receivedMsgs).toBe((docs.msgs as MsgDoc[]).filter((msg) => msg.receivers.includes(heavyUserId())).length);
  });

  it('reproduces the post-mortem at article scale (counting pass): 1M+ receipts, ~440k in six months over ~4k messages', () => {
    const counting = new Simulation(spec(PROFILES.article, 20180810), false);
    for (const _batch of counting.run());
    const heavy = counting.tally.figures(heavyUserId());
    expect(heavy.receivedMsgs).toBeGreaterThan(10_000);
    expect(heavy.receipts).toBeGreaterThan(1_000_000);
    expect(heavy.receiptsInWindow).toBeGreaterThan(300_000);
    expect(heavy.receiptsInWindow).toBeLessThan(600_000);
    expect(heavy.distinctMsgsInWindow).toBeGreaterThan(3000);
    expect(heavy.distinctMsgsInWindow).toBeLessThan(5500);
    expect(heavy.duplicationFactor).toBeGreaterThan(80);
    expect(heavy.duplicationFactor).toBeLessThan(140);
    expect(heavy.unreadMsgs).toBeGreaterThan(0);
    const { documents } = counting.tally;
    expect(documents.readMsgs / documents.msgs).toBeGreaterThan(50);
    expect(documents.readMsgs / documents.msgs).toBeLessThan(200);
    expect(counting.tally.busiestOther('receivedMsgs')!.receivedMsgs).toBeLessThan(heavy.receivedMsgs / 2);
    expect(counting.tally.busiestOther('receipts')!.receipts).toBeLessThan(heavy.receipts / 2);
  });
});
