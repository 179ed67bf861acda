import { describe, expect, it } from 'vitest';
import { LV_VERBOSE, newPrefix, readLevel } from '../../src/asterisk/prefix.js';

/** readLevel over `VERBOSE[2103][marker] pbx.c: Hi` → [value, marker text, message]. */
function marker(m: string): [number, string, string] {
  const b = Buffer.from(`VERBOSE[2103][${m}] pbx.c: Hi`);
  const pre = newPrefix();
  const at = readLevel(b, 0, b.length, pre);
  expect(pre.level).toBe(LV_VERBOSE);
  return [pre.mkV, b.subarray(pre.mkS, pre.mkE).toString(), b.subarray(at).toString()];
}

describe('readLevel: the call marker', () => {
  it('reads the value of `C-` and 8 lower-case hex digits, every digit', () => {
    expect(marker('C-0000012a')).toEqual([0x12a, 'C-0000012a', 'Hi']);
    expect(marker('C-01234567')).toEqual([0x1234567, 'C-01234567', 'Hi']);
    expect(marker('C-89abcdef')).toEqual([0x89abcdef, 'C-89abcdef', 'Hi']);
    expect(marker('C-00000000')).toEqual([0, 'C-00000000', 'Hi']);
  });

  it('keeps other forms as text only (value -1): upper-case or other letters, other lengths', () => {
    for (const m of ['C-0000012A', 'C-0000012g', 'C-000001/a', 'C-0000:12a', 'C-0000012', 'C-0000012a0']) {
      expect(marker(m)).toEqual([-1, m, 'Hi']);
    }
  });
});
