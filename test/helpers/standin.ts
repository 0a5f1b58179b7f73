import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

const STANDIN = process.env.MONGOMS_SYSTEM_BINARY ?? '/work/shared/mongo-standin/bin/mongod';

export interface OwnServer {
  uri: string;
  /** Where its stdout (mongod's JSON log lines) goes. */
  logFile: string;
  stop(): Promise<void>;
}

/**
 * A server of the test's own on port 0, its stdout (mongod-style JSON log, "Slow query" lines
 * included) written to `logFile`: `--from-log` needs a log captured from a real run.
 */
export function startOwnServer(logFile: string, args: string[] = []): Promise<OwnServer> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(STANDIN, ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const log = createWriteStream(logFile);
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('the stand-in did not start within 20 s')), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (buffered === null) return;
      buffered += chunk.toString('utf8');
      const match = /"Waiting for connections".*?"port":(\d+)/.exec(buffered);
      if (!match) return;
      clearTimeout(timer);
      buffered = '';
      resolve({
        uri: `mongodb://127.0.0.1:${match[1]}`,
        logFile,
        stop: () =>
          new Promise((done) => {
            child.once('exit', () => log.end(() => done()));
            child.kill('SIGINT');
          }),
      });
    });
    child.once('error', reject);
  });
}
