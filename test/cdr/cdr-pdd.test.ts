/**
 * (For test/cdr/ once defect1-no-pdd-from-cdr-times.patch is in.) A CDR with no PDD or ring column gives
 * no PDD in `analyze`, as `calls` shows none: its answer and end times are not setup delays.
 */
import { describe, expect, test } from 'vitest';
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
