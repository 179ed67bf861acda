/**
 * A billsec or duration past any real call (a 30,000-digit cell reads as Infinity; a value of years) is left
 * unknown and counted in a note, instead of making ACD, minutes or a derived answer time meaningless.
 */
import { describe, expect, test } from 'vitest';
import { MAX_TALK_MS } from '../../src/cdr/interpret.js';
import { reconciled, runCdr } from './helpers.js';

const csv = (bill: string, withEnd = false): Buffer =>
  Buffer.from(
    (withEnd ? 'Start,End,Vendor,SIP Code,Billsec\n' : 'Start,Vendor,SIP Code,Billsec\n') +
      [
        [`2024-03-05 10:00:00`, withEnd ? '2024-03-05 10:05:00' : undefined, 'v1', '200', bill],
        [`2024-03-05 10:01:00`, withEnd ? '2024-03-05 10:02:00' : undefined, 'v1', '200', '60'],
        [`2024-03-05 10:02:00`, withEnd ? '2024-03-05 10:02:05' : undefined, 'v1', '486', '0'],
      ]
        .map((r) => r.filter((c) => c !== undefined).join(','))
        .join('\n') +
      '\n',
  );

describe('implausible talk times', () => {
  for (const [name, bill] of [
    ['a 30,000-digit billsec', '9'.repeat(30_000)],
    ['a billsec of 40 days', String(40 * 86_400)],
  ] as const) {
    for (const withEnd of [false, true]) {
      test(`${name}${withEnd ? ', with an end column' : ''}: the row stays answered, its talk time unknown, one note`, () => {
        const { records, acc } = runCdr('bill.csv', csv(bill, withEnd));
        expect(reconciled(acc)).toBe(true);
        expect(records).toHaveLength(3);
        const r = records[0]!;
        expect(r.finalCode).toBe(200);
        expect(r.duration).toBeUndefined();
        if (r.answer !== undefined) expect(Number.isFinite(r.answer)).toBe(true);
        expect(records[1]!.duration).toBe(60_000);
        const notes = acc.notes.filter((n) => n.startsWith('billsec or duration over 31 days'));
        expect(notes).toHaveLength(1);
        expect(notes[0]).toContain('on 1 row (first at line 2: Billsec = ');
        expect(notes[0]!.length).toBeLessThan(300);
      });
    }
  }

  test('31 days exactly is believed', () => {
    const { records, acc } = runCdr('bill.csv', csv(String(MAX_TALK_MS / 1000)));
    expect(records[0]!.duration).toBe(MAX_TALK_MS);
    expect(acc.notes.some((n) => n.startsWith('billsec or duration over'))).toBe(false);
  });
});
