import { existsSync, readFileSync } from 'node:fs';

function readPackageVersion(name: string, url: URL): string {
  try {
    return String(JSON.parse(readFileSync(url, 'utf8')).version);
  } catch {
    return `${name} (unknown version)`;
  }
}

/**
 * imdiag's own package.json: the nearest one above this module. dist/lib and src/lib are two levels
 * below the package root, the benchmarks' build (dist-bench/src/lib) three.
 */
function ownPackageJson(): URL {
  for (const up of ['../../package.json', '../../../package.json']) {
    const url = new URL(up, import.meta.url);
    if (existsSync(url) && JSON.parse(readFileSync(url, 'utf8')).name === 'imdiag') return url;
  }
  return new URL('../../package.json', import.meta.url);
}

export const IMDIAG_VERSION = readPackageVersion('imdiag', ownPackageJson());

export function driverVersion(): string {
  return readPackageVersion('mongodb', new URL(import.meta.resolve('mongodb/package.json')));
}
