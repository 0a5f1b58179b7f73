import { setTimeout as sleep } from 'node:timers/promises';
import { CheckError, UsageError } from '../errors.js';
import { formatHostPort, type HostPort } from './address.js';
import { CONNECT_TIMEOUT_MS, connectInspector, evaluate, listTargets, type InspectorSession } from './client.js';
import { listeningSockets, looksLikeNode, processFacts, type ListeningSocket } from './proc.js';

/** Node's inspector port when --inspect-port is not given. */
export const DEFAULT_INSPECTOR_PORT = 9229;
const POLL_MS = 100;
/** A fresh inspector socket appears within milliseconds of SIGUSR1; after this, an older one is tried. */
const ALREADY_OPEN_AFTER_MS = 800;

export interface OpenedInspector {
  session: InspectorSession;
  address: HostPort;
  /** False when the process already had its inspector open (SIGUSR1 changed nothing). */
  newlyOpened: boolean;
}

/**
 * Opens a running Node process's inspector the way `node inspect -p PID` does: SIGUSR1. Other
 * programs mostly die of SIGUSR1, so the pid is checked first: it exists, it is ours to signal,
 * it is a Node executable and it has a SIGUSR1 handler. Then the port it opened is found among
 * its listening sockets (/proc/PID/net/tcp*, matched by socket inode; 9229 when /proc cannot tell)
 * and the process reached there is asked its pid, so imdiag never watches the wrong process.
 */
export async function openInspector(pid: number, options: { flag?: string; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<OpenedInspector> {
  const flag = options.flag ?? '--pid';
  const timeoutMs = options.timeoutMs ?? CONNECT_TIMEOUT_MS;
  await checkSignalable(flag, pid);
  const facts = await processFacts(pid);
  if (!looksLikeNode(facts)) {
    throw new UsageError(`${flag} ${pid} is ${facts.exe ?? facts.argv[0] ?? 'an unknown program'}, not a Node process; SIGUSR1 would terminate it`);
  }
  if (facts.catchesSigusr1 === false) {
    throw new UsageError(
      `${flag} ${pid} is a Node process without a SIGUSR1 handler (started with --disable-sigusr1, or it is exiting); SIGUSR1 would terminate it`,
    );
  }
  const before = await listeningSockets(pid);
  process.kill(pid, 'SIGUSR1');
  const sentAt = Date.now();
  const deadline = sentAt + timeoutMs;
  const tried = new Set<string>();
  while (Date.now() < deadline) {
    if (options.signal?.aborted) throw new CheckError('stopped before the inspector was found');
    const now = await listeningSockets(pid);
    const fresh = now.filter((socket) => !before.some((old) => old.host === socket.host && old.port === socket.port));
    // Then the sockets it had already: an inspector opened earlier (SIGUSR1 then changes nothing).
    const candidates = [...fresh, ...(Date.now() - sentAt > ALREADY_OPEN_AFTER_MS ? before : [])];
    if (now.length === 0 && before.length === 0) candidates.push({ host: '127.0.0.1', port: DEFAULT_INSPECTOR_PORT });
    for (const socket of candidates) {
      const address = reachable(socket);
      const key = formatHostPort(address);
      if (tried.has(key)) continue;
      const session = await attachIfSame(pid, address, options.signal);
      if (session === 'not-inspector') {
        tried.add(key);
        continue;
      }
      if (session !== null) return { session, address, newlyOpened: fresh.includes(socket) };
    }
    await sleep(POLL_MS);
  }
  throw new CheckError(
    `${flag} ${pid}: sent SIGUSR1, but no inspector of that process answered within ${timeoutMs / 1000} s (is another process holding 127.0.0.1:${DEFAULT_INSPECTOR_PORT}? see the target's stderr)`,
  );
}

/** process.kill(pid, 0) is the one way to ask "may I signal it?" without signalling. */
export async function checkSignalable(flag: string, pid: number): Promise<void> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') throw new UsageError(`${flag} ${pid}: no such process`);
    if (code === 'EPERM') throw new UsageError(`${flag} ${pid}: the process is not ours to signal (it belongs to another user)`);
    throw error;
  }
  if (pid === process.pid) throw new UsageError(`${flag} ${pid} is imdiag itself`);
}

function reachable(socket: ListeningSocket): HostPort {
  // Bound to every address: reach it on loopback.
  if (socket.host === '0.0.0.0') return { host: '127.0.0.1', port: socket.port };
  if (socket.host === '::') return { host: '::1', port: socket.port };
  return socket;
}

/** The session when the inspector at `address` is the process `pid`; null: not (yet) an answer; 'not-inspector': something else listens there. */
async function attachIfSame(pid: number, address: HostPort, signal?: AbortSignal): Promise<InspectorSession | null | 'not-inspector'> {
  try {
    await listTargets(address, 1_000, signal);
  } catch {
    return 'not-inspector';
  }
  const session = await connectInspector(address, { timeoutMs: 2_000, signal }).catch(() => null);
  if (!session) return null;
  const reached = await evaluate<number>(session, 'process.pid', 2_000).catch(() => null);
  if (reached === pid) return session;
  await session.close();
  return 'not-inspector';
}
