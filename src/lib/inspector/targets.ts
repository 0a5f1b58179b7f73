import { get } from 'node:http';
import { CheckError } from '../errors.js';
import { formatHostPort, type HostPort } from './address.js';

export interface InspectorTarget {
  id: string;
  title: string;
  /** The WebSocket URL, host and port replaced by the ones imdiag reached /json/list at. */
  webSocketDebuggerUrl: string;
}

/** GET /json/list: the inspector's targets (a Node process has one). */
export function listTargets(address: HostPort, timeoutMs: number, signal?: AbortSignal): Promise<InspectorTarget[]> {
  const where = formatHostPort(address);
  return new Promise((resolve, reject) => {
    const request = get({ host: address.host, port: address.port, path: '/json/list', timeout: timeoutMs, signal, headers: { host: where } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > 1_000_000) request.destroy(new Error('the answer to /json/list is over 1 MB: not an inspector'));
      });
      response.on('end', () => {
        try {
          resolve(parseTargets(address, response.statusCode ?? 0, body));
        } catch (error) {
          reject(error);
        }
      });
      response.on('error', (error) => reject(reachError(where, error)));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    request.on('error', (error) => reject(reachError(where, error)));
  });
}

function parseTargets(address: HostPort, status: number, body: string): InspectorTarget[] {
  const where = formatHostPort(address);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (status !== 200 || !Array.isArray(parsed)) {
    throw new CheckError(
      `${where} is not a Node inspector: GET /json/list answered ${status} ${status === 200 ? 'with something other than a JSON list' : ''}`.trim(),
    );
  }
  return parsed
    .filter((item): item is { id?: unknown; title?: unknown; webSocketDebuggerUrl: string } => typeof item?.webSocketDebuggerUrl === 'string')
    .map((item) => {
      // The URL names the address the inspector bound to (0.0.0.0 for --inspect=0.0.0.0): use the one that answered.
      const url = new URL(item.webSocketDebuggerUrl);
      url.host = where;
      return { id: String(item.id ?? ''), title: String(item.title ?? ''), webSocketDebuggerUrl: url.toString() };
    });
}

export function reachError(where: string, error: Error): CheckError {
  if (error instanceof CheckError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ECONNREFUSED'
      ? 'connection refused (is the process running with --inspect, or was it started with another port?)'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'unknown host'
        : code === 'EHOSTUNREACH' || code === 'ENETUNREACH'
          ? 'host unreachable'
          : code === 'ECONNRESET'
            ? 'the connection was reset (another kind of server?)'
            : code === 'ABORT_ERR'
              ? 'stopped'
              : error.message;
  return new CheckError(`cannot reach the inspector at ${where}: ${why}`);
}
