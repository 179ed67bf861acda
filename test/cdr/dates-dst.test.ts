import { describe, expect, test } from 'vitest';
import { DateParser, parseZone } from '../../src/cdr/dates.js';
import { runCdr } from './helpers.js';

/**
 * CDR dates under `--tz` at the changes of daylight saving time: a CDR's rows are not in time order, so a
 * repeated local time is read as its first pass (as java.time, Temporal and Python's fold=0 do), and the dates
 * read in a repeated or skipped span are counted for the notes instead of being guessed silently.
 */
function p(text: string, dp: DateParser): string {
  const b = Buffer.from(text);
  return new Date(dp.parse(b, 0, b.length)).toISOString();
}

describe('CDR dates at the changes of --tz', () => {
  test('the repeated hour is its first pass, the skipped hour takes the offset before the change, in every date shape', () => {
    const dp = new DateParser(parseZone('Europe/Berlin'));
    expect(p('2024-10-27 01:59:59', dp)).toBe('2024-10-26T23:59:59.000Z');
    expect(p('2024-10-27 02:30:00', dp)).toBe('2024-10-27T00:30:00.000Z');
    expect(p('27/10/2024 02:30', dp)).toBe('2024-10-27T00:30:00.000Z');
    expect(p('20241027023000', dp)).toBe('2024-10-27T00:30:00.000Z');
    expect(p('2024-10-27 03:00:00', dp)).toBe('2024-10-27T02:00:00.000Z');
    expect(p('2024-03-31 02:30:00', dp)).toBe('2024-03-31T01:30:00.000Z');
    expect(p('2024-03-31 03:00:00', dp)).toBe('2024-03-31T01:00:00.000Z');
    // a date with its own zone is not local time: not counted
    expect(p('2024-10-27 02:30:00+01:00', dp)).toBe('2024-10-27T01:30:00.000Z');
    expect(dp.zoneNotes()).toEqual([
      '3 dates fell in the hour repeated when Europe/Berlin turned its clocks back (2024-10-27 02:00–03:00, first at +02:00, then at +01:00): read as the first pass (+02:00); rows are not in time order, so a date of the second pass (+01:00) is read an hour early',
      '1 date fell in the hour skipped when Europe/Berlin turned its clocks forward (2024-03-31 02:00–03:00, from +01:00 to +02:00), local times that do not exist there: read at +01:00, the offset before the change (a clock step, or an export not written in that zone: check --tz)',
    ]);
  });

  test('no note without a change in the data, nor for UTC or a fixed offset', () => {
    const dp = new DateParser(parseZone('Europe/Berlin'));
    p('2024-10-26 02:30:00', dp);
    p('2024-10-28 02:30:00', dp);
    expect(dp.zoneNotes()).toEqual([]);
    const fixed = new DateParser(parseZone('+02:00'));
    p('2024-10-27 02:30:00', fixed);
    expect(fixed.zoneNotes()).toEqual([]);
    expect(new DateParser().zoneNotes()).toEqual([]);
  });

  test('the count is per parser (per input), across years', () => {
    const a = new DateParser(parseZone('America/New_York'));
    p('2023-11-05 01:30:00', a);
    p('2024-11-03 01:10:00', a);
    p('2024-11-03 01:20:00', a);
    expect(a.zoneNotes().map((n) => n.split(', first at')[0])).toEqual([
      '1 date fell in the hour repeated when America/New_York turned its clocks back (2023-11-05 01:00–02:00',
      '2 dates fell in the hour repeated when America/New_York turned its clocks back (2024-11-03 01:00–02:00',
    ]);
    expect(p('2024-11-03 01:20:00', a)).toBe('2024-11-03T05:20:00.000Z');
    expect(new DateParser(parseZone('America/New_York')).zoneNotes()).toEqual([]);
  });
});

describe('the CDR reader reports the dates it read in a repeated or skipped hour', () => {
  const row = (n: number, start: string): string =>
    `"","100","20${n}","default","","SIP/a-1","SIP/vendorA-${n}","Dial","SIP/vendorA/20${n}","${start}","${start}","${start}",60,60,"ANSWERED","DOCUMENTATION","${n}","",""\n`;
  const csv = Buffer.from(row(1, '2024-10-27 02:30:00') + row(2, '2024-10-27 02:40:00') + row(3, '2024-10-27 05:40:00'));

  test('--tz Europe/Berlin: one note counting the six dates of the repeated hour', () => {
    const { acc } = runCdr('dst.csv', csv, { tz: 'Europe/Berlin' });
    const notes = acc.notes.filter((n) => n.includes('fell in'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^6 dates fell in the hour repeated when Europe\/Berlin turned its clocks back \(2024-10-27 02:00–03:00/);
  });

  test('UTC or a fixed offset: no such note', () => {
    for (const tz of [undefined, '+02:00']) {
      const { acc } = runCdr('dst.csv', csv, tz === undefined ? {} : { tz });
      expect(acc.notes.filter((n) => n.includes('fell in'))).toEqual([]);
    }
  });
});
