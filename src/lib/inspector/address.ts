import { isIP } from 'node:net';
import { UsageError } from '../errors.js';

/** Where an inspector (or any server imdiag connects to) listens. */
export interface HostPort {
  host: string;
  port: number;
}

const LOOPBACK_NAMES = new Set(['localhost', 'ip6-localhost', 'ip6-loopback']);

/** 127.0.0.0/8, ::1 and the names that mean them. A name that resolves elsewhere is not loopback. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (LOOPBACK_NAMES.has(bare)) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(bare);
  return false;
}

/**
 * `HOST:PORT`, `PORT` alone (loopback) or `[::1]:PORT` → HostPort. Loopback only unless
 * `allowRemote`: the inspector runs any code it is sent, so reaching another machine's is a choice.
 */
export function parseHostPort(flag: string, raw: string | undefined, allowRemote: boolean): HostPort {
  const text = String(raw ?? '').trim();
  const match = /^(?:(\[[0-9a-f:.]+\]|[^\s:/[\]]+):)?(\d{1,5})$/i.exec(text);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port < 1 || port > 65535) throw new UsageError(`${flag} must be HOST:PORT (e.g. 127.0.0.1:9229) or a port from 1 to 65535, got '${text}'`);
  const host = (match[1] ?? '127.0.0.1').replace(/^\[|\]$/g, '');
  if (!allowRemote && !isLoopbackHost(host)) {
    throw new UsageError(`${flag} ${host} is not a loopback address; add --allow-remote to reach another machine (an inspector runs any code it is sent)`);
  }
  return { host, port };
}

/** `host:port`, with brackets around an IPv6 host. */
export function formatHostPort({ host, port }: HostPort): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
