import { spawn, type ChildProcess } from 'node:child_process';
import { repoPath } from './repo.js';

/** examples/spider/server.js, started as the tests and benchmarks need it (it prints its port on its first line). */
export const SPIDER_EXAMPLE = repoPath('examples/spider/server.js');

export interface SpiderExample {
  child: ChildProcess;
  pid: number;
  port: number;
  /** The inspector's port when started with `inspect`. */
  inspectPort: number | null;
  /** Resolves when the process has exited, with how. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  stop(): Promise<void>;
}

export async function startSpiderExample(
  options: { args?: string[]; nodeArgs?: string[]; inspect?: boolean; timeoutMs?: number; node?: string } = {},
): Promise<SpiderExample> {
  const nodeArgs = [...(options.nodeArgs ?? []), ...(options.inspect ? ['--inspect=127.0.0.1:0'] : [])];
  const child = spawn(options.node ?? process.execPath, [...nodeArgs, SPIDER_EXAMPLE, ...(options.args ?? [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<{ port: number; inspectPort: number | null }>((resolve, reject) => {
    const check = () => {
      const port = /listening on http:\/\/[^:]+:(\d+)/.exec(stdout)?.[1];
      const inspectPort = /Debugger listening on ws:\/\/[^:]+:(\d+)\//.exec(stderr)?.[1];
      if (port && (!options.inspect || inspectPort)) resolve({ port: Number(port), inspectPort: inspectPort ? Number(inspectPort) : null });
    };
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), check()));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), check()));
    void exited.then(({ code, signal }) => reject(new Error(`the example server exited (${signal ?? code}) before listening: ${stderr.trim().slice(-500)}`)));
    setTimeout(
      () => reject(new Error(`the example server did not print its port within ${options.timeoutMs ?? 10_000} ms`)),
      options.timeoutMs ?? 10_000,
    ).unref();
  });
  let started: { port: number; inspectPort: number | null };
  try {
    started = await ready;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    child,
    pid: child.pid!,
    ...started,
    exited,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
