/**
 * A stray quote (an opening quote with no partner on its line) must cost its own line and no other row:
 * the record it makes is a `stray-quote` row when its quoted line end ends at a lone quote or makes the
 * record wider than the file's rows, on both splitters, whole and in 1-byte chunks.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Prng } from '../../src/gen/prng.js';
import { reconciled, runCdr, splitRows, type SplitOut } from './helpers.js';

type Out = SplitOut;

const split = (kind: 'fast' | 'ref', input: Buffer, width = Infinity, chunk = 0, delim = 44): Out => splitRows(kind, input, { width, chunk, delim });

/** Both splitters, whole and in 1-byte chunks, give `want`. */
function expectBoth(input: Buffer, width: number, want: Out): void {
  for (const kind of ['fast', 'ref'] as const) {
    expect(split(kind, input, width), kind).toEqual(want);
    expect(split(kind, input, width, 1), `${kind}, 1-byte chunks`).toEqual(want);
  }
}

/** The file with a `"` put before the field `field` (0-based) of each 1-based line in `lines`. */
function withStrays(text: string, lines: number[], field: number): string {
  return text
    .split('\n')
    .map((l, i) => {
      if (!lines.includes(i + 1)) return l;
      const f = l.split(',');
      f[field] = `"${f[field]}`;
      return f.join(',');
    })
    .join('\n');
}

describe('stray quotes', () => {
  test('a quoted line end that ends at a lone quote: the first line is malformed, the next rows are read', () => {
    const input = Buffer.from('h1,h2,h3\n1,"x,3\n4,5,6\n7,"y,9\n10,11,12\n');
    // The quote of line 2 pairs with the one of line 4 (a lone quote: `"y`); the one of line 4 is then unclosed.
    expectBoth(input, Infinity, [['@1', 'h1', 'h2', 'h3'], 'stray-quote@2', ['@3', '4', '5', '6'], 'unclosed-quote@4', ['@5', '10', '11', '12']]);
  });

  test('a quoted line end that makes the record wider than the file rows: a stray quote', () => {
    // The quote of line 2 is closed properly on line 3 (`5",`), but the record would have 5 fields.
    const input = Buffer.from('a,b,c\n1,2,"3\n4,5",6,7\n8,9,10\n');
    expectBoth(input, 3, [['@1', 'a', 'b', 'c'], 'stray-quote@2', ['@3', '4', '5"', '6', '7'], ['@4', '8', '9', '10']]);
    // Without a width the record stands (RFC 4180 allows it), as before.
    expect(split('fast', input)).toEqual([['@1', 'a', 'b', 'c'], ['@2', '1', '2', '3\n4,5', '6', '7'], ['@4', '8', '9', '10']]);
  });

  test('a multi-line note on a row with a column or two more than the header is kept (real exports have both)', () => {
    // Width 7 (the header): 8 or 9 fields with a quoted line end are an RFC 4180 record, not rows joined by a quote.
    const input = Buffer.from('a,b,c,d,e,f,note\n1,2,3,4,5,6,ok\n1,2,3,4,5,6,"two\nlines",extra\n1,2,3,4,5,6,"x\ny, z",p,q\n7,8,9,10,11,12,ok\n');
    expectBoth(input, 7, [
      ['@1', 'a', 'b', 'c', 'd', 'e', 'f', 'note'],
      ['@2', '1', '2', '3', '4', '5', '6', 'ok'],
      ['@3', '1', '2', '3', '4', '5', '6', 'two\nlines', 'extra'],
      ['@5', '1', '2', '3', '4', '5', '6', 'x\ny, z', 'p', 'q'],
      ['@7', '7', '8', '9', '10', '11', '12', 'ok'],
    ]);
  });

  test('quoted fields with line ends written as RFC 4180 says are kept', () => {
    const input = Buffer.from('a,b,c\n1,"x\ny",3\n4,5,"p\nq ""r"""\n6,7,8\n');
    expectBoth(input, 3, [
      ['@1', 'a', 'b', 'c'],
      ['@2', '1', 'x\ny', '3'],
      ['@4', '4', '5', 'p\nq "r"'],
      ['@6', '6', '7', '8'],
    ]);
  });

  test('a lone quote after a line end past the fast arrays (a 300-field record) is found by the fallback too', () => {
    const wide = Array.from({ length: 300 }, (_, i) => (i === 280 ? '"open' : `v${i}`)).join(',');
    const input = Buffer.from(`a,b\n${wide}\nc,"d"e\nf,g\n`);
    const want: Out = [['@1', 'a', 'b'], 'stray-quote@2', ['@3', 'c', '"d"e'], ['@4', 'f', 'g']];
    expect(split('fast', input)).toEqual(want);
    expect(split('ref', input)).toEqual(want);
  });

  test('fuzz: both splitters agree with a row width, whole and in 1-byte chunks', () => {
    const p = new Prng(4180);
    const alphabet = ['a', ',', ',', '"', '"', '""', '\n', '\n', '\r\n', 'x'.repeat(20)];
    for (let k = 0; k < 3000; k++) {
      let s = '';
      const n = p.int(0, 60);
      for (let i = 0; i < n; i++) s += p.pick(alphabet);
      const input = Buffer.from(s);
      const width = p.int(1, 5);
      const ref = split('ref', input, width);
      expect(split('fast', input, width), JSON.stringify([s, width])).toEqual(ref);
      expect(split('fast', input, width, 1), JSON.stringify([s, width])).toEqual(ref);
      expect(split('ref', input, width, 1), JSON.stringify([s, width])).toEqual(ref);
    }
  });
});

describe('stray quotes in whole files: every row accounted for', () => {
  const carrier = readFileSync(new URL('../../fixtures/sample/carrier-day.cdr.csv', import.meta.url), 'utf8');
  const master = readFileSync(new URL('../../fixtures/cdr/master18.csv', import.meta.url), 'utf8');

  test('carrier export: two stray quotes in the Reason column cost their two rows, no more', () => {
    // The audit's case: the quote of line 100 paired with the one of line 105 and swallowed lines 100–105.
    const bytes = Buffer.from(withStrays(carrier, [100, 105], 8));
    const whole = runCdr('stray.csv', Buffer.from(carrier));
    const fast = runCdr('stray.csv', bytes);
    expect(reconciled(fast.acc)).toBe(true);
    expect(fast.acc.read).toBe(961);
    expect(fast.acc.used).toBe(whole.acc.used - 2);
    expect(fast.acc.anomalies).toEqual({ 'stray-quote': 1, 'unclosed-quote': 1 });
    expect(fast.acc.samples.map((s) => [s.name, s.position.line])).toEqual([
      ['stray-quote', 100],
      ['unclosed-quote', 105],
    ]);
    expect(fast.acc.samples[1].detail).toContain('reading resumes on the next one');
    // The other rows are the rows of the clean file.
    const lost = new Set([100, 105]);
    expect(fast.records).toEqual(whole.records.filter((r) => !lost.has(r.source.line!)));
    const ref = runCdr('stray.csv', bytes, {}, { path: 'reference' });
    expect(ref.records).toEqual(fast.records);
    expect(ref.acc.anomalies).toEqual(fast.acc.anomalies);
    expect(runCdr('stray.csv', bytes, {}, {}, 1).acc).toEqual(fast.acc);
  });

  test("Master.csv: a quote opening the last field merges no rows (the record would be wider than Master.csv's 21 columns)", () => {
    const lines = master.trimEnd().split('\n');
    // A stray quote at the end of row 2 (as in a real export cut by an editor): `…,"1753245947.18","`.
    lines[1] = `${lines[1]},"`;
    const bytes = Buffer.from(`${lines.join('\n')}\n`);
    const fast = runCdr('Master.csv', bytes);
    expect(reconciled(fast.acc)).toBe(true);
    expect(fast.acc.read).toBe(lines.length);
    expect(fast.acc.used).toBe(lines.length - 1);
    expect(fast.acc.anomalies).toEqual({ 'stray-quote': 1 });
    expect(fast.acc.samples[0].position.line).toBe(2);
    const ref = runCdr('Master.csv', bytes, {}, { path: 'reference' });
    expect(ref.records).toEqual(fast.records);
    expect(runCdr('Master.csv', bytes, {}, {}, 1).records).toEqual(fast.records);
  });

  test('UTF-16LE (reference path): reading resumes on the next UTF-16 line after a stray quote', () => {
    // The quote of line 2 pairs with the opening quote of line 4's `"gamma"` (a lone quote there).
    const text = 'start\tvendor\tdisposition\n2024-03-05 10:00:00\t"alpha\tANSWERED\n2024-03-05 10:01:00\tbeta\tBUSY\n2024-03-05 10:02:00\t"gamma"\tBUSY\n';
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    for (const chunk of [0, 1, 3]) {
      const { records, acc } = runCdr('u16.csv', buf, {}, {}, chunk);
      expect(acc.anomalies).toEqual({ 'stray-quote': 1 });
      expect(records.map((r) => [r.source.line, r.route, r.finalCode])).toEqual([
        [3, 'beta', 486],
        [4, 'gamma', 486],
      ]);
    }
  });
});
