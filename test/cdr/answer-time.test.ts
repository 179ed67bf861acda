/**
 * A CDR without answer times says nothing about how fast calls were answered: its answered rows must
 * give no PDD and no `short-pdd` evidence (the start is not an answer time).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyze } from '../../src/pipeline.js';
import { flagNames } from '../../src/types.js';
import { runCdr } from './helpers.js';

/** 60 rows, every other one answered for 8–12 s: no answer, end or PDD column (the audit's case). */
function noAnswerColumn(): string {
  let s = 'Start Time,Vendor,Caller,Callee,Disposition,Billsec\n';
  for (let i = 0; i < 60; i++) {
    const t = `2024-03-05 10:${String(i).padStart(2, '0')}:00`;
    s += i % 2 === 0 ? `${t},v1,${1000 + i},${2000 + i},ANSWERED,${8 + (i % 5)}\n` : `${t},v1,${1000 + i},${2000 + i},NO ANSWER,0\n`;
  }
  return s;
}

describe('CDR rows answered at a time the data does not give', () => {
  test('records: answered (200, talk time from billsec), answer time unknown', () => {
    const { records, acc } = runCdr('noanswer.csv', Buffer.from(noAnswerColumn()));
    const answered = records.filter((r) => r.finalCode === 200);
    expect(answered.length).toBe(30);
    expect(answered.every((r) => r.answer === undefined && r.pdd === undefined && r.duration! >= 8000)).toBe(true);
    expect(acc.notes).toContain('answer time unknown (no answer column, no end time with billsec) for 30 answered rows: counted as answered, with no PDD and no answer delay');
  });

  test('with a PDD column the note does not say "no PDD" (audit 3B, finding 13): the PDD comes from that column', () => {
    // The same rows with a `PDD (s)` column: on every row, or empty on every third.
    const withPdd = (pdd: (i: number) => string): string =>
      noAnswerColumn()
        .split('\n')
        .map((l, i) => (i === 0 ? `${l},PDD (s)` : l === '' ? l : `${l},${pdd(i)}`))
        .join('\n');
    const some = runCdr('pdd.csv', Buffer.from(withPdd((i) => (i % 3 === 0 ? '' : '2.5'))));
    expect(some.records.filter((r) => r.finalCode === 200 && r.pdd === undefined).length).toBe(10);
    expect(some.acc.notes).toContain(
      'answer time unknown (no answer column, no end time with billsec) for 30 answered rows: counted as answered, with no answer delay (PDD from the PDD column "PDD (s)" on 20 of them, none on the others)',
    );
    const every = runCdr('pdd.csv', Buffer.from(withPdd(() => '2.5')));
    expect(every.records.filter((r) => r.finalCode === 200).every((r) => r.pdd === 2500)).toBe(true);
    expect(every.acc.notes).toContain('answer time unknown (no answer column, no end time with billsec) for 30 answered rows: counted as answered, with no answer delay (PDD from the PDD column "PDD (s)")');
  });

  test('analyze: no PDD, short-pdd not measured (calls 0, value null), the route not flagged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipscope-cdr-'));
    try {
      const file = join(dir, 'noanswer.csv');
      writeFileSync(file, noAnswerColumn());
      const res = await analyze([file], { now: new Date(0) });
      const route = res.routes.find((r) => r.route === 'v1')!;
      expect(route.answered).toBe(30);
      expect(route.pddSuccess.count).toBe(0);
      expect(route.acdSec).toBe(10);
      const fas = res.fas.find((f) => f.route === 'v1')!;
      const shortPdd = fas.signals.find((s) => s.id === 'short-pdd')!;
      expect([shortPdd.calls, shortPdd.value, shortPdd.hit]).toEqual([0, null, false]);
      expect(fas.flagged).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('times out of order in a CDR row', () => {
  test('an answer before the start or an end before the answer: the TimeBackwards flag, no made-up talk time', () => {
    const csv = [
      'Call ID,Setup Time,Connect Time,Disconnect Time,ANI,DNIS,Vendor,SIP Code,Duration',
      'c1,2024-03-05 09:00:10,2024-03-05 09:00:05,2024-03-05 09:00:30,1,2,v,200,25',
      'c2,2024-03-05 09:00:10,2024-03-05 09:00:15,2024-03-05 09:00:12,1,2,v,200,',
      'c3,2024-03-05 09:00:10,,2024-03-05 09:00:02,1,2,v,486,',
      'c4,2024-03-05 09:00:10,2024-03-05 09:00:15,2024-03-05 09:00:30,1,2,v,200,15',
    ].join('\n');
    const { records } = runCdr('back.csv', Buffer.from(`${csv}\n`));
    expect(records.map((r) => [r.callId, flagNames(r.flags), r.duration])).toEqual([
      ['c1', ['TimeBackwards'], 25_000],
      ['c2', ['TimeBackwards'], undefined],
      ['c3', ['TimeBackwards'], undefined],
      ['c4', [], 15_000],
    ]);
  });
});
