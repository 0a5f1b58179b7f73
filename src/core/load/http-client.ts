import net from 'node:net';

/**
 * A minimal keep-alive HTTP/1.1 POST client for the producers: one request at a time per
 * connection (no pipelining, so a latency is one request's), at most `maxSockets` connections,
 * requests beyond that wait in a queue. Node's http client costs ~70 µs of CPU per request on
 * the box this was written on, enough to make the simulator the bottleneck at 5,000 POSTs/s on
 * two shared cores; this one writes a preformatted request and reads only the status line and
 * the length of what follows. `imdiag flood --target` uses undici instead (real servers: chunked
 * responses, https, any status); this one stays for the simulator because it is still faster:
 * `npm run bench:target -- --rounds 3` (10 connections, max rate, 2 shared cores) measured 3,460
 * POST/s and 51 µs of client CPU a request here, against undici's 2,617/s and 82 µs (autocannon:
 * 2,363/s, 98 µs).
 */
export type Done = (ok: boolean) => void;

interface Pending {
  payload: string;
  done: Done;
}

const HEADER_END = '\r\n\r\n';

interface ConnectionHooks {
  onIdle(connection: Connection): void;
  onClose(connection: Connection): void;
}

class Connection {
  private readonly socket: net.Socket;
  private readonly hooks: ConnectionHooks;
  private buffer = '';
  private current: Done | null = null;
  private closed = false;

  constructor(port: number, hooks: ConnectionHooks) {
    this.hooks = hooks;
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setNoDelay(true);
    this.socket.setEncoding('latin1');
    this.socket.on('data', (chunk: string) => this.read(chunk));
    const close = () => {
      if (this.closed) return;
      this.closed = true;
      const current = this.current;
      this.current = null;
      current?.(false);
      this.hooks.onClose(this);
    };
    this.socket.on('error', close).on('close', close);
  }

  get busy(): boolean {
    return this.current !== null;
  }

  send(request: Pending): void {
    this.current = request.done;
    this.socket.write(request.payload, 'utf8');
  }

  private read(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const headerEnd = this.buffer.indexOf(HEADER_END);
      if (headerEnd < 0) return;
      const head = this.buffer.slice(0, headerEnd);
      const status = Number(head.slice(9, 12));
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      const bodyBytes = status === 204 || status === 304 ? 0 : length ? Number(length[1]) : 0;
      if (this.buffer.length < headerEnd + 4 + bodyBytes) return;
      this.buffer = this.buffer.slice(headerEnd + 4 + bodyBytes);
      const done = this.current;
      this.current = null;
      done?.(status === 204);
      if (/\r\nconnection: *close/i.test(head)) this.socket.destroy();
      else this.hooks.onIdle(this);
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export class PostClient {
  private readonly connections = new Set<Connection>();
  private readonly idle: Connection[] = [];
  private readonly queue: Pending[] = [];
  private readonly head: string;
  private readonly port: number;
  private readonly maxSockets: number;
  private closing = false;

  constructor(options: { port: number; path: string; maxSockets: number }) {
    this.port = options.port;
    this.maxSockets = options.maxSockets;
    this.head = `POST ${options.path} HTTP/1.1\r\nHost: 127.0.0.1:${options.port}\r\nContent-Type: application/json\r\nContent-Length: `;
  }

  /** Sends `body` as a POST; `done(true)` on a 204, `done(false)` on any other status or a broken connection. */
  post(body: string, done: Done): void {
    const request = { payload: `${this.head}${Buffer.byteLength(body)}\r\n\r\n${body}`, done };
    const connection = this.idle.pop() ?? (this.connections.size < this.maxSockets ? this.open() : undefined);
    if (connection) connection.send(request);
    else this.queue.push(request);
  }

  close(): void {
    this.closing = true;
    for (const connection of this.connections) connection.destroy();
    for (const request of this.queue.splice(0)) request.done(false);
  }

  private open(): Connection {
    const connection = new Connection(this.port, {
      onIdle: (c) => {
        const next = this.queue.shift();
        if (next) c.send(next);
        else this.idle.push(c);
      },
      onClose: (c) => {
        this.connections.delete(c);
        const at = this.idle.indexOf(c);
        if (at >= 0) this.idle.splice(at, 1);
        const next = this.closing ? undefined : this.queue.shift();
        if (next) this.open().send(next);
      },
    });
    this.connections.add(connection);
    return connection;
  }
}
