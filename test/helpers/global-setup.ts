import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MongoMemoryServer } from 'mongodb-memory-server-core';
import type { TestProject } from 'vitest/node';

const root = fileURLToPath(new URL('../..', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

interface Shared {
  server: Promise<MongoMemoryServer>;
  users: number;
}

/**
 * One build and one server for the whole run, however many projects (vitest.config.ts) ask: each
 * project calls its global setup in vitest's main process, so they meet on `globalThis` (each
 * project may load this module afresh) and the last teardown stops the server.
 */
const KEY = Symbol.for('imdiag.test.global-setup');
const registry = globalThis as unknown as Record<symbol, Shared | undefined>;

/**
 * Builds dist/ (end-to-end tests spawn bin/imdiag.js and strategy children run compiled code)
 * and starts one throw-away MongoDB for the whole run: mongodb-memory-server, which honours
 * MONGOMS_SYSTEM_BINARY (.ci/run points it at the offline stand-in).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let shared = registry[KEY];
  if (!shared) {
    // .ci/run's versions subset runs right after the whole suite built dist/ (IMDIAG_DIST_BUILT=1).
    if (process.env.IMDIAG_DIST_BUILT !== '1')
      execFileSync(process.execPath, [fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.json'], {
        cwd: root,
        stdio: 'inherit',
      });
    // A loaded machine can take more than mongodb-memory-server's default 10 s to start it.
    shared = registry[KEY] = { server: MongoMemoryServer.create({ instance: { launchTimeout: 60_000 } }), users: 0 };
  }
  shared.users += 1;
  const server = await shared.server;
  project.provide('mongoUri', server.getUri());
  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    registry[KEY] = undefined;
    await server.stop();
  };
}
