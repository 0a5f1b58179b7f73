import type { MongoClient } from 'mongodb';
import { COLLECTIONS } from '../../../core/webim/schema.js';
import { findReceipts, findReceived, receiptsFilter, receivedFilter } from '../queries.js';
import { StrategySkipped, type StrategyContext, type UnreadStrategy } from './types.js';

/**
 * The original code path: Mongoose models, `find().exec()`, hydrated documents (no lean) —
 * where the post-mortem's "~4 KB per document" came from. Mongoose is an optional dependency,
 * imported only here; without it the strategy is skipped.
 */
interface MongooseDocument {
  _id: { toHexString(): string };
  get(path: string): unknown;
}
interface MongooseModel {
  find(filter: object): { exec(): Promise<MongooseDocument[]> };
}
interface MongooseConnection {
  asPromise(): Promise<unknown>;
  model(name: string, schema: unknown, collection: string): MongooseModel;
  close(): Promise<void>;
  getClient(): MongoClient;
}
interface MongooseModule {
  Schema: (new (definition: object, options: object) => unknown) & { Types: { ObjectId: unknown } };
  createConnection(uri: string, options: object): MongooseConnection;
}

interface Models {
  Msg: MongooseModel;
  ReadMsg: MongooseModel;
}

// A variable specifier keeps TypeScript from requiring mongoose's types at build time.
const MONGOOSE = 'mongoose';

async function openModels(ctx: StrategyContext): Promise<{ connection: MongooseConnection; models: Models }> {
  let mongoose: MongooseModule;
  try {
    const imported = (await import(MONGOOSE)) as { default?: MongooseModule } & MongooseModule;
    mongoose = imported.default ?? imported;
  } catch (error) {
    throw new StrategySkipped(`mongoose is not installed (optional dependency): ${(error as Error).message.split('\n')[0]}`);
  }
  // Read-only: never create collections or indexes in the user's database.
  const connection = mongoose.createConnection(ctx.uri, { dbName: ctx.dbName, autoIndex: false, autoCreate: false, monitorCommands: ctx.accounting });
  await connection.asPromise();
  const options = { versionKey: false, autoIndex: false, autoCreate: false, strict: false };
  const { ObjectId } = mongoose.Schema.Types;
  const msgSchema = new mongoose.Schema(
    { topicId: String, seq: Number, sender: String, receivers: [String], sentAt: Date, body: String },
    { ...options, collection: COLLECTIONS.msgs },
  );
  const readMsgSchema = new mongoose.Schema(
    { userId: String, msgId: ObjectId, topicId: String, readDateTime: Date },
    { ...options, collection: COLLECTIONS.readMsgs },
  );
  return {
    connection,
    models: { Msg: connection.model('Msg', msgSchema, COLLECTIONS.msgs), ReadMsg: connection.model('ReadMsg', readMsgSchema, COLLECTIONS.readMsgs) },
  };
}

export const naiveMongoose: UnreadStrategy = {
  name: 'naive-mongoose',
  description: 'naive through Mongoose models, hydrated documents (no lean), as the original code',
  stage: 'The original getUnreadMsgs (Mongoose)',
  exact: true,
  queries: (p) => [findReceived(p), findReceipts(p)],
  async run(ctx) {
    const key = ctx.accounting ? 'mongoose-monitored' : 'mongoose';
    const { connection, models } = await ctx.shared(
      key,
      () => openModels(ctx),
      (opened) => opened.connection.close(),
    );
    ctx.watch(connection.getClient());
    const received = await models.Msg.find(receivedFilter(ctx)).exec();
    ctx.probe.docs(received.length);
    const receipts = await models.ReadMsg.find(receiptsFilter(ctx)).exec();
    ctx.probe.docs(receipts.length);
    await ctx.atPeak();
    const read = new Set<string>();
    for (const receipt of receipts) read.add((receipt.get('msgId') as { toHexString(): string }).toHexString());
    return received.map((message) => message._id.toHexString()).filter((id) => !read.has(id));
  },
};
