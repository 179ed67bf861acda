/**
 * A US m/d/Y export whose first rows are ambiguous (audit 3B, finding 5): d/m/Y was guessed, and from the 13th of
 * the month on every row was `bad-date`. Now the first date that proves m/d/Y turns the reader to m/d/Y for the
 * rows from there on; the dates read before it were read day-first, which the notes and stderr (alerts) say with
 * their number and `--map date=mdy`. A date in the other order in a file whose order is settled says
 * "13 is not a month" and why.
 */
import { describe, expect, test } from 'vitest';
import { inputLines } from '../../src/cli/input-lines.js';
import { bothPaths } from './helpers.js';

/** The audit us-dates.csv: 12 rows a day, 3/1/2024 to 3/19/2024, sorted by time. */
function usDates(): Buffer {
  let s = 'Date,Vendor,SIP Code,Billsec\n';
  for (let d = 1; d <= 19; d++) for (let h = 0; h < 24; h += 2) s += `3/${d}/2024 ${h}:00,va,200,60\n`;
  return Buffer.from(s);
}

describe('a day order proven part-way', () => {
  test('m/d/Y proven at 3/13: the rows from there read m/d/Y; the 132 dates before are said wrong, on stderr too', () => {
    const run = bothPaths('us-dates.csv', usDates());
    expect(run.acc.malformed).toBe(0);
    expect(run.records.length).toBe(228);
    const day = (i: number): string => new Date(run.records[i]!.start).toISOString().slice(0, 10);
    expect([day(0), day(12), day(144), day(227)]).toEqual(['2024-01-03', '2024-02-03', '2024-03-13', '2024-03-19']);
    const msg =
      'a/b/Y dates: line 146 ("3/13/2024 0:00"): 13 is not a month: this file writes m/d/Y, but its first rows were ambiguous and read as d/m/Y: 132 dates before line 146 are wrong (day and month swapped; read as m/d/Y from there on); rerun with --map date=mdy';
    expect(run.acc.alerts).toEqual([msg]);
    expect(run.acc.notes).toContain(msg);
    expect(inputLines([run.acc])).toEqual([`sipscope: us-dates.csv: ${msg}\n`]);
  });

  test('with --map date=mdy every date is right and nothing is said', () => {
    const run = bothPaths('us-dates.csv', usDates(), { columnMap: { date: 'mdy' } });
    expect(new Date(run.records[0]!.start).toISOString().slice(0, 10)).toBe('2024-03-01');
    expect(run.acc.alerts).toBeUndefined();
  });

  test('a guess that a later date proves right (d/m/Y) only gets a note', () => {
    const text = 'Date,Vendor,SIP Code\n3/1/2024 0:00,va,200\n5/2/2024 0:00,va,200\n' + Array.from({ length: 60 }, () => '1/1/2024 0:00,va,486\n').join('') + '25/3/2024 0:00,va,200\n';
    const run = bothPaths('eu.csv', Buffer.from(text));
    expect(run.acc.alerts).toBeUndefined();
    expect(run.acc.notes).toContain('a/b/Y dates: line 64 ("25/3/2024 0:00") proves d/m/Y, as they were read');
    expect(new Date(run.records[0]!.start).toISOString().slice(0, 10)).toBe('2024-01-03');
  });

  test('a date in the other order once the order is settled: bad-date, and the sample says why', () => {
    const proven = bothPaths('p.csv', Buffer.from(`Date,Vendor,SIP Code\n25/3/2024 0:00,va,200\n${'1/1/2024 0:00,va,486\n'.repeat(60)}3/13/2024 0:00,va,200\n`));
    expect(proven.acc.samples[0]!.detail).toBe('Date = "3/13/2024 0:00": 13 is not a month: the first rows prove d/m/Y ("25/3/2024 0:00"); this file mixes both orders');
    const mixed = bothPaths('x.csv', Buffer.from('Date,Vendor,SIP Code\n25/3/2024 0:00,va,200\n3/13/2024 0:00,va,200\n'));
    expect(mixed.acc.samples[0]!.detail).toBe('Date = "3/13/2024 0:00": 13 is not a month: the first rows write a/b/Y dates in both orders, read as d/m/Y; --map date=mdy reads the others');
    const mapped = bothPaths('m.csv', Buffer.from('Date,Vendor,SIP Code\n3/13/2024 0:00,va,200\n'), { columnMap: { date: 'dmy' } });
    expect(mapped.acc.samples[0]!.detail).toBe('Date = "3/13/2024 0:00": 13 is not a month: --map date=dmy reads a/b/Y dates as d/m/Y');
    const later = bothPaths('l.csv', Buffer.from(`Date,Vendor,SIP Code\n${'3/1/2024 0:00,va,200\n'.repeat(60)}3/13/2024 0:00,va,200\n25/3/2024 0:00,va,200\n`));
    expect(later.acc.samples[0]!.detail).toBe('Date = "25/3/2024 0:00": 25 is not a month: line 62 ("3/13/2024 0:00") proved m/d/Y; this file mixes both orders');
  });
});
