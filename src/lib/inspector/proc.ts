import { readFile, readdir, readlink } from 'node:fs/promises';
import { basename } from 'node:path';

/** What Linux's /proc says about a process imdiag is asked to open. Null fields: not readable. */
export interface ProcessFacts {
  pid: number;
  /** Resolved /proc/PID/exe (readable for our own processes only). */
  exe: string | null;
  /** /proc/PID/cmdline, split at NULs. */
  argv: string[];
  /** Whether the process has a handler for SIGUSR1 (SigCgt bit 10): without one, SIGUSR1 kills it. */
  catchesSigusr1: boolean | null;
}

const SIGUSR1 = 10;

export async function processFacts(pid: number): Promise<ProcessFacts> {
  const [exe, cmdline, status] = await Promise.all([
    readlink(`/proc/${pid}/exe`).catch(() => null),
    readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''),
    readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''),
  ]);
  const caught = /^SigCgt:\s*([0-9a-f]+)$/im.exec(status)?.[1];
  return {
    pid,
    exe: exe?.replace(/ \(deleted\)$/, '') ?? null,
    argv: cmdline.split('\0').filter((arg) => arg !== ''),
    catchesSigusr1: caught === undefined ? null : (BigInt(`0x${caught}`) & (1n << BigInt(SIGUSR1 - 1))) !== 0n,
  };
}

/** node, nodejs, node20…: the executable's or argv[0]'s name. */
export function looksLikeNode(facts: ProcessFacts): boolean {
  const names = [facts.exe, facts.argv[0]].filter((name): name is string => !!name).map((name) => basename(name));
  return names.some((name) => /^node(js)?(\d+(\.\d+)*)?$/.test(name));
}

/** Socket inodes the process holds open (/proc/PID/fd/* → socket:[inode]). */
export async function socketInodes(pid: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  await Promise.all(
    fds.map(async (fd) => {
      const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      if (inode) inodes.add(inode);
    }),
  );
  return inodes;
}

export interface ListeningSocket {
  host: string;
  port: number;
}

/** TCP sockets the process listens on, from /proc/PID/net/tcp and tcp6 matched to its socket inodes. */
export async function listeningSockets(pid: number): Promise<ListeningSocket[]> {
  const inodes = await socketInodes(pid);
  const found: ListeningSocket[] = [];
  for (const table of ['tcp', 'tcp6']) {
    const text = await readFile(`/proc/${pid}/net/${table}`, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // sl local_address rem_address st … inode: st 0A is LISTEN.
      if (fields.length < 10 || fields[3] !== '0A' || !inodes.has(fields[9]!)) continue;
      const [hexHost, hexPort] = fields[1]!.split(':');
      found.push({ host: decodeHost(hexHost!), port: parseInt(hexPort!, 16) });
    }
  }
  return found;
}

/** /proc/net/tcp writes addresses as little-endian hex words. */
function decodeHost(hex: string): string {
  if (hex.length === 8) return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((word) => [3, 2, 1, 0].map((i) => word.slice(i * 2, i * 2 + 2)));
  if (bytes.slice(0, 10).every((b) => b === '00') && bytes[10] === 'ff' && bytes[11] === 'ff') {
    return bytes
      .slice(12)
      .map((b) => parseInt(b, 16))
      .join('.');
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(parseInt(bytes[i]! + bytes[i + 1]!, 16).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}
