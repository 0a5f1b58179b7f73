import type { BaseResult } from '../lib/result.js';
import { mapStrings } from '../lib/map-strings.js';

/** What a redacted hostname becomes. Ports and database names stay: they identify nothing. */
export const REDACTED_HOST = '<host>';

// user:password@ after any scheme (mongodb, https, amqp, …).
const URI_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;
// The host list of a MongoDB connection string: host[:port][,host[:port]…].
const MONGO_HOSTS = /(mongodb(?:\+srv)?:\/\/(?:[^\s/?#@]*@)?)([^\s/?#]+)/gi;

/**
 * A copy of the result that can leave the machine: credentials removed from every URI anywhere
 * in it (argv included), the hosts of every MongoDB connection string and the machine's hostname
 * replaced. Pure: the input is not changed. Reports apply it unless --no-redact.
 */
export function redactResult<R extends BaseResult>(result: R): R {
  const machine = result.environment?.hostname;
  const redacted = mapStrings(result, redactUris) as R;
  if (typeof machine === 'string' && machine !== '') {
    redacted.environment = { ...redacted.environment, hostname: REDACTED_HOST };
    redacted.argv = redacted.argv.map((arg) => replaceHostname(arg, machine));
  }
  return redacted;
}

/** A copy of the result with the credentials of every URI removed and everything else kept (--no-redact). */
export function removeCredentials<R extends BaseResult>(result: R): R {
  return mapStrings(result, (text) => text.replace(URI_CREDENTIALS, '$1***@')) as R;
}

/** Credentials and MongoDB hosts out of one string. */
export function redactUris(text: string): string {
  return text
    .replace(URI_CREDENTIALS, '$1***@')
    .replace(MONGO_HOSTS, (_match, prefix: string, hosts: string) => prefix + hosts.split(',').map(redactHostPort).join(','));
}

function redactHostPort(hostPort: string): string {
  const port = /(:\d+)$/.exec(hostPort.startsWith('[') ? hostPort.slice(hostPort.indexOf(']') + 1) : hostPort)?.[1] ?? '';
  return `${REDACTED_HOST}${port}`;
}

/** The hostname as a whole name only: "web-1" must not eat "web-10" or "my-web-1" (but "web-1.local" is it). */
function replaceHostname(text: string, hostname: string): string {
  const escaped = hostname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(?<![\\w.-])${escaped}(?![\\w-])`, 'gi'), REDACTED_HOST);
}
