import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { numbered, validateHeapCaptureOptions, type RawHeapCaptureOptions } from '../../src/commands/heap-capture/options.js';
import { usageMessage as usage } from '../helpers/usage-error.js';

const dir = mkdtempSync(join(tmpdir(), 'imdiag-capture-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const out = (name: string) => join(dir, name);

describe('validateHeapCaptureOptions', () => {
  it('--inspect: a loopback inspector, one file, no pause', () => {
    const options = validateHeapCaptureOptions({ inspect: '127.0.0.1:9229', out: out('a.heapsnapshot') });
    expect(options.from).toEqual({ kind: 'inspector', address: { host: '127.0.0.1', port: 9229 } });
    expect(options.outs).toEqual([out('a.heapsnapshot')]);
    expect(options.force).toBe(false);
  });

  it('--pid --open-inspector --count 3 --every 2s: numbered files, the pause in ms', () => {
    const options = validateHeapCaptureOptions({ pid: '4242', openInspector: true, out: out('b.heapsnapshot'), count: '3', every: '2s', force: true });
    expect(options.from).toEqual({ kind: 'pid', pid: 4242 });
    expect(options.outs).toEqual([1, 2, 3].map((n) => out(`b.${n}.heapsnapshot`)));
    expect(options.everyMs).toBe(2000);
    expect(options.force).toBe(true);
  });

  it('numbers a name without the extension at its end', () => {
    expect(numbered('/x/app', 2)).toBe('/x/app.2.heapsnapshot');
    expect(numbered('/x/app.heapsnapshot', 1)).toBe('/x/app.1.heapsnapshot');
  });

  writeFileSync(out('taken.heapsnapshot'), '');
  writeFileSync(out('series.2.heapsnapshot'), '');
  it.each<[RawHeapCaptureOptions, RegExp]>([
    [{ out: out('c.heapsnapshot') }, /needs one of --pid N --open-inspector or --inspect HOST:PORT/],
    [{ pid: '1', inspect: '127.0.0.1:9229', openInspector: true, out: out('c.heapsnapshot') }, /needs one of --pid N --open-inspector or --inspect/],
    [{ pid: '4242', out: out('c.heapsnapshot') }, /--pid needs --open-inspector for a capture/],
    [{ inspect: '127.0.0.1:9229', openInspector: true, out: out('c.heapsnapshot') }, /--open-inspector needs --pid/],
    [{ inspect: '127.0.0.1:9229' }, /--out FILE is required/],
    [{ inspect: '127.0.0.1:9229', out: '  ' }, /--out FILE is required/],
    [{ inspect: '127.0.0.1:9229', out: out('taken.heapsnapshot') }, /--out .*taken\.heapsnapshot exists; imdiag never writes over a file/],
    [{ inspect: '127.0.0.1:9229', out: out('series.heapsnapshot'), count: '2' }, /--out .*series\.2\.heapsnapshot exists/],
    [{ inspect: '127.0.0.1:9229', out: join(dir, 'missing', 'd.heapsnapshot') }, /--out: the directory .*missing does not exist/],
    [{ inspect: '127.0.0.1:9229', out: out('c.heapsnapshot'), count: '0' }, /--count/],
    [{ inspect: '127.0.0.1:9229', out: out('c.heapsnapshot'), count: '101' }, /--count/],
    [{ inspect: '127.0.0.1:9229', out: out('c.heapsnapshot'), every: '5s' }, /--every needs --count 2 or more/],
    [{ inspect: '127.0.0.1:9229', out: out('c.heapsnapshot'), count: '2', every: 'soon' }, /--every/],
    [{ inspect: '10.1.2.3:9229', out: out('c.heapsnapshot') }, /--inspect 10\.1\.2\.3 is not a loopback address/],
    [{ inspect: 'localhost', out: out('c.heapsnapshot') }, /--inspect/],
    [{ pid: '0', openInspector: true, out: out('c.heapsnapshot') }, /--pid/],
    [{ pid: 'abc', openInspector: true, out: out('c.heapsnapshot') }, /--pid/],
  ])('refuses %j with one line naming the flag', (raw, message) => {
    const text = usage(() => validateHeapCaptureOptions(raw));
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });

  it('--allow-remote lets another machine through', () => {
    expect(validateHeapCaptureOptions({ inspect: '10.1.2.3:9229', allowRemote: true, out: out('e.heapsnapshot') }).from).toMatchObject({ kind: 'inspector' });
  });
});
