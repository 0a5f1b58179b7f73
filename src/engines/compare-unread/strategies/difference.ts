import type { ObjectId } from 'mongodb';
import type { Probe } from './types.js';

/** Drains a cursor into an array, probing at every document (the driver's toArray, observable). */
export async function collect<T>(cursor: AsyncIterable<T>, probe: Probe): Promise<T[]> {
  const documents: T[] = [];
  for await (const document of cursor) {
    documents.push(document);
    probe.docs(1);
  }
  probe.sample();
  return documents;
}

/** received − read, by message id: what the original did with lodash's difference. */
export function unreadIds(received: Iterable<{ _id: ObjectId }>, readMsgIds: Iterable<ObjectId>): string[] {
  const read = new Set<string>();
  for (const id of readMsgIds) read.add(id.toHexString());
  const unread: string[] = [];
  for (const message of received) {
    const id = message._id.toHexString();
    if (!read.has(id)) unread.push(id);
  }
  return unread;
}
