/**
 * NUL bytes are not text: a UTF-8 CDR drops them before splitting, wherever they are. One NUL near the
 * start must not make the file unreadable, and one later must not end up in a route name.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { isCdrCsv } from '../../src/cdr/index.js';
import { reconciled, runCdr } from './helpers.js';

const carrier = readFileSync(new URL('../../fixtures/sample/carrier-day.cdr.csv', import.meta.url));

/** `b` with `what` inserted at `at`. */
function insert(b: Buffer, at: number, what: Buffer): Buffer {
  return Buffer.concat([b.subarray(0, at), what, b.subarray(at)]);
}

describe('NUL bytes in a CDR', () => {
  const clean = runCdr('day.csv', carrier);

  test('a NUL in a route name at the start, in the head and past the head: the file reads as without it', () => {
    for (const near of [300, 10_000, 70_000]) {
      const at = carrier.indexOf(',vendor-', near) + 3;
      const bytes = insert(carrier, at, Buffer.from([0]));
      expect(isCdrCsv(bytes.subarray(0, 65536)), String(near)).toBe(true);
      const got = runCdr('day.csv', bytes);
      expect(got.records, String(near)).toEqual(clean.records);
      expect(got.acc.notes).toContain('1 NUL byte dropped (not text); byte offsets in samples count the input without them');
      expect(runCdr('day.csv', bytes, {}, { path: 'reference' }).records).toEqual(clean.records);
      expect(runCdr('day.csv', bytes, {}, {}, 7).records).toEqual(clean.records);
    }
  });

  test('NULs inside a date and a number, and a block of them left by a crash, cost no row', () => {
    let bytes = insert(carrier, carrier.indexOf('2024-03-05 09:02', 0) + 4, Buffer.from([0]));
    const line = bytes.indexOf('\n', 5000) + 1;
    bytes = insert(bytes, line, Buffer.alloc(4096));
    for (const cdr of [{}, { path: 'reference' as const }]) {
      const got = runCdr('day.csv', bytes, {}, cdr, 1000);
      expect(reconciled(got.acc)).toBe(true);
      expect(got.acc.malformed).toBe(0);
      expect(got.records).toEqual(clean.records);
    }
  });

  test('Master.csv (quoted fields): a NUL in the disposition still reads ANSWERED', () => {
    const master = readFileSync(new URL('../../fixtures/cdr/master18.csv', import.meta.url));
    const at = master.indexOf('"ANSWERED"') + 3;
    const got = runCdr('Master.csv', insert(master, at, Buffer.from([0, 0])));
    expect(got.records).toEqual(runCdr('Master.csv', master).records);
  });

  test('UTF-16 without a BOM is still no CDR (NULs in every other byte are not a stray NUL)', () => {
    expect(isCdrCsv(Buffer.from(carrier.subarray(0, 4000).toString('latin1'), 'utf16le'))).toBe(false);
    const be = Buffer.from(carrier.subarray(0, 4000).toString('latin1'), 'utf16le').swap16();
    expect(isCdrCsv(be)).toBe(false);
  });
});
