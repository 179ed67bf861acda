/**
 * A CDR with no PDD or ring column gives no PDD in `analyze`, as `calls` shows none: its answer and end times
 * are not setup delays. A PDD column's unit is chosen per column, and a value no setup can take is left out.
 */
import { describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/pipeline.js';

describe('CDR PDD comes only from the data', () => {
  test('Master.csv (answer column, no PDD column): pddSuccess and pddFailure are empty', async () => {
    const file = fileURLToPath(new URL('../../fixtures/cdr/master18.csv', import.meta.url));
    const res = await analyze([file], { now: new Date(0) });
    expect(res.totals.answered).toBeGreaterThan(0);
    expect([res.totals.pddSuccess.count, res.totals.pddFailure.count]).toEqual([0, 0]);
  });

  test('a carrier export with a PDD column still gives its PDD', async () => {
    const file = fileURLToPath(new URL('../../fixtures/sample/carrier-day.cdr.csv', import.meta.url));
    const res = await analyze([file], { now: new Date(0) });
    expect(res.totals.pddSuccess.count).toBeGreaterThan(0);
  });
});

describe('the unit of a PDD column', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-pdd-'));
  const csv = (name: string, pdds: string[]): string => {
    const rows = pdds.map((p, i) => `2024-03-01 10:0${i}:00,v,74950000${i},200,${p},30`);
    const f = join(dir, name);
    writeFileSync(f, ['start,vendor,dst,sipcode,pdd,billsec', ...rows].join('\n') + '\n');
    return f;
  };

  test('is chosen for the column, from its first rows: whole numbers of 100 or more are milliseconds', async () => {
    const res = await analyze([csv('ms.csv', ['2', '3', '250'])], { now: new Date(0) });
    expect(res.inputs[0]!.notes).toContain('PDD column read in milliseconds (largest value in the first rows 250)');
    expect(res.totals.pddSuccess.medianMs).toBe(3);
  });

  test('a value that no setup takes (seconds read from a millisecond column) is left out, and the notes say so', async () => {
    const res = await analyze([csv('mixed.csv', ['1.5', '2300', '2.5'])], { now: new Date(0) });
    const notes = res.inputs[0]!.notes;
    expect(notes).toContain('PDD column read in seconds (fractional values)');
    expect(notes.find((n) => n.startsWith('PDD over 300 s'))).toBe('PDD over 300 s on 1 row (up to 2300 s): left out of the PDD figures; if the column is in milliseconds, say so in its header (`PDD (ms)`)');
    expect(res.totals.pddSuccess.count).toBe(2);
    expect(res.totals.pddSuccess.meanMs).toBe(2000);
    expect(res.totals.answered).toBe(3);
  });
});
