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

/**
 * Builds dist/ (end-to-end tests spawn bin/imdiag.js and strategy children run compiled code)
 * and starts one throw-away MongoDB for the whole run: mongodb-memory-server, which honours
 * MONGOMS_SYSTEM_BINARY (.ci/run points it at the offline stand-in).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // .ci/run's versions subset runs right after the whole suite built dist/ (IMDIAG_DIST_BUILT=1).
  if (process.env.IMDIAG_DIST_BUILT !== '1')
    execFileSync(process.execPath, [fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.json'], {
      cwd: root,
      stdio: 'inherit',
    });
  const server = await MongoMemoryServer.create();
  project.provide('mongoUri', server.getUri());
  return async () => {
    await server.stop();
  };
}
