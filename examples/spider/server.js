#!/usr/bin/env node
// A Spider-like dashboard (seed 003): producers POST timing samples to /api/data, the server keeps
// the newest --points of them and pushes the chart to every monitor, over socket.io (event
// 'chart') and plain WebSocket (/live). --push per-message pushes on every POST, as Spider did
// until it died; --push interval pushes every --interval, as Spider was fixed. prom-client's
// default metrics are served at /metrics. Listens on 127.0.0.1 (port 0 unless --port) and prints
// "listening on http://127.0.0.1:PORT" as its first line of stdout.
//
//   node --inspect=127.0.0.1:0 examples/spider/server.js --push per-message
import http from 'node:http';
import { parseArgs } from 'node:util';
import express from 'express';
import client from 'prom-client';
import { Server as SocketIoServer } from 'socket.io';
import { WebSocketServer } from 'ws';

const { values: args } = parseArgs({
  options: {
    push: { type: 'string', default: 'per-message' },
    interval: { type: 'string', default: '5000' },
    points: { type: 'string', default: '500' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const usage = (message) => {
  process.stderr.write(`spider example: ${message}\n`);
  process.exit(2);
};
if (!['per-message', 'interval'].includes(args.push)) usage(`--push must be per-message or interval, got '${args.push}'`);
const intervalMs = Number(args.interval);
if (!Number.isFinite(intervalMs) || intervalMs < 10) usage(`--interval must be milliseconds ≥ 10, got '${args.interval}'`);
const maxPoints = Number(args.points);
if (!Number.isInteger(maxPoints) || maxPoints < 1 || maxPoints > 100_000) usage(`--points must be 1-100000, got '${args.points}'`);

client.collectDefaultMetrics();
const postsReceived = new client.Counter({ name: 'spider_posts_received_total', help: 'POSTs to /api/data' });
const pushesSent = new client.Counter({ name: 'spider_pushes_sent_total', help: 'chart messages sent to monitors' });
// Read on every scrape: how many dashboards are connected now (ws and socket.io).
new client.Gauge({
  name: 'spider_monitors',
  help: 'connected monitors',
  collect() {
    this.set(wss.clients.size + io.engine.clientsCount);
  },
});

// The chart: the newest maxPoints samples (Spider kept 30 minutes; a count keeps this one bounded
// by design, so whatever grows is the push backlog, not the data).
const points = [];
let newest = 0;
function record(sample) {
  const t = Number(sample.t ?? sample.time ?? Date.now());
  if (Number.isFinite(t) && t > newest) newest = t;
  points.push({ t, op: String(sample.op ?? 'op').slice(0, 64), ms: Number(sample.ms ?? 0), seq: sample.seq ?? null, data: sample.data ?? null });
  if (points.length > maxPoints) points.splice(0, points.length - maxPoints);
}
// The newest producer timestamp first, so a monitor finds it without parsing the whole chart.
const chart = () => ({ newest, count: points.length, points });

const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/api/data', (req, res) => {
  postsReceived.inc();
  const body = req.body;
  for (const sample of Array.isArray(body) ? body : [body]) if (sample && typeof sample === 'object') record(sample);
  res.status(204).end();
  if (args.push === 'per-message') pushAll();
});
app.put('/api/data', (req, res) => {
  postsReceived.inc();
  if (req.body && typeof req.body === 'object') record(req.body);
  res.status(204).end();
  if (args.push === 'per-message') pushAll();
});
app.get('/metrics', async (_req, res) => {
  res.set('Content-Type', client.register.contentType);
  res.end(await client.register.metrics());
});
app.get('/', (_req, res) => {
  res.type('html').send(`<!doctype html><meta charset="utf-8"><title>spider example</title>
<h1>spider example</h1><p>push: ${args.push}; <span id="n">0</span> charts, newest point <span id="t">—</span></p>
<script src="/socket.io/socket.io.js"></script>
<script>let n = 0; io({ transports: ['websocket'] }).on('chart', (c) => { document.getElementById('n').textContent = ++n; document.getElementById('t').textContent = new Date(c.newest).toISOString(); });</script>`);
});

const server = http.createServer(app);
server.keepAliveTimeout = 30_000;
const io = new SocketIoServer(server, { perMessageDeflate: false, httpCompression: false });
// perMessageDeflate off: Spider's pushes were plain text, and compression would hide the sizes.
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
server.on('upgrade', (req, socket, head) => {
  if (new URL(req.url ?? '/', 'http://x').pathname !== '/live') return; // socket.io answers its own
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});
wss.on('connection', (ws) => ws.on('error', () => undefined));

// One push: the same chart to every monitor, whether or not its previous push has left yet — the
// per-message backlog of a slow monitor queues in engine.io's write buffer (strings, JS heap) for
// socket.io and in the socket's write buffer (Buffers, outside the heap) for ws.
function pushAll() {
  const monitors = wss.clients.size + io.engine.clientsCount;
  if (monitors === 0) return;
  const current = chart();
  io.emit('chart', current);
  const message = JSON.stringify(current);
  for (const ws of wss.clients) if (ws.readyState === ws.OPEN) ws.send(message);
  pushesSent.inc(monitors);
}
if (args.push === 'interval') setInterval(pushAll, intervalMs).unref();

server.listen(Number(args.port), args.host, () => {
  process.stdout.write(`listening on http://${args.host}:${server.address().port}\n`);
});
const stop = () => {
  io.close();
  for (const ws of wss.clients) ws.terminate();
  server.closeAllConnections?.();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
