import { readFileSync } from 'node:fs';

function readPackageVersion(name: string, url: URL): string {
  try {
    return String(JSON.parse(readFileSync(url, 'utf8')).version);
  } catch {
    return `${name} (unknown version)`;
  }
}

/** From package.json: dist/lib and src/lib are both two levels below the package root. */
export const IMDIAG_VERSION = readPackageVersion('imdiag', new URL('../../package.json', import.meta.url));

export function driverVersion(): string {
  return readPackageVersion('mongodb', new URL(import.meta.resolve('mongodb/package.json')));
}
