import { isLoopbackHost } from '../../lib/inspector/address.js';
import { UsageError } from '../../lib/errors.js';

/**
 * A URL imdiag sends load to or reads from, checked: one of `protocols`, and on loopback unless
 * --allow-remote (load against another machine is a choice the user states).
 */
export function parseTargetUrl(flag: string, raw: string, protocols: readonly string[], allowRemote: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${flag} must be a URL such as ${example(protocols)}, got '${raw}'`);
  }
  if (!protocols.includes(url.protocol)) throw new UsageError(`${flag} must be a ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL, got '${raw}'`);
  if (!allowRemote && !isLoopbackHost(url.hostname)) {
    throw new UsageError(`${flag} ${url.hostname} is not a loopback address; add --allow-remote to send load to another machine`);
  }
  return url;
}

function example(protocols: readonly string[]): string {
  const scheme = protocols[0]!.replace(':', '');
  return `${scheme}://127.0.0.1:3000${scheme.startsWith('ws') ? '/live' : '/api/data'}`;
}
