import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectInspector } from '../../src/lib/inspector/client.js';

/**
 * A server with a known leak: `remember` (line 10) pushes into a module-level array held by
 * `holder`, called from the request handler `handle`; beside it an LRU of 100 entries. Allocation
 * tracking slows a target many times over, so the loops are short and the leak per request large.
 */
// Too large a body for TurboFan to inline remember into handle (V8 attributes an inlined function's allocations to its caller).
const PADDING = Array.from({ length: 60 }, (_, k) => `  if (i === -${k + 1}) leaked.push({ never: ${k}, at: String(i) + '${k}' });`).join('\n');
const SERVER = String.raw`const http = require('node:http');
const leaked = [];
const holder = { leaked };
class Lru {
  constructor(max) { this.max = max; this.map = new Map(); }
  set(k, v) { this.map.delete(k); this.map.set(k, v); if (this.map.size > this.max) this.map.delete(this.map.keys().next().value); }
}
const cache = new Lru(100);
let n = 0;
function remember(request, i) {
  leaked.push({ url: request.url, at: i, body: new Array(2500).fill(i) });
${PADDING}
}
function cacheIt(i) {
  cache.set('k' + i, { i, data: Buffer.alloc(4000, 97 + (i % 26)).toString('latin1') });
}
function handle(request, response) {
  n++;
  if (process.env.LEAK === '1') remember(request, n);
  cacheIt(n);
  response.end('ok\n');
}
globalThis.holder = holder;
http.createServer(handle).listen(0, '127.0.0.1', function () { process.stdout.write('port ' + this.address().port + '\n'); });
`;

const LOAD = String.raw`const http = require('node:http');
const [port, count] = process.argv.slice(2).map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
const one = (i) => new Promise((resolve, reject) => http.get({ host: '127.0.0.1', port, path: '/r' + i, agent }, (r) => { r.resume(); r.on('end', resolve); }).on('error', reject));
(async () => { for (let i = 0; i < count; i++) await one(i); agent.destroy(); console.log('sent ' + count); })();
`;

/** Writes the server and the load script into `dir`. */
export function writeLeakServer(dir: string): { serverFile: string; loadFile: string } {
  const serverFile = join(dir, 'server.js');
  const loadFile = join(dir, 'load.js');
  writeFileSync(serverFile, SERVER);
  writeFileSync(loadFile, LOAD);
  return { serverFile, loadFile };
}

/**
 * A small HTTP server in `dir/name`: `body`'s lines after `require('node:http')` (line 1, so the body's first
 * line is line 2), then a server that runs `onRequest` for every request and says its port as startLeakServer reads it.
 */
export function writeHttpServer(dir: string, name: string, body: string[], onRequest: string): string {
  const file = join(dir, name);
  const listen = "listen(0, '127.0.0.1', function () { process.stdout.write('port ' + this.address().port + '\\n'); });";
  writeFileSync(file, ["const http = require('node:http');", ...body, `http.createServer((q, r) => { ${onRequest}; r.end('ok'); }).${listen}`].join('\n'));
  return file;
}

export interface LeakServer {
  child: ChildProcess;
  port: number;
  inspect: string;
}

/** Starts the server on `node` with its inspector on a free loopback port; LEAK=1 turns the leak on. */
export function startLeakServer(serverFile: string, leak: boolean, node = process.execPath): Promise<LeakServer> {
  const child = spawn(node, ['--inspect=127.0.0.1:0', serverFile], {
    env: { ...process.env, NODE_OPTIONS: '', LEAK: leak ? '1' : '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const check = () => {
      const port = /port (\d+)/.exec(out)?.[1];
      const inspect = /ws:\/\/(127\.0\.0\.1:\d+)\//.exec(err)?.[1];
      if (port && inspect) resolve({ child, port: Number(port), inspect });
    };
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => ((out += chunk), check()));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => ((err += chunk), check()));
    child.on('exit', () => reject(new Error(`server exited: ${err}`)));
  });
}

/** From a fresh session: no sampling profiler running and no allocation stacks in a new snapshot. */
export async function trackingIsOff(inspect: string): Promise<{ samplingError: string; traceFunctions: number }> {
  const [host, port] = inspect.split(':');
  const session = await connectInspector({ host: host!, port: Number(port) });
  try {
    const samplingError = await session.send('HeapProfiler.getSamplingProfile').then(
      () => 'no error',
      (error: Error) => error.message,
    );
    let text = '';
    session.on('HeapProfiler.addHeapSnapshotChunk', (params) => (text += (params as { chunk: string }).chunk));
    await session.send('HeapProfiler.enable');
    await session.send('HeapProfiler.takeHeapSnapshot', {}, 120_000);
    const meta = JSON.parse(text) as { snapshot: { trace_function_count: number } };
    return { samplingError, traceFunctions: meta.snapshot.trace_function_count };
  } finally {
    await session.close();
  }
}
