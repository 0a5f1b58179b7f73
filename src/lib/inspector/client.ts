import WebSocket from 'ws';
import { CheckError } from '../errors.js';
import { formatHostPort, type HostPort } from './address.js';
import { listTargets, reachError, type InspectorTarget } from './targets.js';

export { listTargets, type InspectorTarget };

/**
 * A small Chrome DevTools Protocol client for Node's inspector: GET /json/list for the target's
 * WebSocket URL, then commands with ids and replies, events by method name, close. Only what
 * imdiag needs (Runtime, HeapProfiler); the protocol is documented at
 * https://chromedevtools.github.io/devtools-protocol/v8/.
 */

/** An inspector that does not answer within this long is reported, not waited for. */
export const CONNECT_TIMEOUT_MS = 5_000;
/** A command that gets no reply within this long fails (snapshots pass their own, longer limit). */
export const COMMAND_TIMEOUT_MS = 10_000;

export interface InspectorSession {
  readonly address: HostPort;
  readonly target: InspectorTarget;
  /** Sends a command and resolves with its result; rejects with the protocol's error message. */
  send<T = unknown>(method: string, params?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** Calls `listener` with the params of every event named `method`; returns the unsubscribe. */
  on(method: string, listener: (params: unknown) => void): () => void;
  /** Resolves once the connection is gone, for whatever reason (close(), the process exited). */
  readonly closed: Promise<{ code: number; reason: string }>;
  isOpen(): boolean;
  /** Stops reading from the socket (flowing false) until resumed: backpressure for streamed events such as snapshot chunks. */
  setFlowing(flowing: boolean): void;
  close(): Promise<void>;
}

export interface ConnectOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export async function connectInspector(address: HostPort, options: ConnectOptions = {}): Promise<InspectorSession> {
  const timeoutMs = options.timeoutMs ?? CONNECT_TIMEOUT_MS;
  const targets = await listTargets(address, timeoutMs, options.signal);
  const target = targets[0];
  if (!target) throw new CheckError(`the inspector at ${formatHostPort(address)} lists no target to attach to`);
  const socket = await openSocket(address, target.webSocketDebuggerUrl, timeoutMs, options.signal);
  return session(address, target, socket);
}

function openSocket(address: HostPort, url: string, timeoutMs: number, signal?: AbortSignal): Promise<WebSocket> {
  const where = formatHostPort(address);
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { handshakeTimeout: timeoutMs, perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    const onAbort = () => socket.terminate();
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('open', () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(socket);
    });
    socket.once('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(reachError(where, error));
    });
    socket.once('close', () =>
      reject(new CheckError(`the inspector at ${where} closed the connection before it opened${signal?.aborted ? ' (stopped)' : ''}`)),
    );
  });
}

interface Pending {
  method: string;
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

function session(address: HostPort, target: InspectorTarget, socket: WebSocket): InspectorSession {
  const where = formatHostPort(address);
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(params: unknown) => void>>();
  let nextId = 1;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => {
      for (const [, call] of pending) {
        clearTimeout(call.timer);
        call.reject(new CheckError(`the inspector at ${where} closed the connection during ${call.method} (did the process exit?)`));
      }
      pending.clear();
      resolve({ code, reason: reason.toString() });
    });
  });
  // Errors after the handshake end in 'close'; without a listener they would be thrown.
  socket.on('error', () => undefined);
  socket.on('message', (data) => {
    let message: { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message?: string } };
    try {
      message = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (typeof message.id === 'number') {
      const call = pending.get(message.id);
      if (!call) return;
      pending.delete(message.id);
      clearTimeout(call.timer);
      if (message.error) call.reject(new CheckError(`the inspector refused ${call.method}: ${message.error.message ?? 'unknown error'}`));
      else call.resolve(message.result);
    } else if (typeof message.method === 'string') {
      for (const listener of listeners.get(message.method) ?? []) listener(message.params);
    }
  });
  return {
    address,
    target,
    closed,
    isOpen: () => socket.readyState === WebSocket.OPEN,
    setFlowing(flowing) {
      if (socket.readyState !== WebSocket.OPEN) return;
      if (flowing) socket.resume();
      else socket.pause();
    },
    send<T>(method: string, params: Record<string, unknown> = {}, timeoutMs = COMMAND_TIMEOUT_MS): Promise<T> {
      if (socket.readyState !== WebSocket.OPEN) return Promise.reject(new CheckError(`the inspector at ${where} is closed; cannot send ${method}`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new CheckError(`the inspector at ${where} did not answer ${method} within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        pending.set(id, { method, resolve: resolve as (result: unknown) => void, reject, timer });
        socket.send(JSON.stringify({ id, method, params }));
      });
    },
    on(method, listener) {
      const set = listeners.get(method) ?? new Set();
      set.add(listener);
      listeners.set(method, set);
      return () => set.delete(listener);
    },
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      socket.close();
      const timer = setTimeout(() => socket.terminate(), 1_000);
      await closed;
      clearTimeout(timer);
    },
  };
}

/**
 * Runtime.evaluate of one expression in the target, its value returned as JSON. The command-line
 * API is included so that `require` works in ES-module targets too.
 */
export async function evaluate<T>(inspector: InspectorSession, expression: string, timeoutMs?: number): Promise<T> {
  const reply = await inspector.send<{
    result: { value?: unknown; description?: string };
    exceptionDetails?: { text?: string; exception?: { description?: string } };
  }>('Runtime.evaluate', { expression, returnByValue: true, includeCommandLineAPI: true, silent: true }, timeoutMs);
  if (reply.exceptionDetails) {
    const detail = reply.exceptionDetails.exception?.description?.split('\n')[0] ?? reply.exceptionDetails.text ?? 'an exception';
    throw new CheckError(`evaluating ${expression.length > 60 ? `${expression.slice(0, 57)}…` : expression} in the target threw ${detail}`);
  }
  return reply.result.value as T;
}
