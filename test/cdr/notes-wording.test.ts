/**
 * Counts in the CDR notes agree with their nouns (re-audit N7 and its last remark): "for 1 answered rows",
 * "1 fields", "the first 1 rows fit" and "1 rows wider … were split" read as slips in a report a NOC hands on.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { bothPaths, runCdr } from './helpers.js';

describe('notes: one of a thing is one', () => {
  test('answer times derived or unknown for 1 answered row', () => {
    const derived = bothPaths('d.csv', Buffer.from('Start,End,Vendor,Billsec\n2024-03-05 10:00:00,2024-03-05 10:00:40,v,30\n'));
    expect(derived.acc.notes).toContain('answer time derived as end − billsec for 1 answered row');
    const unknown = bothPaths('u.csv', Buffer.from('Start,Vendor,Billsec\n2024-03-05 10:00:00,v,30\n'));
    expect(unknown.acc.notes).toContain('answer time unknown (no answer column, no end time with billsec) for 1 answered row: counted as answered, with no PDD and no answer delay');
    const two = bothPaths('u.csv', Buffer.from('Start,Vendor,Billsec\n2024-03-05 10:00:00,v,30\n2024-03-05 10:01:00,v,31\n'));
    expect(two.acc.notes).toContain('answer time unknown (no answer column, no end time with billsec) for 2 answered rows: counted as answered, with no PDD and no answer delay');
  });

  test('a row of 1 field, a fixed layout fitting its first row, a row wider than the fast arrays', () => {
    const short = bothPaths('s.csv', Buffer.from('Start,Vendor,SIP Code\n2024-03-05 10:00:00,v,486\nlonely\n'));
    expect(short.acc.samples[0]).toMatchObject({ name: 'too-few-columns', detail: '1 field, the layout needs 3' });
    const master = readFileSync(new URL('../../fixtures/cdr/master18.csv', import.meta.url), 'utf8').split('\n')[0]!;
    expect(runCdr('Master.csv', Buffer.from(`${master}\n`)).acc.notes).toContain('100% of the first row fits; 18 columns');
    const wide = runCdr('w.csv', Buffer.from(`Start,Vendor,SIP Code\n2024-03-05 10:00:00,v,486${',x'.repeat(300)}\n`));
    expect(wide.acc.notes).toContain("1 row wider than the fast splitter's arrays was split by csv-parse");
  });
});
