import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { BIN, NODE } from './cli.js';

/** The process table, read from /proc (Linux): pid → parent pid, state and command line. */
export function processTable(): Map<number, { ppid: number; state: string; cmdline: string }> {
  const table = new Map<number, { ppid: number; state: string; cmdline: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      table.set(Number(entry), { state: after[0]!, ppid: Number(after[1]), cmdline });
    } catch {
      // Exited while we read.
    }
  }
  return table;
}

/** Every live (not zombie) descendant of `pid`. */
export function descendants(pid: number): number[] {
  const table = processTable();
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [child, info] of table) {
      if (info.ppid === parent && info.state !== 'Z' && !found.includes(child)) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** Live (not zombie) processes among `pids`, or whose command line mentions `marker`. */
export function survivors(pids: number[], marker?: string): string[] {
  const table = processTable();
  const alive: string[] = [];
  for (const [pid, info] of table) {
    if (info.state === 'Z' || pid === process.pid) continue;
    if (pids.includes(pid) || (marker !== undefined && info.cmdline.includes(marker))) alive.push(`${pid} ${info.cmdline}`);
  }
  return alive;
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The --port of a running mongod, from its command line. */
export function mongodPort(pid: number): number | null {
  const match = /--port (\d+)/.exec(processTable().get(pid)?.cmdline ?? '');
  return match ? Number(match[1]) : null;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every 100 ms until it returns a value (not undefined) or `timeoutMs` passes. */
export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

export interface GroupRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns bin/imdiag.js as the leader of its own process group, as a shell does for a foreground
 * job: `process.kill(-pid, 'SIGINT')` is then what Ctrl-C in a terminal does.
 */
export function spawnGroup(args: string[], env: NodeJS.ProcessEnv = {}): GroupRun {
  const child = spawn(NODE, [BIN, ...args], {
    detached: true,
    env: { ...process.env, NO_COLOR: '1', COLUMNS: '1000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/**
 * Waits until process `pid` holds a TCP connection to 127.0.0.1:`port` (Linux: its socket
 * descriptors in /proc/PID/fd matched against /proc/net/tcp). imdiag installs its stop handlers before
 * it connects anywhere, so a signal sent after this reaches them; on a loaded machine its start can
 * take seconds, so tests wait for this instead of a fixed delay. (Node catches SIGINT from its own
 * start to restore the terminal, so the process's signal mask says nothing about imdiag.)
 */
export async function waitForConnection(pid: number, port: number, timeoutMs = 30_000): Promise<void> {
  const wanted = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  await waitFor(
    () => {
      try {
        const inodes = new Set<string>();
        for (const fd of readdirSync(`/proc/${pid}/fd`)) {
          try {
            const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
            if (match) inodes.add(match[1]!);
          } catch {
            // Closed while we read.
          }
        }
        for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
          for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
            const fields = line.trim().split(/\s+/);
            if (fields.length > 9 && fields[2]!.endsWith(wanted) && inodes.has(fields[9]!)) return true;
          }
        }
        return undefined;
      } catch {
        return undefined;
      }
    },
    timeoutMs,
    `process ${pid} to connect to port ${port}`,
  );
}
