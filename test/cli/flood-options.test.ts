import { describe, expect, it } from 'vitest';
import { validateFloodOptions } from '../../src/commands/flood/options.js';
import { UsageError } from '../../src/lib/errors.js';

const MB = 1024 * 1024;

describe('validateFloodOptions', () => {
  it('fills the Spider-like defaults', () => {
    const params = validateFloodOptions({});
    expect(params).toMatchObject({
      rate: 50,
      producers: 10,
      payloadBytes: 1024,
      clients: 5,
      slowClients: 1,
      slowReadBytesPerSec: 65536,
      durationMs: 30_000,
      intervalMs: 5000,
      highWaterBytes: MB,
      strategies: ['per-message'],
      maxOldSpaceSizeMB: null,
    });
  });

  it('parses every flag', () => {
    const params = validateFloodOptions({
      rate: '5000',
      producers: '4',
      payload: '512',
      clients: '10',
      slowClients: '2',
      slowRead: '16kb',
      duration: '2m',
      interval: '500ms',
      highWater: '256kb',
      compare: true,
      maxOldSpaceSize: '256',
    });
    expect(params).toMatchObject({
      rate: 5000,
      producers: 4,
      payloadBytes: 512,
      clients: 10,
      slowClients: 2,
      slowReadBytesPerSec: 16384,
      durationMs: 120_000,
      intervalMs: 500,
      highWaterBytes: 262_144,
      strategies: ['per-message', 'interval', 'backpressure'],
      maxOldSpaceSizeMB: 256,
    });
  });

  it.each([
    [{ rate: '0' }, /^--rate must be a number from 0.1 to 50000/],
    [{ rate: 'fast' }, /^--rate must be a number/],
    [{ producers: '0' }, /^--producers must be a whole number from 1 to 1000/],
    [{ payload: '10' }, /^--payload must be a size .* from 64 to 524288 bytes/],
    [{ clients: '0' }, /^--clients must be a whole number from 1 to 500/],
    [{ clients: '3', slowClients: '4' }, /^--slow-clients must not exceed --clients \(3\), got 4$/],
    [{ slowRead: '10' }, /^--slow-read must be a size/],
    [{ duration: '0.5s' }, /^--duration must be a duration .* from 1s to 2h/],
    [{ interval: 'soon' }, /^--interval must be a duration/],
    [{ highWater: '-1' }, /^--high-water must be a size/],
    [{ strategy: 'gzip' }, /^--strategy must be one of per-message, interval, backpressure, got 'gzip'$/],
    [{ strategy: 'interval', compare: true }, /^--strategy and --compare exclude each other/],
    [{ maxOldSpaceSize: '8' }, /^--max-old-space-size must be a whole number from 16 to 65536/],
  ])('rejects %o', (raw, message) => {
    expect(() => validateFloodOptions(raw)).toThrow(UsageError);
    expect(() => validateFloodOptions(raw)).toThrow(message);
  });
});
