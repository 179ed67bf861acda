/**
 * Dots grouping thousands in a decimal-comma file (audit 3B, finding 4): once the file shows it (`1.234,5`),
 * `1.234` is 1234, not 1.234 s. Before a proof met further down, `1.234` is ambiguous (refused) in a file whose
 * decimal comma a value proved, and read with a decimal point in one that only its `;` delimiter makes
 * decimal-comma: then, if the proof comes, the notes and stderr say how many values before it are wrong.
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

  test('"1.234.567" proves it too; a dot that groups nothing ("12.5") is then refused with the reason', () => {
    const run = bothPaths('de.csv', semi(['1.234.567', '1.234', '12.5']));
    expect(talk(run)).toEqual([1_234_567_000, 1_234_000]);
    expect(run.acc.anomalies).toEqual({ 'bad-number': 1 });
    expect(run.acc.samples[0]!.detail).toBe('Billsec = "12.5": a dot groups thousands in this file (the first rows show it: "1.234.567"), and this value is not grouped in threes');
  });

  test('before a proof met further down: ambiguous where a value proved the decimal comma', () => {
    const rows = ['12,5', '1.234', ...Array.from({ length: 60 }, () => '7'), '1.234,5', '1.234'];
    const run = bothPaths('late.csv', semi(rows));
    expect(run.acc.anomalies).toEqual({ 'ambiguous-number': 1 });
    expect(run.acc.samples[0]).toMatchObject({ position: { line: 3 } });
    expect(run.acc.samples[0]!.detail).toBe(
      'Billsec = "1.234": 1234 with a dot grouping thousands or 1.234 with a decimal point? The file writes decimal commas (the first rows prove it: "12,5"), and no row has shown dots grouping thousands ("1.234,5") so far',
    );
    expect(talk(run).slice(-2)).toEqual([1_234_500, 1_234_000]);
    expect(run.acc.alerts).toBeUndefined();
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

  test('a PDD value refused for its dot leaves its row without a PDD, counted in the notes', () => {
    const run = bothPaths('p.csv', semi(['12,5', '30'], 'Setup Time;Carrier;SIP Code;Billsec;PDD', '3.513'));
    expect(run.records.map((r) => r.pdd)).toEqual([undefined, undefined]);
    expect(run.acc.malformed).toBe(0);
    expect(run.acc.notes.some((n) => n.startsWith('PDD values with a dot not read on 2 rows'))).toBe(true);
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
    expect(guessCommaConvention(['1.234', '1.234,5'], 59)).toMatchObject({ comma: 'decimal', dots: '1.234,5', proven: true });
    expect(guessCommaConvention(['1.234'], 59)).toMatchObject({ comma: 'decimal' });
    expect(guessCommaConvention(['1.234'], 59).dots).toBeUndefined();
  });
});
