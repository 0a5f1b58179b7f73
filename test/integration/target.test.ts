import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CheckError, UsageError } from '../../src/lib/errors.js';
import { claimDatabase, MARK_COLLECTION, readMark } from '../../src/lib/mongo/ownership.js';
import { openTarget } from '../../src/lib/mongo/target.js';
import { testMongoUri, uniqueDbName, withClient } from '../helpers/mongo.js';

describe('openTarget', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('names an unreachable server within seconds and never prints its credentials', async () => {
    const started = Date.now();
    const failure = await openTarget({ uri: 'mongodb://alice:s3cret@127.0.0.1:1/?directConnection=true', db: 'x', dataDir: '/unused' }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CheckError);
    expect((failure as Error).message).toMatch(/^cannot reach MongoDB at mongodb:\/\/\*\*\*@127\.0\.0\.1:1/);
    expect((failure as Error).message).not.toContain('s3cret');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('says to pass --uri or MONGOMS_SYSTEM_BINARY when no mongod can be obtained', async () => {
    const downloadDir = await mkdtemp(join(tmpdir(), 'imdiag-nomongod-'));
    try {
      vi.stubEnv('MONGOMS_SYSTEM_BINARY', '');
      vi.stubEnv('MONGOMS_DOWNLOAD_DIR', downloadDir);
      // A mirror nobody listens on: the download is refused at once, online or offline.
      vi.stubEnv('MONGOMS_DOWNLOAD_MIRROR', 'http://127.0.0.1:9');
      vi.stubEnv('MONGOMS_MAX_RETRIES', '0');
      const failure = await openTarget({ uri: undefined, db: 'x', dataDir: join(downloadDir, 'data') }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(CheckError);
      expect((failure as Error).message).toMatch(/could not start an embedded mongod .*pass --uri .*MONGOMS_SYSTEM_BINARY/);
      expect((failure as Error).message).not.toContain('\n');
    } finally {
      await rm(downloadDir, { recursive: true, force: true });
    }
  });

  it('starts the embedded default on a persistent data directory that outlives the run', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'imdiag-embedded-'));
    try {
      const first = await openTarget({ uri: undefined, db: 'persist', dataDir });
      expect(first.embedded).toBe(true);
      await first.db.collection('c').insertOne({ kept: true });
      await first.close();
      const second = await openTarget({ uri: undefined, db: 'persist', dataDir });
      expect(await second.db.collection('c').countDocuments({ kept: true })).toBe(1);
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('claimDatabase', () => {
  it('marks a new database, reuses its own and re-creates it only with drop', async () => {
    await withClient(async (client) => {
      const db = client.db(uniqueDbName('claim'));
      expect(await claimDatabase(db, { drop: false })).toBe('created');
      expect((await readMark(db))?.createdBy).toBe('imdiag');
      await db.collection('msgs').insertOne({ x: 1 });
      expect(await claimDatabase(db, { drop: false })).toBe('existing');
      expect(await claimDatabase(db, { drop: true, ownCollections: ['msgs'] })).toBe('recreated');
      expect(await db.collection('msgs').countDocuments()).toBe(0);
      await db.dropDatabase();
    });
  });

  it('refuses a database it did not create and leaves it untouched', async () => {
    await withClient(async (client) => {
      const name = uniqueDbName('foreign');
      const db = client.db(name);
      await db.collection('orders').insertOne({ precious: true });
      for (const drop of [false, true]) {
        await expect(claimDatabase(db, { drop })).rejects.toThrow(UsageError);
        await expect(claimDatabase(db, { drop })).rejects.toThrow(new RegExp(`--db ${name}: .*did not create`));
      }
      expect(await db.collection('orders').countDocuments({ precious: true })).toBe(1);
      expect(await db.listCollections({ name: MARK_COLLECTION }).toArray()).toHaveLength(0);
      await db.dropDatabase();
    });
  });
});

it('the test server answers (sanity for the helpers)', async () => {
  expect(testMongoUri()).toMatch(/^mongodb:\/\//);
});
