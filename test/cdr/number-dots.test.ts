/**
 * Dots grouping thousands in a decimal-comma file (audit 3B, finding 4): once the file shows it (`1.234,5`),
 * `1.234` is 1234, not 1.234 s. A value that proves the decimal comma (`12,5`, `3,6`) shows it too: a writer of
 * decimal commas writes no dot fractions, and Excel's "#.##0" (whole seconds, grouped) writes `1.234` and never
 * `1.234,5` (re-audit N3: such rows were refused as ambiguous, and their attempts lost). In a file that only its
 * `;` delimiter makes decimal-comma, a dot is read as a decimal point until a proof comes; then the notes and
 * stderr say how many values before it are wrong. A value the convention does not settle costs only itself.
 */
import { describe, expect, test } from 'vitest';
import { dotGrouped, dotsProof, guessCommaConvention } from '../../src/cdr/numbers.js';
import { bothPaths } from './helpers.js';

const talk = (r: { records: { duration?: number }[] }): Array<number | undefined> => r.records.map((x) => x.duration);

/** A `;` export with Billsec values, one row a minute (its PDD column: `pdd` on every row). */
function semi(values: string[], head = 'Setup Time;Carrier;SIP Code;Billsec;PDD', pdd = '3'): Buffer {
  return Buffer.from(`${head}\n${values.map((v, i) => `05.03.2024 ${10 + Math.floor(i / 60)}:${String(i % 60).padStart(2, '0')}:00;va;200;${v};${pdd}`).join('\n')}\n`);
}

describe('dots grouping thousands', () => {
  test('the audit de-thousands.csv: "1.234" is 1234 once "1.234,5" shows dots grouping thousands', () => {
    const run = bothPaths('de.csv', semi(['1.234', '1.234,5', '65,5', '0'], 'Datum;Carrier;SIP Code;Billsec;PDD', '2,5'), { columnMap: { start: 'Datum' } });
    expect(talk(run)).toEqual([1_234_000, 1_234_500, 65_500, 0]);
    expect(run.acc.malformed).toBe(0);
    expect(run.acc.notes).toContain('numbers: a dot groups thousands in this file (the first rows show "1.234,5"): "1.234" is 1234');
    expect(run.acc.notes).toContain('numbers with a dot read 1 as a thousands separator ("1.234" = 1234): a dot groups thousands in this file (the first rows show it: "1.234,5")');
  });

  test('"1.234.567" proves it too; a dot that groups nothing ("12.5") then leaves that value unknown, the row kept', () => {
    const run = bothPaths('de.csv', semi(['1.234.567', '1.234', '12.5']));
    expect(talk(run)).toEqual([1_234_567_000, 1_234_000, undefined]);
    expect(run.acc.malformed).toBe(0);
    expect(run.records[2]).toMatchObject({ finalCode: 200, answer: undefined });
    expect(run.acc.notes).toContain(
      'billsec or duration left unknown on 1 row whose value the file\'s number convention reads two ways or none (first at line 4: Billsec = "12.5": a dot groups thousands in this file (the first rows show it: "1.234.567"), and this value is not grouped in threes): the row is kept without that value (a billsec over 0 in every reading still makes its row answered)',
    );
  });

  test('a file whose decimal comma a value proved: "1.234" is 1234 from its first row on, none refused (re-audit N3)', () => {
    const rows = ['12,5', '1.234', ...Array.from({ length: 60 }, () => '7'), '1.234,5', '1.234'];
    const run = bothPaths('late.csv', semi(rows));
    expect(run.acc.malformed).toBe(0);
    expect(talk(run).slice(0, 2)).toEqual([12_500, 1_234_000]);
    expect(talk(run).slice(-2)).toEqual([1_234_500, 1_234_000]);
    expect(run.acc.alerts).toBeUndefined();
    expect(run.acc.notes).toContain('numbers: a dot groups thousands in this file: its first rows prove a decimal comma ("12,5"), and a writer of decimal commas writes no dot fractions, so "1.234" is 1234');
    expect(run.acc.notes).toContain(
      'numbers with a dot read 2 as a thousands separator ("1.234" = 1234): a dot groups thousands in this file (the first rows prove a decimal comma ("12,5"), and a writer of decimal commas writes no dot fractions)',
    );
  });

  test('the re-audit de-int.csv: whole seconds grouped ("1.234"), PDD with a decimal comma: every attempt and its talk time', () => {
    // A German Excel export of whole billed seconds ("#.##0": 409, 1.234, 2.871) and a PDD in seconds (3,6).
    const bill = (i: number): number => (i % 5 === 4 ? 0 : (i * 397) % 3000);
    const grouped = (v: number): string => (v >= 1000 ? `${Math.floor(v / 1000)}.${String(v % 1000).padStart(3, '0')}` : String(v));
    const lines = ['Datum;Carrier;SIP-Code;Billsec;PDD'];
    for (let i = 0; i < 200; i++) {
      const b = bill(i);
      lines.push(`05.03.2024 ${String(8 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00;va;${b > 0 ? 200 : 486};${grouped(b)};${1 + (i % 5)},${i % 10}`);
    }
    const run = bothPaths('de-int.csv', Buffer.from(`${lines.join('\n')}\n`), { columnMap: { start: 'Datum' } });
    expect(run.records.length).toBe(200);
    expect(run.acc.malformed).toBe(0);
    expect(run.records.map((r) => r.duration ?? 0)).toEqual(Array.from({ length: 200 }, (_, i) => bill(i) * 1000));
    expect(run.records.filter((r) => (r.duration ?? 0) >= 1_000_000).length).toBeGreaterThan(50);
    expect(run.records.map((r) => r.pdd)).toEqual(Array.from({ length: 200 }, (_, i) => (1 + (i % 5)) * 1000 + (i % 10) * 100));
  });

  test('before a proof met further down, in a file only its ";" makes decimal-comma: read with a decimal point, then said wrong', () => {
    const rows = ['7', '1.234', ...Array.from({ length: 60 }, () => '7'), '1.234,5', '1.234'];
    const run = bothPaths('late.csv', semi(rows));
    expect(run.acc.malformed).toBe(0);
    expect(talk(run)[1]).toBe(1234);
    expect(talk(run).slice(-2)).toEqual([1_234_500, 1_234_000]);
    const msg = 'numbers: line 64 ("1.234,5") shows that a dot groups thousands in this file, but 1 value before it (first at line 3: "1.234") was read with a decimal point (1.234 rather than 1234) and is wrong';
    expect(run.acc.alerts).toEqual([msg]);
    expect(run.acc.notes).toContain(msg);
  });

  test('in a file only its ";" makes decimal-comma, a value proving the decimal comma further down is a proof too', () => {
    const rows = ['7', '1.234', ...Array.from({ length: 60 }, () => '7'), '12,5', '1.234'];
    const run = bothPaths('late.csv', semi(rows));
    expect(run.acc.malformed).toBe(0);
    expect(talk(run)[1]).toBe(1234);
    expect(talk(run).slice(-2)).toEqual([12_500, 1_234_000]);
    const msg =
      'numbers: line 64 ("12,5") proves a decimal comma, and so that a dot groups thousands in this file (a writer of decimal commas writes no dot fractions), but 1 value before it (first at line 3: "1.234") was read with a decimal point (1.234 rather than 1234) and is wrong';
    expect(run.acc.alerts).toEqual([msg]);
  });

  test('a PDD value grouped in threes is whole milliseconds there; one refused for its dot leaves its row without a PDD', () => {
    const run = bothPaths('p.csv', semi(['12,5', '30'], 'Setup Time;Carrier;SIP Code;Billsec;PDD', '3.513'));
    expect(run.records.map((r) => r.pdd)).toEqual([3513, 3513]);
    expect(run.acc.notes).toContain('PDD column read in milliseconds (largest value in the first rows 3513)');
    // A dot fraction further down (the first rows show none, or dots would be decimal points): that PDD is left out.
    const rows = [...semi(['12,5', ...Array.from({ length: 60 }, () => '7')], undefined, '3.513').toString().trimEnd().split('\n'), '05.03.2024 12:00:00;va;200;7;3.5'];
    const late = bothPaths('p.csv', Buffer.from(`${rows.join('\n')}\n`));
    expect(late.records.at(-1)!.pdd).toBeUndefined();
    expect(late.acc.malformed).toBe(0);
    expect(late.acc.notes.some((n) => n.startsWith('PDD values with a dot not read on 1 row'))).toBe(true);
  });

  test('a decimal-comma file whose first rows write a dot fraction ("0.850") keeps dots as decimal points', () => {
    const text = 'Setup Time;Carrier;SIP Code;Billsec;PDD\n05.03.2024 10:00:00;va;200;12,5;0.850\n05.03.2024 10:01:00;va;200;1.234;3.513\n';
    const run = bothPaths('p.csv', Buffer.from(text));
    expect(run.records.map((r) => [r.duration, Math.round(r.pdd!)])).toEqual([
      [12_500, 850],
      [1234, 3513],
    ]);
    expect(run.acc.malformed).toBe(0);
    expect(run.acc.notes).toContain('numbers: a dot is a decimal point in this file, as its first rows write it ("0.850"), though a comma is one too');
  });

  test('a ","-delimited file is untouched: a dot is a decimal point', () => {
    const run = bothPaths('c.csv', Buffer.from('Setup Time,Vendor,SIP Code,Billsec,PDD\n2024-03-05 10:00:00,va,200,1.234,3.513\n2024-03-05 10:01:00,va,200,"1,234.5",2.5\n'));
    expect(talk(run)).toEqual([1234, 1_234_500]);
    expect(run.records.map((r) => r.pdd)).toEqual([3513, 2500]);
  });

  test('helpers', () => {
    expect(['1.234', '12.345.678', '999.000'].map(dotGrouped)).toEqual([true, true, true]);
    expect(['1.23', '1234.567', '0.123', '12.5'].map(dotGrouped)).toEqual([false, false, false, false]);
    expect(['1.234,5', '1.234.567'].map(dotsProof)).toEqual([true, true]);
    expect(['1.234', '12,5', '1,234.5'].map(dotsProof)).toEqual([false, false, false]);
    expect(guessCommaConvention(['1.234', '1.234,5'], 59)).toMatchObject({ comma: 'decimal', dots: '1.234,5' });
    expect(guessCommaConvention(['1.234', '3,6'], 59)).toMatchObject({ comma: 'decimal', decimal: '3,6' });
    expect(guessCommaConvention(['1.234'], 59)).toMatchObject({ comma: 'decimal' });
    expect(guessCommaConvention(['1.234'], 59).dots).toBeUndefined();
  });
});
