/**
 * A cause cell costs its length once (re-audit N1). The cause reader was a regex with two blank runs around an
 * optional separator (`q\.?850\s*[;:,]?\s*`, `cause\s*[=:]?\s*`): on a cell that fails to match it tried every
 * split of a long blank run, so the time grew with the square of the cell (a 117 KiB file of one row: 6.5 s;
 * a 3 MB CDR: 40 s), and each distinct cell paid again. Now a cell over MAX_CAUSE_CELL characters is unread
 * before anything parses it, and the parse is a walk that looks at each character once.
 */
import { describe, expect, test } from 'vitest';
import { causeInfo, MAX_CAUSE_CELL } from '../../src/cdr/interpret.js';
import { runCdr } from './helpers.js';

const unread = (t: string): boolean => causeInfo(t).unread;

describe('cause cells: bounded work whatever the cell', () => {
  test('a cell over MAX_CAUSE_CELL characters is unread without being parsed; one at the bound is read', () => {
    // What the walk alone would read (a number, a blank, anything): the bound is what refuses the longer one.
    const at = `17 ${'x'.repeat(MAX_CAUSE_CELL - 3)}`;
    expect(at.length).toBe(MAX_CAUSE_CELL);
    expect(causeInfo(at)).toMatchObject({ q850: 17, sip: 486, unread: false });
    expect(unread(`${at}x`)).toBe(true);
    expect(unread(`USER_BUSY${' '.repeat(MAX_CAUSE_CELL)}x`)).toBe(true);
    // The re-audit's cells: 100,000 blanks between the prefix and the rest.
    for (const t of [`Q850${' '.repeat(100_000)}x1`, `cause${' '.repeat(100_000)}x`, ' '.repeat(100_000), `Q.850;${' '.repeat(100_000)};17`]) {
      expect(unread(t)).toBe(true);
    }
  });

  test('the walk reads every writing the regex read, and refuses what it refused', () => {
    const q = (t: string): unknown => [causeInfo(t).q850, causeInfo(t).unread];
    const read17 = ['17', '17.0', '17.000', 'Q.850;cause=17', 'q850:17', 'Q850 17', 'Q.850 ; 17', 'Q.850,cause = 17', 'cause=17', 'CAUSE: 17', 'cause17', '17 User busy', '17;text="User busy"', '17/486', '17(busy)', '17,x', '17\tbusy'];
    expect(read17.map(q)).toEqual(read17.map(() => [17, false]));
    const refused = ['17.5', '17.', '17x', '1234', 'Q.85017x', 'Q851 17', 'Q.850', 'cause=', 'x17', '17-busy', '.17', '128', '999'];
    expect(refused.map(unread)).toEqual(refused.map(() => true));
  });

  test('a CDR of such cells reads in a blink (it took seconds per row before), each row counted, its cell cut in the notes', () => {
    // 20 rows, each cause cell distinct (the interner does not help): Q.850 and Hangup Cause columns, 30,000 blanks.
    // Rows with billsec 30 keep their attempt on it; those with 0 have nothing else to go by (bad-code).
    const rows = Array.from({ length: 20 }, (_, i) => `2024-03-05 10:${String(i).padStart(2, '0')}:00,v,Q850${' '.repeat(30_000)}x${i},cause${' '.repeat(30_000)}y${i},${i % 2 ? 30 : 0}`);
    const text = Buffer.from(`Start,Vendor,Q850 Cause,Hangup Cause,Billsec\n${rows.join('\n')}\n`);
    const t0 = performance.now();
    // Both splitters, whole (1-byte chunks of 60,000-character rows cost the splitter itself, not this reader).
    const run = runCdr('redos.csv', text);
    const ref = runCdr('redos.csv', text, {}, { path: 'reference' });
    const ms = performance.now() - t0;
    expect(ref.records).toEqual(run.records);
    expect(run.records.length).toBe(10);
    expect(run.records.every((r) => r.finalCode === 200)).toBe(true);
    expect(run.acc.warnings).toEqual({ 'unread-cause': 10 });
    expect(run.acc.anomalies).toEqual({ 'bad-code': 10 });
    // A cell can be megabytes: the note and the samples show it cut.
    const note = run.acc.notes.find((n) => n.startsWith('10 rows with a Q.850 cause cell'))!;
    expect(note).toContain(`(first at line 3: "Q850${' '.repeat(36)}…")`);
    expect(note.length).toBeLessThan(300);
    expect(run.acc.samples[0]!.detail).toBe(`Q850 Cause = "Q850${' '.repeat(36)}…": not a Q.850 cause (1–127), a hangup cause name or a dial status; no other column gives the outcome`);
    // Well under a second now; the regex took about 0.8 s a row here (two such cells), over 30 s in all. The bound
    // is generous for a loaded machine.
    expect(ms).toBeLessThan(5_000);
  }, 20_000);
});
