import { afterEach, describe, expect, it } from 'vitest';
import { CheckError, UsageError } from '../../src/lib/errors.js';
import {
  connectInspector,
  evaluate,
  isLoopbackHost,
  listeningSockets,
  looksLikeNode,
  openInspector,
  parseHostPort,
  processFacts,
} from '../../src/lib/inspector/index.js';
import { startTarget, type Target } from '../helpers/node-target.js';

describe('inspector addresses', () => {
  it.each([
    ['127.0.0.1:9229', { host: '127.0.0.1', port: 9229 }],
    ['9229', { host: '127.0.0.1', port: 9229 }],
    ['localhost:1234', { host: 'localhost', port: 1234 }],
    ['[::1]:9229', { host: '::1', port: 9229 }],
  ])('%s', (raw, expected) => expect(parseHostPort('--inspect', raw, false)).toEqual(expected));

  it('refuses another machine without --allow-remote, naming the flag', () => {
    expect(() => parseHostPort('--inspect', '10.0.0.5:9229', false)).toThrow(/--inspect 10\.0\.0\.5 is not a loopback address; add --allow-remote/);
    expect(parseHostPort('--inspect', '10.0.0.5:9229', true)).toEqual({ host: '10.0.0.5', port: 9229 });
  });

  it.each(['', 'host:', ':9229x', '127.0.0.1:70000', 'http://127.0.0.1:9229'])('refuses %j', (raw) => {
    expect(() => parseHostPort('--inspect', raw, false)).toThrow(UsageError);
  });

  it('knows loopback', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', 'example.com', '::'].some(isLoopbackHost)).toBe(false);
  });
});

describe('inspector client and SIGUSR1', () => {
  let target: Target | undefined;
  afterEach(async () => {
    await target?.stop();
    target = undefined;
  });

  it('talks to a process started with --inspect=127.0.0.1:0', async () => {
    target = await startTarget({ behaviour: 'idle', inspect: 'now' });
    const session = await connectInspector({ host: '127.0.0.1', port: target.inspectPort! });
    expect(await evaluate(session, 'process.pid')).toBe(target.pid);
    const usage = await session.send<{ usedSize: number; totalSize: number }>('Runtime.getHeapUsage');
    expect(usage.usedSize).toBeGreaterThan(0);
    await expect(session.send('No.suchMethod')).rejects.toThrow(/refused No\.suchMethod/);
    await session.close();
    expect(session.isOpen()).toBe(false);
  });

  it('opens the inspector of a running Node process with SIGUSR1 and finds its port in /proc', async () => {
    target = await startTarget({ behaviour: 'idle', inspect: 'on-signal' });
    const before = await listeningSockets(target.pid);
    expect(before).toEqual([]);
    expect(looksLikeNode(await processFacts(target.pid))).toBe(true);
    const opened = await openInspector(target.pid);
    expect(opened.newlyOpened).toBe(true);
    expect(await evaluate(opened.session, 'process.pid')).toBe(target.pid);
    await opened.session.close();
    // A second time: already open, found among the sockets it had.
    const again = await openInspector(target.pid);
    expect(again.newlyOpened).toBe(false);
    await again.session.close();
    expect(target.child.exitCode).toBeNull();
  });

  it('reports the session closed when the process exits', async () => {
    target = await startTarget({ behaviour: 'idle', inspect: 'now' });
    const session = await connectInspector({ host: '127.0.0.1', port: target.inspectPort! });
    target.child.kill('SIGKILL');
    await session.closed;
    await expect(session.send('Runtime.getHeapUsage')).rejects.toThrow(CheckError);
  });

  it('refuses a process that is not Node, and one that does not exist', async () => {
    const { spawn } = await import('node:child_process');
    const sleeper = spawn('sleep', ['30']);
    try {
      await expect(openInspector(sleeper.pid!)).rejects.toThrow(/--pid \d+ is \S*sleep, not a Node process; SIGUSR1 would terminate it/);
      expect(sleeper.exitCode).toBeNull();
    } finally {
      sleeper.kill();
    }
    await expect(openInspector(2 ** 22 + 7)).rejects.toThrow(/no such process/);
  });

  it('fails within seconds when nothing answers', async () => {
    const started = Date.now();
    await expect(connectInspector({ host: '127.0.0.1', port: 1 })).rejects.toThrow(/cannot reach the inspector at 127\.0\.0\.1:1: connection refused/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
