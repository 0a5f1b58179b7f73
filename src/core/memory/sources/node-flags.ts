import { readFile } from 'node:fs/promises';

const MB = 1024 * 1024;

/**
 * --max-old-space-size as Node reads it: `--max-old-space-size=96`, `--max_old_space_size=96` or
 * `--max-old-space-size 96`; the last one wins. Null when absent.
 */
export function maxOldSpaceSizeMB(args: readonly string[]): number | null {
  let found: number | null = null;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const match = /^--max[-_]old[-_]space[-_]size(?:=(.*))?$/.exec(arg);
    if (!match) continue;
    const value = Number(match[1] ?? args[i + 1]);
    if (Number.isFinite(value) && value > 0) found = value;
  }
  return found;
}

/** NODE_OPTIONS split the way Node splits it (spaces; double quotes group). */
export function splitNodeOptions(text: string | null | undefined): string[] {
  return [...(text ?? '').matchAll(/"((?:\\.|[^"])*)"|(\S+)/g)].map((match) => match[1] ?? match[2]!);
}

/** The cap from the process's own command line first, then from NODE_OPTIONS (command-line flags override it). */
export function oldSpaceCap(execArgv: readonly string[], nodeOptions: string | null | undefined): { mb: number; from: 'execArgv' | 'NODE_OPTIONS' } | null {
  const fromArgv = maxOldSpaceSizeMB(execArgv);
  if (fromArgv !== null) return { mb: fromArgv, from: 'execArgv' };
  const fromEnv = maxOldSpaceSizeMB(splitNodeOptions(nodeOptions));
  return fromEnv === null ? null : { mb: fromEnv, from: 'NODE_OPTIONS' };
}

/**
 * The memory limit of a process's cgroup (v2 memory.max, else v1 memory.limit_in_bytes), bytes;
 * null when none is set ("max", or v1's page-rounded 2^63) or it cannot be read.
 */
export async function cgroupMemoryLimit(pid: number | 'self'): Promise<number | null> {
  const text = await readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (path === undefined) continue;
    const file =
      controllers === ''
        ? `/sys/fs/cgroup${path}/memory.max`
        : controllers!.split(',').includes('memory')
          ? `/sys/fs/cgroup/memory${path}/memory.limit_in_bytes`
          : null;
    if (!file) continue;
    const raw = (await readFile(file, 'utf8').catch(() => '')).trim();
    const value = Number(raw);
    if (raw !== '' && raw !== 'max' && Number.isFinite(value) && value > 0 && value < 2 ** 62) return value;
  }
  return null;
}

export const bytesFromMB = (mb: number): number => Math.round(mb * MB);
