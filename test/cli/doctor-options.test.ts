import { describe, expect, it } from 'vitest';
import { validateDoctorOptions } from '../../src/commands/doctor/options.js';

describe('doctor options (argv → options)', () => {
  it.each([
    [{}, { snapshot: null, analyseSnapshot: true, showSecrets: false }],
    [{ snapshot: 'Heap.1.heapsnapshot' }, { snapshot: 'Heap.1.heapsnapshot', analyseSnapshot: true, showSecrets: false }],
    [{ snapshot: false }, { snapshot: null, analyseSnapshot: false, showSecrets: false }],
    [{ showSecrets: true }, { snapshot: null, analyseSnapshot: true, showSecrets: true }],
  ])('%j', (raw, expected) => expect(validateDoctorOptions('crash.log', raw)).toEqual({ input: 'crash.log', ...expected }));

  it('reads stdin with -', () => expect(validateDoctorOptions('-', {}).input).toBe('-'));

  it.each([
    [undefined, {}, 'doctor needs the crash log or report: imdiag doctor FILE, or - to read stdin'],
    ['  ', {}, 'doctor needs the crash log or report'],
    ['crash.log', { snapshot: ' ' }, '--snapshot needs a .heapsnapshot file'],
  ])('rejects %j %j', (input, raw, message) => expect(() => validateDoctorOptions(input, raw)).toThrow(message));
});
