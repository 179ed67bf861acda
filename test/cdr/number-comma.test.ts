/**
 * A comma in a CDR number (`"1,234"`, `12,5`): a thousands separator or a decimal comma, by the file's
 * convention (src/cdr/numbers.ts, docs/cdr.md "Numbers"); a value the file does not settle is refused with
 * its position, never read silently (audit 9, finding 5: `"1,234"` was read as 1.234 s).
 */
import { describe, expect, it } from 'vitest';
import { commaProof, guessCommaConvention, readCommaNumber } from '../../src/cdr/numbers.js';
import { AMBIGUOUS_NUM, BAD_NUM, COMMA_NUM, numberBytes } from '../../src/cdr/row.js';
import { reconciled, runCdr, type Run } from './helpers.js';

const num = (t: string, leading = false): number => {
  const b = Buffer.from(t);
  return numberBytes(b, 0, b.length, leading);
};

/** The file through both paths, whole and in 1-byte chunks: the same records and accounting; the fast run. */
function both(file: string, text: string): Run {
  const fast = runCdr(file, Buffer.from(text));
  for (const r of [runCdr(file, Buffer.from(text), {}, { path: 'reference' }), runCdr(file, Buffer.from(text), {}, {}, 1)]) {
    expect(r.records).toEqual(fast.records);
    const notes = (n: string[]): string[] => n.map((x) => x.replace(', split by csv-parse (reference path)', ''));
    expect({ ...r.acc, notes: notes(r.acc.notes) }).toEqual({ ...fast.acc, notes: notes(fast.acc.notes) });
  }
  expect(reconciled(fast.acc)).toBe(true);
  return fast;
}

const talk = (run: Run): Array<number | undefined> => run.records.map((r) => r.duration);

describe('the byte-level reader leaves a comma to the file convention', () => {
  it('plain numbers as before; any comma after digits is COMMA_NUM (not a value)', () => {
    expect([num('12'), num(' 7 '), num('12.5'), num(''), num('NULL'), num('x')]).toEqual([12, 7, 12.5, -1, -1, BAD_NUM]);
    expect([num('1,234'), num('12,5'), num('1,234.5'), num('1.234,5'), num('12,000')]).toEqual([COMMA_NUM, COMMA_NUM, COMMA_NUM, COMMA_NUM, COMMA_NUM]);
    // A SIP code with text after it keeps its leading digits.
    expect([num('486 Busy Here', true), num('486,Busy', true)]).toEqual([486, 486]);
  });
});

describe('readings of a value with a comma', () => {
  it('by convention: thousands, decimal, or none (ambiguous values refused)', () => {
    const cases: Array<[string, number, number, number]> = [
      // value, as thousands, as decimal, with no convention
      ['1,234', 1234, 1.234, AMBIGUOUS_NUM],
      ['12,000', 12000, 12, AMBIGUOUS_NUM],
      ['1,234.5', 1234.5, BAD_NUM, 1234.5],
      ['1,234,567', 1234567, BAD_NUM, 1234567],
      ['12,5', BAD_NUM, 12.5, 12.5],
      ['0,25', BAD_NUM, 0.25, 0.25],
      ['1234,5', BAD_NUM, 1234.5, 1234.5],
      ['1.234,5', BAD_NUM, 1234.5, 1234.5],
      ['1,2,3', BAD_NUM, BAD_NUM, BAD_NUM],
      ['12,', BAD_NUM, BAD_NUM, BAD_NUM],
    ];
    for (const [t, th, dec, none] of cases) {
      expect([t, readCommaNumber(t, 'thousands').value, readCommaNumber(t, 'decimal').value, readCommaNumber(t, undefined).value]).toEqual([t, th, dec, none]);
    }
    expect([commaProof('1,234'), commaProof('12,5'), commaProof('1,234.5'), commaProof('1,234,567'), commaProof('1.234,5'), commaProof('12')]).toEqual([
      undefined,
      'decimal',
      'thousands',
      'thousands',
      'decimal',
      undefined,
    ]);
  });

  it('the convention: proved by the first rows, else the delimiter (, thousands; ; decimal), else none', () => {
    expect(guessCommaConvention(['7', '1,234'], 44).comma).toBe('thousands');
    expect(guessCommaConvention(['7', '1,234'], 59).comma).toBe('decimal');
    expect(guessCommaConvention(['7', '1,234'], 9).comma).toBeUndefined();
    expect(guessCommaConvention(['7', '1,234'], 124).comma).toBeUndefined();
    expect(guessCommaConvention(['12,5'], 44).comma).toBe('decimal');
    expect(guessCommaConvention(['1,234.5'], 59).comma).toBe('thousands');
    const mixed = guessCommaConvention(['12,5', '1,234.5'], 44);
    expect(mixed.comma).toBeUndefined();
    expect(mixed.note).toMatch(/both ways/);
  });
});

describe('CDR files with a comma in a number column', () => {
  it('the audit repro (comma-delimited, "1,234" / "1,234.5" / "12,000"): thousands separators, noted', () => {
    const run = both('bs2.csv', 'Setup Time,ANI,DNIS,Vendor,SIP Code,Billsec\n2024-03-05 10:00:00,100,200,vA,200,"1,234"\n2024-03-05 10:01:00,100,201,vA,200,"1,234.5"\n2024-03-05 10:02:00,100,202,vA,200,"12,000"\n');
    expect(talk(run)).toEqual([1_234_000, 1_234_500, 12_000_000]);
    expect(run.acc.malformed).toBe(0);
    expect(run.acc.notes.some((n) => n.startsWith('numbers with a comma read 3 as a thousands separator'))).toBe(true);
  });

  it('comma-delimited with nothing in the first rows to prove it: the delimiter says thousands; "12,5" is left unknown with a reason, its row kept', () => {
    const run = both('c.csv', 'Setup Time,ANI,DNIS,Vendor,SIP Code,Billsec\n2024-03-05 10:00:00,100,200,vA,200,"1,234"\n2024-03-05 10:01:00,100,201,vA,200,7\n' + '2024-03-05 10:02:00,100,202,vA,200,7\n'.repeat(60) + '2024-03-05 10:03:00,100,203,vA,200,"12,5"\n');
    expect(run.records[0].duration).toBe(1_234_000);
    expect(run.acc.malformed).toBe(0);
    expect(run.records.at(-1)).toMatchObject({ callee: '203', finalCode: 200, duration: undefined });
    const note = run.acc.notes.find((n) => n.startsWith('billsec or duration left unknown on 1 row'));
    expect(note).toMatch(/\(first at line 64: Billsec = "12,5": a comma in a number is a thousands separator in this file \(the file is ','-delimited/);
    expect(run.acc.notes.some((n) => n.includes("1 as a thousands separator") && n.includes("','-delimited"))).toBe(true);
  });

  it(';-delimited: a decimal comma ("12,5" and "1,234" alike)', () => {
    const run = both('semi.csv', 'Setup Time;ANI;DNIS;Vendor;SIP Code;Billsec\n05.03.2024 10:00:00;100;200;vA;200;12,5\n05.03.2024 10:01:00;100;201;vA;200;1,234\n05.03.2024 10:02:00;100;202;vA;200;60\n');
    expect(talk(run)).toEqual([12_500, 1_234, 60_000]);
    expect(run.acc.notes.some((n) => n.startsWith('numbers with a comma read 2 as a decimal comma'))).toBe(true);
  });

  it('tab-delimited: "1,234" is ambiguous (left unknown, with its position and both readings; the attempt kept) unless the first rows prove the convention', () => {
    const head = 'Setup Time\tANI\tDNIS\tVendor\tSIP Code\tBillsec\n';
    const amb = both('t.csv', `${head}2024-03-05 10:00:00\t100\t200\tvA\t200\t1,234\n2024-03-05 10:01:00\t100\t201\tvA\t200\t7\n`);
    expect(amb.records.map((r) => r.duration)).toEqual([undefined, 7000]);
    expect(amb.acc.malformed).toBe(0);
    expect(amb.acc.notes).toContain(
      'billsec or duration left unknown on 1 row whose value the file\'s number convention reads two ways or none (first at line 2: Billsec = "1,234": 1234 with a thousands separator or 1.234 with a decimal comma? Neither the delimiter (tab) nor the first rows tell whether a comma in a number is a thousands separator or a decimal comma): the row is kept without that value (a billsec over 0 in every reading still makes its row answered)',
    );
    // A value that reads one way only proves the file's convention.
    const dec = both('t.csv', `${head}2024-03-05 10:00:00\t100\t200\tvA\t200\t1,234\n2024-03-05 10:01:00\t100\t201\tvA\t200\t12,5\n`);
    expect(talk(dec)).toEqual([1_234, 12_500]);
    const th = both('t.csv', `${head}2024-03-05 10:00:00\t100\t200\tvA\t200\t1,234\n2024-03-05 10:01:00\t100\t201\tvA\t200\t1,234.5\n`);
    expect(talk(th)).toEqual([1_234_000, 1_234_500]);
    // First rows that use the comma both ways: no convention, noted; the ambiguous value is refused.
    const mixed = both('t.csv', `${head}2024-03-05 10:00:00\t100\t200\tvA\t200\t12,5\n2024-03-05 10:01:00\t100\t201\tvA\t200\t1,234.5\n2024-03-05 10:02:00\t100\t202\tvA\t200\t1,234\n`);
    expect(talk(mixed)).toEqual([12_500, 1_234_500, undefined]);
    expect(mixed.acc.malformed).toBe(0);
    expect(mixed.acc.notes.some((n) => n.includes('both ways'))).toBe(true);
  });

  it('an unsure billsec costs only itself: the attempt stays, answered when the value is over 0 in every reading (re-audit N3)', () => {
    // Tab-delimited, no code column: the answer comes from billsec. `1,234` is 1234 or 1.234: over 0 either way.
    const run = both('t.csv', 'Setup Time\tVendor\tBillsec\tDuration\n2024-03-05 10:00:00\tvA\t1,234\t1,250\n2024-03-05 10:01:00\tvA\t0\t12\n2024-03-05 10:02:00\tvA\tabc\t1\n2024-03-05 10:03:00\tvA\t1.2.3\t1\n2024-03-05 10:04:00\tvA\t12,12,12\t1\n');
    expect(run.records.map((r) => [r.answer !== undefined || r.finalCode === 200, r.duration, r.end])).toEqual([
      [true, undefined, undefined],
      [false, undefined, Date.UTC(2024, 2, 5, 10, 1, 12)],
    ]);
    // Text that is a number in no convention is still a malformed row: the row's columns may be shifted.
    expect(run.acc.anomalies).toEqual({ 'bad-number': 3 });
    expect(run.acc.notes.some((n) => n.startsWith('billsec or duration left unknown on 2 rows'))).toBe(true);
  });

  it('a PDD column with thousands separators is read in milliseconds, not taken for fractions of seconds', () => {
    const run = both('p.csv', 'Setup Time,ANI,DNIS,Vendor,SIP Code,PDD,Billsec\n2024-03-05 10:00:00,100,200,vA,200,"1,234",30\n2024-03-05 10:01:00,100,201,vA,486,850,0\n');
    expect(run.records.map((r) => r.pdd)).toEqual([1234, 850]);
    expect(run.acc.notes).toContain('PDD column read in milliseconds (largest value in the first rows 1234)');
  });

  it('a PDD value the convention refuses gives no PDD, and the notes say so', () => {
    const run = both('p.csv', 'Setup Time\tANI\tDNIS\tVendor\tSIP Code\tPDD (ms)\tBillsec\n2024-03-05 10:00:00\t100\t200\tvA\t200\t1,234\t30\n2024-03-05 10:01:00\t100\t201\tvA\t486\t850\t0\n');
    expect(run.records.map((r) => r.pdd)).toEqual([undefined, 850]);
    expect(run.acc.notes.some((n) => n.startsWith('PDD values with a comma not read on 1 row'))).toBe(true);
  });
});
