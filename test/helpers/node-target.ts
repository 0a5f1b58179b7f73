import { spawn, type ChildProcess } from 'node:child_process';
import { NODE } from './cli.js';

/**
 * A real Node process for imdiag to watch: `steady` allocates garbage only, `leak` keeps
 * `leakKbPerTick` KB every 50 ms, `small-leak` keeps 250 distinct 300-character strings every
 * 50 ms (1.5 MB/s) beside 16 MB/s of short-lived arrays, `idle` does nothing. Inspector on an ephemeral loopback port
 * (`inspect`), or opened later by SIGUSR1 on an ephemeral port (`--inspect-port=0`), or none.
 */
export interface TargetOptions {
  behaviour: 'steady' | 'leak' | 'small-leak' | 'idle';
  inspect: 'now' | 'on-signal';
  leakKbPerTick?: number;
  maxOldSpaceSizeMB?: number;
  /** Also serve prom-client-style metrics on an ephemeral loopback port. */
  metrics?: boolean;
}

export interface Target {
  child: ChildProcess;
  pid: number;
  /** Null until the inspector is opened. */
  inspectPort: number | null;
  metricsPort: number | null;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

const SCRIPT = String.raw`
const kind = process.env.TARGET_BEHAVIOUR;
const perTick = Number(process.env.TARGET_LEAK_KB || 64);
const kept = [];
process.stdout.write('ready\n');
setInterval(() => {
  const garbage = [];
  for (let i = 0; i < 200; i += 1) garbage.push({ i, s: 'g'.repeat(64) + i });
  if (kind === 'leak') for (let k = 0; k < perTick; k += 1) kept.push('x'.repeat(1000) + kept.length);
  if (kind === 'small-leak') {
    for (let k = 0; k < 250; k += 1) kept.push(Buffer.alloc(300, String(kept.length)).toString('latin1'));
    for (let k = 0; k < 400; k += 1) garbage[k % 200] = new Array(256).fill(k);
  }
}, 50);
if (process.env.TARGET_METRICS) {
  require('node:http').createServer((req, res) => {
    const m = process.memoryUsage();
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end([
      '# HELP process_resident_memory_bytes Resident memory size in bytes.',
      '# TYPE process_resident_memory_bytes gauge',
      'process_resident_memory_bytes ' + m.rss,
      '# TYPE nodejs_heap_size_total_bytes gauge',
      'nodejs_heap_size_total_bytes ' + m.heapTotal,
      '# TYPE nodejs_heap_size_used_bytes gauge',
      'nodejs_heap_size_used_bytes ' + m.heapUsed,
      '# TYPE nodejs_external_memory_bytes gauge',
      'nodejs_external_memory_bytes ' + m.external,
      'nodejs_heap_space_size_used_bytes{space="old"} 1',
      '',
    ].join('\n'));
  }).listen(0, '127.0.0.1', function () { process.stdout.write('metrics ' + this.address().port + '\n'); });
}
`;

export function startTarget(options: TargetOptions): Promise<Target> {
  const args = [options.inspect === 'now' ? '--inspect=127.0.0.1:0' : '--inspect-port=127.0.0.1:0'];
  if (options.maxOldSpaceSizeMB) args.push(`--max-old-space-size=${options.maxOldSpaceSizeMB}`);
  const child = spawn(NODE, [...args, '-e', SCRIPT], {
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      TARGET_BEHAVIOUR: options.behaviour,
      TARGET_LEAK_KB: String(options.leakKbPerTick ?? 64),
      TARGET_METRICS: options.metrics ? '1' : '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const target: Target = {
    child,
    pid: child.pid!,
    inspectPort: null,
    metricsPort: null,
    stderr: () => stderr,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    const ready = () => {
      const inspectorReady = options.inspect !== 'now' || target.inspectPort !== null;
      const metricsReady = !options.metrics || target.metricsPort !== null;
      if (inspectorReady && metricsReady && /^ready$/m.test(stdout)) resolve(target);
    };
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const port = /Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(stderr)?.[1];
      if (port) target.inspectPort = Number(port);
      ready();
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const port = /metrics (\d+)/.exec(stdout)?.[1];
      if (port) target.metricsPort = Number(port);
      ready();
    });
    child.on('error', reject);
    void exited.then(() => reject(new Error(`target exited before it was ready: ${stderr}`)));
  });
}
