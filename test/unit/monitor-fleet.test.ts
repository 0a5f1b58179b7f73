import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectFleet, type RecordPush } from '../../src/core/load/monitor-fleet.js';
import type { Monitor } from '../../src/core/load/monitor-group.js';

// The fleet's own bookkeeping, with monitors that are plain objects the test feeds: the WebSocket
// and socket.io monitors that plug into it run against real servers in test/e2e/flood-cli.test.ts
// and test/e2e/flood-target.test.ts. The slow links are real relays in front of a real listener.
let upstream: net.Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (upstream ? upstream.close(resolve) : resolve(undefined)));
  upstream = undefined;
});

async function listen(): Promise<number> {
  upstream = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => upstream!.listen(0, '127.0.0.1', resolve));
  return (upstream.address() as AddressInfo).port;
}

interface Opened {
  monitor: Monitor & { terminated: boolean };
  relayPort: number | null;
  record: RecordPush;
}

async function fleetOf(clients: number, slowClients: number, clock: { now: number }, fail?: number) {
  const opened: Opened[] = [];
  const fleet = connectFleet({
    clients,
    slowClients,
    slowReadBytesPerSec: 1024,
    upstream: { host: '127.0.0.1', port: await listen() },
    open(relayPort, record) {
      const monitor = { newest: null, closed: false, terminated: false, close: () => (monitor.terminated = true) };
      opened.push({ monitor, relayPort, record });
      return { monitor, opened: opened.length === fail ? Promise.reject(new Error('refused')) : Promise.resolve() };
    },
    now: () => clock.now,
  });
  return { fleet, opened };
}

describe('the monitor fleet (flood and flood --target)', () => {
  it('the first slowClients go through a slow link; staleness is the worst monitor of each group on the given clock', async () => {
    const clock = { now: 0 };
    const { fleet: connecting, opened } = await fleetOf(3, 1, clock);
    const fleet = await connecting;
    const [slow, fastA, fastB] = opened as [Opened, Opened, Opened];
    expect(slow.relayPort).toEqual(expect.any(Number));
    expect([fastA.relayPort, fastB.relayPort]).toEqual([null, null]);
    expect(fleet.staleness()).toEqual({ fastMs: null, slowMs: null });

    fastA.record(fastA.monitor, 100, 1_000, 1_030);
    fastB.record(fastB.monitor, 50, 990, 1_010);
    fastB.record(fastB.monitor, 50, 980, 1_020); // older data arriving late does not move the monitor back
    fastA.record(fastA.monitor, 10, null, 1_040); // a push without a timestamp is counted, not timed
    clock.now = 1_200;
    expect(fleet.staleness()).toEqual({ fastMs: 210, slowMs: null });
    slow.record(slow.monitor, 4_000, 1_100, 1_900);
    clock.now = 1_500;
    expect(fleet.staleness()).toEqual({ fastMs: 510, slowMs: 400 });
    fastA.record(fastA.monitor, 100, 1_490, 1_495);
    fastB.record(fastB.monitor, 100, 1_600, 1_500); // ahead of the clock: a delivery latency of 0
    fastB.monitor.closed = true;
    expect(fleet.disconnected()).toBe(1);

    const summary = fleet.summary();
    expect(summary.fast).toMatchObject({ clients: 2, disconnected: 1, messages: 6, bytes: 410, finalStalenessMs: 10, maxStalenessMs: 510 });
    expect(summary.fast.deliveryLatency!.count).toBe(5);
    expect(summary.fast.deliveryLatency!.maxMs).toBeCloseTo(40, 0); // an HDR histogram: within its precision
    expect(summary.slow).toMatchObject({ clients: 1, disconnected: 0, messages: 1, bytes: 4_000, finalStalenessMs: 400, maxStalenessMs: 400 });
    expect(summary.slow!.deliveryLatency!.count).toBe(1);
    expect(summary.slow!.deliveryLatency!.maxMs).toBeCloseTo(800, -1);
    await fleet.close();
    expect(opened.every((o) => o.monitor.terminated)).toBe(true);
  });

  it('without slow clients the slow group is null in the summary', async () => {
    const { fleet, opened } = await fleetOf(2, 0, { now: 0 });
    const summary = (await fleet).summary();
    expect(opened.map((o) => o.relayPort)).toEqual([null, null]);
    expect(summary.slow).toBeNull();
    expect(summary.fast).toMatchObject({ clients: 2, messages: 0, deliveryLatency: null, finalStalenessMs: null, maxStalenessMs: null });
    await (await fleet).close();
  });

  it('a monitor that cannot connect: everything opened is closed, and the error is the caller’s', async () => {
    const { fleet, opened } = await fleetOf(3, 1, { now: 0 }, 3);
    await expect(fleet).rejects.toThrow('refused');
    expect(opened.map((o) => o.monitor.terminated)).toEqual([true, true, true]);
    // The slow link's relay is closed too: nothing listens on its port any more.
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(opened[0]!.relayPort!, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(false)));
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});
