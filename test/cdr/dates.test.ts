import { describe, expect, test } from 'vitest';
import { DateParser, NO_DATE, guessDayFirst, parseZone } from '../../src/cdr/dates.js';

function p(text: string, dp = new DateParser()): number {
  const b = Buffer.from(text);
  return dp.parse(b, 0, b.length);
}
const T = Date.UTC(2024, 2, 5, 13, 4, 5);

describe('CDR dates', () => {
  test.each([
    ['2024-03-05 13:04:05', T],
    ['2024-03-05T13:04:05', T],
    ['2024-03-05T13:04:05Z', T],
    ['2024-03-05T16:04:05+03:00', T],
    ['2024-03-05T16:04:05+0300', T],
    ['2024-03-05 08:04:05 -05:00', T],
    ['2024-03-05 13:04:05 UTC', T],
    ['2024-03-05 13:04:05.250', T + 250],
    ['2024-03-05 13:04', T - 5000],
    ['2024/03/05 13:04:05', T],
    ['2024/3/5 13:04:05', T],
    ['05/03/2024 13:04:05', T],
    ['05.03.2024 13:04:05', T],
    ['5/3/24 13:04:05', T],
    ['05/03/2024 1:04:05 PM', T],
    ['1709643845', T],
    ['1709643845.5', T + 500],
    ['1709643845000', T],
    ['20240305130405', T],
    ['2024-03-05', Date.UTC(2024, 2, 5)],
  ])('%s', (text, want) => {
    expect(p(text)).toBe(want);
  });

  test.each(['', '   ', 'NULL', '\\N', '0000-00-00 00:00:00'])('no date: %j', (text) => {
    expect(p(text)).toBe(NO_DATE);
  });

  test.each(['2024-13-05 10:00:00', '2024-02-30 10:00:00', '2024-03-05 24:00:00', 'yesterday', '12345', '2024-03-05 10:00:00 Europe', '31/31/2024', '2024-03-05 1x:00:00'])(
    'unreadable: %j',
    (text) => {
      expect(Number.isNaN(p(text))).toBe(true);
    },
  );

  test('m/d/Y when the file says so', () => {
    expect(p('03/05/2024 13:04:05', new DateParser(undefined, false))).toBe(T);
  });

  test('day order from the values seen', () => {
    expect(guessDayFirst(['01/02/2024 10:00', '15/02/2024 10:00']).dayFirst).toBe(true);
    expect(guessDayFirst(['02/01/2024 10:00', '02/15/2024 10:00']).dayFirst).toBe(false);
    expect(guessDayFirst(['01/02/2024', '03/04/2024'])).toEqual({ dayFirst: undefined, seen: 2 });
    expect(guessDayFirst(['2024-01-02'])).toEqual({ dayFirst: undefined, seen: 0 });
  });

  test('local time zones: fixed offsets and IANA with DST', () => {
    expect(p('2024-03-05 13:04:05', new DateParser(parseZone('+03:00')))).toBe(T - 3 * 3_600_000);
    const ny = new DateParser(parseZone('America/New_York'));
    expect(p('2024-01-15 12:00:00', ny)).toBe(Date.UTC(2024, 0, 15, 17));
    expect(p('2024-07-15 12:00:00', ny)).toBe(Date.UTC(2024, 6, 15, 16));
    // An explicit zone in the value wins over --tz.
    expect(p('2024-07-15T12:00:00Z', ny)).toBe(Date.UTC(2024, 6, 15, 12));
    expect(parseZone('UTC')).toBeUndefined();
    expect(() => parseZone('Mars/Olympus')).toThrow();
  });
});
