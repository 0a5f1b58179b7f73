import { createRequire } from 'node:module';

let loaded: typeof import('mongodb').BSON | undefined;

/**
 * The driver's BSON, loaded on first use rather than at start-up: the validators that read
 * Extended JSON are imported by every command, and the driver is most of imdiag's start-up time.
 */
export function lazyBson(): typeof import('mongodb').BSON {
  loaded ??= (createRequire(import.meta.url)('mongodb') as typeof import('mongodb')).BSON;
  return loaded;
}
