import { Client, Pool } from 'undici';
import { PostClient } from '../../core/load/http-client.js';

/** How one request ended: the response's status code, or the error that ended it. */
export type SendOutcome = number | Error;

/** One producer's HTTP client: keep-alive connections to the target, one request at a time on each (no pipelining). */
export interface RequestSender {
  send(body: string, done: (outcome: SendOutcome) => void): void;
  close(): Promise<void>;
}

export interface SenderOptions {
  url: URL;
  method: 'POST' | 'PUT';
  headers: Array<[string, string]>;
  connections: number;
  /** Waiting this long for the response's headers, or between body chunks, fails the request. */
  timeoutMs: number;
}

/**
 * undici's Pool: the HTTP/1.1 client behind Node's own fetch — keep-alive, chunked responses,
 * https, and errors as a real client sees them.
 */
export function undiciSender(options: SenderOptions): RequestSender {
  const settings = { pipelining: 1, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs, connectTimeout: options.timeoutMs };
  // One connection: a Client itself (a Pool of one only adds a dispatch layer per request).
  const pool =
    options.connections === 1 ? new Client(options.url.origin, settings) : new Pool(options.url.origin, { ...settings, connections: options.connections });
  // A flat [name, value, …] list: undici takes it as it is, an object it walks per request.
  const headers: string[] = ['content-type', 'application/json'];
  for (const [name, value] of options.headers) {
    if (name.toLowerCase() === 'content-type') headers[1] = value;
    else headers.push(name, value);
  }
  const path = `${options.url.pathname}${options.url.search}`;
  return {
    send(body, done) {
      // dispatch with a small handler rather than request(): no promise and no body stream per request.
      let status = 0;
      pool.dispatch(
        { origin: options.url.origin, path, method: options.method, headers, body },
        {
          // undici's handler protocol (the one its own request() uses): a status, body chunks, the end.
          onConnect() {},
          onHeaders(statusCode: number) {
            status = statusCode;
            return true;
          },
          // The body is read to its end and dropped, so the connection can be reused.
          onData() {
            return true;
          },
          onComplete() {
            done(status);
          },
          onError(error: Error) {
            done(error);
          },
        },
      );
    },
    async close() {
      await pool.destroy();
    },
  };
}

/**
 * imdiag's own hand-written POST client (src/core/load/http-client.ts), kept for the simulator and
 * for the benchmark that compares it with undici: plain http://127.0.0.1 only, POST, success = 204.
 */
export function handWrittenSender(options: SenderOptions): RequestSender {
  const client = new PostClient({ port: Number(options.url.port), path: `${options.url.pathname}${options.url.search}`, maxSockets: options.connections });
  return {
    send(body, done) {
      client.post(body, (ok) => done(ok ? 204 : new Error('not a 204 or connection lost')));
    },
    async close() {
      client.close();
    },
  };
}
