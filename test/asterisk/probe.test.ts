import { describe, expect, it } from 'vitest';
import { stampSpan } from '../../src/asterisk/probe.js';

const b = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const T = (iso: string): number => Date.parse(iso);

describe('the first and last time stamps of a piece of a log', () => {
  it('reads every stamped form the reader reads', () => {
    const text = [
      '    -- a console line with no stamp',
      '[2024-03-05 09:00:01.250] VERBOSE[3000][C-00000001] pbx.c: Executing',
      '<13>Mar  5 09:00:02 pbx asterisk[1]: NOTICE[2]: chan_sip.c: x',
      '<133>1 2024-03-05T09:00:03.000Z pbx asterisk 1 - - NOTICE[2]: x',
      '2024-03-05T09:00:04+0000 pbx asterisk[1]: NOTICE[2]: x',
      '{"hostname":"pbx","timestamp":"2024-03-05 09:00:05.500","identifiers":{},"logmsg":{"level":"VERBOSE","message":"x"}}',
      'Mar  5 09:00:06 pbx asterisk[1]: VERBOSE[2]: x',
      '[Mar  5 09:00:00] VERBOSE[1] an older line last: the last is the latest, not the last line',
      '',
    ].join('\n');
    expect(stampSpan(b(text), true, { year: 2024 })).toEqual({ first: T('2024-03-05T09:00:01.250Z'), last: T('2024-03-05T09:00:06Z'), yearGuessed: false });
    // year-less stamps with no option and no full date before them take the clock's year, and say so
    expect(stampSpan(b('[Mar  5 09:00:00] VERBOSE[1] a\n'), true)!.yearGuessed).toBe(true);
  });

  it('a head skips its last line when the read cut it; a tail skips its first', () => {
    const head = '[2024-03-05 09:00:01] VERBOSE[1] a\n[2024-03-05 09:00:09] VERBOSE[1] b cut he';
    expect(stampSpan(b(head), true)).toEqual({ first: T('2024-03-05T09:00:01Z'), last: T('2024-03-05T09:00:01Z'), yearGuessed: false });
    const tail = '05 09:00:01] VERBOSE[1] cut\n[2024-03-05 09:00:07] VERBOSE[1] c\n[2024-03-05 09:00:08] VERBOSE[1] d';
    expect(stampSpan(b(tail), false)).toEqual({ first: T('2024-03-05T09:00:07Z'), last: T('2024-03-05T09:00:08Z'), yearGuessed: false });
    expect(stampSpan(b('no stamp here\nnor here\n'), true)).toBeUndefined();
  });

  it('reads local times in the zone asked for', () => {
    expect(stampSpan(b('[2024-03-05 09:00:00] VERBOSE[1] a\n'), true, { tz: '+03:00' })!.first).toBe(T('2024-03-05T06:00:00Z'));
  });
});
