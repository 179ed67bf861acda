import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/asterisk/lines.js';
import { newStamp, readBracketStamp, readIsoStamp, stampAsUtc, zoneConverter } from '../../src/asterisk/time.js';
import { parseDialTarget, channelPeer } from '../../src/asterisk/channel.js';
import { reconciled, run } from './helpers.js';

function split(input: string, chunk: number, max?: number): Array<[string, number, boolean]> {
  const out: Array<[string, number, boolean]> = [];
  const s = new LineSplitter((b, st, e, n, _o, tooLong) => out.push([Buffer.from(b.subarray(st, e)).toString('latin1'), n, tooLong]), max);
  const data = Buffer.from(input, 'latin1');
  for (let i = 0; i < data.length; i += chunk) s.push(data.subarray(i, i + chunk));
  s.end();
  return out;
}

describe('LineSplitter', () => {
  it('a handler that throws costs its line only, in any chunking, an over-long line included', () => {
    const input = 'one\nBOOM\nthree\nBOOM' + 'x'.repeat(40) + '\nfive\nsix';
    for (const chunk of [1, 3, 7, 1000]) {
      const seen: string[] = [];
      const errors: string[] = [];
      const s = new LineSplitter(
        (b, st, e, n) => {
          const t = Buffer.from(b.subarray(st, e)).toString('latin1');
          if (t.includes('BOOM')) throw new Error(`line ${n}`);
          seen.push(t);
        },
        16,
        (err) => errors.push((err as Error).message),
      );
      const data = Buffer.from(input, 'latin1');
      for (let i = 0; i < data.length; i += chunk) s.push(data.subarray(i, i + chunk));
      s.end();
      expect(seen, `chunk ${chunk}`).toEqual(['one', 'three', 'five', 'six']);
      expect(errors, `chunk ${chunk}`).toEqual(['line 2', 'line 4']);
      expect(s.lines).toBe(6);
    }
    // Without onError the error is the caller's.
    expect(() => new LineSplitter(() => { throw new Error('x'); }).push(Buffer.from('a\n'))).toThrow('x');
  });

  it('LF, CRLF, empty lines and a last line without newline, in any chunking', () => {
    const input = 'a\r\nbb\n\r\n\nccc';
    const expected = [
      ['a', 1, false],
      ['bb', 2, false],
      ['', 3, false],
      ['', 4, false],
      ['ccc', 5, false],
    ];
    for (const c of [1, 2, 3, 5, 100]) expect(split(input, c)).toEqual(expected);
  });

  it('a line over the cap is reported once, cut, and the next line is intact', () => {
    const input = `short\n${'x'.repeat(50)}\nnext\n${'y'.repeat(30)}`;
    for (const c of [1, 4, 7, 1000]) {
      const got = split(input, c, 16);
      expect(got.map(([t, n, long]) => [t.length, n, long])).toEqual([
        [5, 1, false],
        [16, 2, true],
        [4, 3, false],
        [16, 4, true],
      ]);
    }
  });
});

describe('timestamps', () => {
  it('bracketed stamps with and without year and milliseconds', () => {
    const s = newStamp();
    const b = Buffer.from('[2023-11-14 22:13:20.123] [Nov  4 01:02:03] [Nov 14 22:13:20.5] [2023-02-30 1:00:00]');
    expect(readBracketStamp(b, 0, b.length, s)).toBe(25);
    expect(stampAsUtc(s, s.year)).toBe(Date.UTC(2023, 10, 14, 22, 13, 20, 123));
    expect(readBracketStamp(b, 26, b.length, s)).toBe(43);
    expect([s.hasYear, s.month, s.day, s.hour]).toEqual([false, 11, 4, 1]);
    expect(readBracketStamp(b, 44, b.length, s)).toBeGreaterThan(0);
    expect(s.ms).toBe(500);
    expect(readBracketStamp(b, 64, b.length, s)).toBe(-1);
  });

  it('RFC 3339 stamps with a zone', () => {
    const s = newStamp();
    const b = Buffer.from('2023-11-14T22:13:20.250+03:00 host');
    expect(readIsoStamp(b, 0, b.length, s)).toBe(29);
    expect(stampAsUtc(s, s.year) - s.zoneMin * 60_000).toBe(Date.UTC(2023, 10, 14, 19, 13, 20, 250));
  });

  it('--tz: fixed offsets and IANA zones across daylight saving time', () => {
    const local = (y: number, mo: number, d: number, h: number) => Date.UTC(y, mo - 1, d, h);
    expect(zoneConverter('+03:00')(local(2023, 11, 14, 12))).toBe(Date.UTC(2023, 10, 14, 9));
    expect(zoneConverter('-0500')(local(2023, 11, 14, 12))).toBe(Date.UTC(2023, 10, 14, 17));
    const ny = zoneConverter('America/New_York');
    expect(ny(local(2023, 7, 1, 12))).toBe(Date.UTC(2023, 6, 1, 16));
    expect(ny(local(2023, 12, 1, 12))).toBe(Date.UTC(2023, 11, 1, 17));
    expect(zoneConverter('Europe/Moscow')(local(2023, 11, 14, 22))).toBe(Date.UTC(2023, 10, 14, 19));
    expect(() => zoneConverter('Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('year inference: option, nearest full-date line, rollover at New Year', () => {
    const log = [
      '[2023-12-31 23:59:58] VERBOSE[1] pbx.c: start',
      "[Dec 31 23:59:59] NOTICE[1] chan_sip.c: Registration from '<sip:1@x>' failed for '192.0.2.1:5060' - Wrong password",
      "[Jan  1 00:00:01] NOTICE[1] chan_sip.c: Registration from '<sip:1@x>' failed for '192.0.2.1:5060' - Wrong password",
    ].join('\n');
    const r = run(Buffer.from(log));
    reconciled(r.acc);
    expect(r.security.map((e) => new Date(e.ts).toISOString())).toEqual(['2023-12-31T23:59:59.000Z', '2024-01-01T00:00:01.000Z']);
    expect(r.acc.notes.some((n) => n.includes('nearest earlier line with a full date'))).toBe(true);
    // --year gives the first year-less stamp its year; the next, in January, is in the year after
    const withYear = run(Buffer.from(log.split('\n').slice(1).join('\n')), 0, { year: 2019 });
    expect(withYear.security.map((e) => new Date(e.ts).toISOString())).toEqual(['2019-12-31T23:59:59.000Z', '2020-01-01T00:00:01.000Z']);
    expect(withYear.acc.notes).toContain('yearInferredFrom: 2 year-less timestamps took their year from the --year option');
    // and back: a log that starts in January read with the year of its first line
    const back = run(Buffer.from([log.split('\n')[2], log.split('\n')[1]].join('\n')), 0, { year: 2020 });
    expect(back.security.map((e) => new Date(e.ts).toISOString())).toEqual(['2020-01-01T00:00:01.000Z', '2019-12-31T23:59:59.000Z']);
  });

  it('--tz applies to log stamps', () => {
    const log = "[2023-07-01 12:00:00] NOTICE[1] chan_sip.c: Registration from '<sip:1@x>' failed for '192.0.2.1:5060' - Wrong password\n";
    const r = run(Buffer.from(log), 0, { tz: 'Europe/Berlin' });
    expect(new Date(r.security[0]!.ts).toISOString()).toBe('2023-07-01T10:00:00.000Z');
    expect(r.acc.notes).toContain('timestamps read as local time in Europe/Berlin');
  });

  it('a stamp is taken as the previous line\'s only when every byte is the same (each length, each position)', () => {
    // The repeated stamp is compared four bytes a step from its end, then the bytes before: a stamp one digit
    // away from the previous line's, at any position and for lengths 17 to 25, is read, not reused.
    const bases = ['[Nov 14 12:13:14]', '[Nov 14 12:13:14.5]', '[2023-11-14 12:13:14]', '[2023-11-14 12:13:14.1]', '[2023-11-14 12:13:14.12]', '[2023-11-14 12:13:14.123]'];
    const epoch = (t: string): number => {
      const s = newStamp();
      const b = Buffer.from(t);
      return readBracketStamp(b, 0, b.length, s) === b.length ? stampAsUtc(s, s.hasYear ? s.year : 2023) : NaN;
    };
    for (const base of bases) {
      const lines: string[] = [];
      const want: number[] = [];
      for (let k = 1; k < base.length - 1; k++) {
        const c = base.charCodeAt(k);
        if (c < 48 || c > 57) continue;
        const other = base.slice(0, k) + String.fromCharCode(c === 48 ? 49 : c - 1) + base.slice(k + 1);
        if (Number.isNaN(epoch(other))) continue;
        const m = `C-${want.length.toString(16).padStart(8, '0')}`;
        lines.push(
          `${base} VERBOSE[1][${m}] pbx.c: Executing [555@ctx:1] Dial("SIP/100-${m}", "SIP/alpha/555,30") in new stack`,
          `${other} VERBOSE[1][${m}] app_dial.c: Called SIP/alpha/555`,
          `${other} VERBOSE[1][${m}] app_dial.c: Nobody picked up in 30000 ms`,
        );
        want.push(epoch(other));
      }
      expect(want.length).toBeGreaterThanOrEqual(8);
      expect(want).not.toContain(epoch(base));
      const r = run(Buffer.from(lines.join('\n')), 0, { year: 2023 });
      expect(r.records.map((x) => x.start)).toEqual(want);
    }
  });
});

describe('Dial destinations and channel names', () => {
  it('peer and number of each destination form', () => {
    expect(parseDialTarget('SIP/alpha/5551234')).toEqual({ tech: 'SIP', peer: 'alpha', number: '5551234' });
    expect(parseDialTarget('SIP/+15038419766@twilio-termination')).toEqual({ tech: 'SIP', peer: 'twilio-termination', number: '+15038419766' });
    expect(parseDialTarget('SIP/555@203.0.113.5:5061')).toEqual({ tech: 'SIP', peer: '203.0.113.5', number: '555' });
    expect(parseDialTarget('PJSIP/5551234@alpha')).toEqual({ tech: 'PJSIP', peer: 'alpha', number: '5551234' });
    expect(parseDialTarget('PJSIP/alpha/sip:5551234@203.0.113.5:5060')).toEqual({ tech: 'PJSIP', peer: 'alpha', number: '5551234' });
    expect(parseDialTarget('PJSIP/1001')).toEqual({ tech: 'PJSIP', peer: '1001' });
    expect(parseDialTarget('IAX2/user:secret@alpha/555')).toEqual({ tech: 'IAX2', peer: 'alpha', number: '555' });
    expect(parseDialTarget('IAX2/alpha/555@ctx')).toEqual({ tech: 'IAX2', peer: 'alpha', number: '555' });
    expect(parseDialTarget('nonsense')).toBeUndefined();
    expect(channelPeer('SIP/twilio-termination-0000000d')).toBe('twilio-termination');
    expect(channelPeer('PJSIP/alpha-00000003')).toBe('alpha');
  });
});
