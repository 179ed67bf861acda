import { describe, expect, it } from 'vitest';
import { createAsteriskLogSource } from '../../src/asterisk/index.js';
import { zoneConverter, zoneShifts } from '../../src/asterisk/time.js';
import { YearResolver } from '../../src/asterisk/year.js';
import { CallFlag, flagNames, type CallRecord, type InputAccounting, type SourceOptions } from '../../src/types.js';
import { reconciled, run } from './helpers.js';

/**
 * Local time stamps across the changes of daylight saving time (audit9b findings 3 and 4): a call whose hang-up
 * is stamped before its answer is flagged, not given a duration of 0; under `--tz`, the hour the clock repeats
 * is read in the log's order (first pass, then second), per input and across the seams of a rotated chain.
 */

const iso = (t: number | undefined): string => (t === undefined ? '' : new Date(t).toISOString());

/** The lines of one answered call: Dial at `t0`, ringing `+1 s`, answer `+3 s`, hang-up `+33 s` (or at `end`). */
function call(n: number, stamp: (dt: number) => string, t0: number, end?: number): string[] {
  const m = `C-${n.toString(16).padStart(8, '0')}`;
  const c = `PJSIP/customer-${(2 * n).toString(16).padStart(8, '0')}`;
  const v = `PJSIP/alpha-${(2 * n + 1).toString(16).padStart(8, '0')}`;
  const s = (dt: number) => stamp(t0 + dt * 1000);
  const e = end ?? t0 + 33_000;
  return [
    `${s(0)} VERBOSE[${3000 + n}][${m}] pbx.c: Executing [100${n}@from-customer:1] Dial("${c}", "PJSIP/100${n}@alpha,60") in new stack`,
    `${s(0)} VERBOSE[${3000 + n}][${m}] app_dial.c: Called PJSIP/100${n}@alpha`,
    `${s(1)} VERBOSE[${3000 + n}][${m}] app_dial.c: ${v} is ringing`,
    `${s(3)} VERBOSE[${3000 + n}][${m}] app_dial.c: ${v} answered ${c}`,
    `${stamp(e)} VERBOSE[${3000 + n}][${m}] bridge_channel.c: Channel ${v} left 'simple_bridge' basic-bridge <5eed>`,
    `${stamp(e)} VERBOSE[${3000 + n}][${m}] pbx.c: Spawn extension (from-customer, 100${n}, 2) exited non-zero on '${c}'`,
  ];
}

/** `[2024-10-27 02:10:00]` for a wall-clock time given as if UTC. */
const isoStamp = (local: number): string => `[${new Date(local).toISOString().slice(0, 19).replace('T', ' ')}]`;
/** `[Oct 27 02:10:00]` (no year). */
const monthStamp = (local: number): string => {
  const d = new Date(local);
  const mon = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  return `[${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}]`;
};
const L = (hms: string, day = '2024-10-27'): number => Date.parse(`${day}T${hms}Z`);

/** The audit's autumn.log: monotonic local starts 01:30, 02:10, 02:50, then (clock back) 02:10:30, 02:50:30, 03:10. */
function autumn(stamp = isoStamp): string {
  const starts = ['01:30:00', '02:10:00', '02:50:00', '02:10:30', '02:50:30', '03:10:00'];
  return starts.flatMap((h, i) => call(i + 1, stamp, L(h))).join('\n') + '\n';
}
const AUTUMN_UTC = ['2024-10-26T23:30:00.000Z', '2024-10-27T00:10:00.000Z', '2024-10-27T00:50:00.000Z', '2024-10-27T01:10:30.000Z', '2024-10-27T01:50:30.000Z', '2024-10-27T02:10:00.000Z'];

/** Reads files as one chain of rotated logs (continueWith between them): records and each file's accounting. */
function chain(files: string[], opts: SourceOptions): { records: CallRecord[]; accounts: InputAccounting[] } {
  const records: CallRecord[] = [];
  const src = createAsteriskLogSource('f0', { record: (r) => records.push(r) }, opts);
  const accounts = [src.accounting];
  files.forEach((f, k) => {
    if (k > 0) {
      src.continueWith(`f${k}`);
      accounts.push(src.accounting);
    }
    src.push(Buffer.from(f));
  });
  src.end();
  return { records, accounts };
}

describe('finding 3: a hang-up stamped before the answer', () => {
  // The audit's cross.log: answered 02:59:53, hung up 02:00:23 (the clock went back an hour in between).
  const cross = call(1, isoStamp, L('02:59:50'), L('02:00:23')).join('\n') + '\n';

  it('without --tz: no duration, flag TimeBackwards (not a 0-second call)', () => {
    const r = run(Buffer.from(cross));
    reconciled(r.acc);
    expect(r.records).toHaveLength(1);
    const c = r.records[0]!;
    expect(c.answer).toBe(L('02:59:53'));
    expect(c.duration).toBeUndefined();
    expect(flagNames(c.flags)).toEqual(['TimeBackwards']);
    expect(c.pdd).toBe(1000);
  });

  it('a first response stamped before the Called line: no PDD, flagged', () => {
    const lines = call(1, isoStamp, L('10:00:05'));
    lines[2] = lines[2]!.replace('[2024-10-27 10:00:06]', '[2024-10-27 10:00:01]');
    const c = run(Buffer.from(lines.join('\n'))).records[0]!;
    expect(c.pdd).toBeUndefined();
    expect(c.duration).toBe(30_000);
    expect(c.flags & CallFlag.TimeBackwards).toBe(CallFlag.TimeBackwards);
  });

  it('times in order keep their PDD and duration, unflagged (0 included)', () => {
    const lines = call(1, isoStamp, L('10:00:00'), L('10:00:03'));
    const c = run(Buffer.from(lines.join('\n'))).records[0]!;
    expect(c.duration).toBe(0);
    expect(c.pdd).toBe(1000);
    expect(c.flags & CallFlag.TimeBackwards).toBe(0);
  });

  it('with --tz Europe/Berlin: the hang-up is the second pass, 30 s after the answer', () => {
    const r = run(Buffer.from(cross), 0, { tz: 'Europe/Berlin' });
    const c = r.records[0]!;
    expect(iso(c.start)).toBe('2024-10-27T00:59:50.000Z');
    expect(iso(c.end)).toBe('2024-10-27T01:00:23.000Z');
    expect(c.duration).toBe(30_000);
    expect(c.flags).toBe(0);
  });
});

describe('finding 4: --tz and the hour the clock repeats', () => {
  it("the audit's autumn.log: the first pass at +02:00, the second at +01:00, and a note", () => {
    for (const chunk of [0, 97]) {
      const r = run(Buffer.from(autumn()), chunk, { tz: 'Europe/Berlin' });
      reconciled(r.acc);
      expect(r.records.map((c) => iso(c.start))).toEqual(AUTUMN_UTC);
      expect(r.records.every((c) => c.duration === 30_000 && c.flags === 0)).toBe(true);
      // 02:10:00–02:10:33 and 02:50:00–02:50:33 (4 stamps each) before the change, the same after it
      expect(r.acc.notes).toContain(
        "16 time stamps fell in the hour repeated when Europe/Berlin turned its clocks back (2024-10-27 02:00–03:00, first at +02:00, then at +01:00): read in the log's order, 8 as the first pass (+02:00) and 8 as the second (+01:00, after the clock went back)",
      );
    }
  });

  it('year-less stamps (with --year) are read the same way', () => {
    const r = run(Buffer.from(autumn(monthStamp)), 0, { tz: 'Europe/Berlin', year: 2024 });
    expect(r.records.map((c) => iso(c.start))).toEqual(AUTUMN_UTC);
  });

  it('the stamps of lines that are not call lines (DEBUG) tell the order too', () => {
    // A call line at 02:55 (first pass); DEBUG lines across the change; the next call at 02:58, an hour later.
    const debug = (t: string) => `[2024-10-27 ${t}] DEBUG[1] chan_pjsip.c: qualify`;
    const log = [
      ...call(1, isoStamp, L('02:55:00'), L('02:55:40')),
      debug('02:59:59'),
      debug('02:00:01'),
      debug('02:30:00'),
      ...call(2, isoStamp, L('02:58:00')),
    ].join('\n');
    const r = run(Buffer.from(log), 0, { tz: 'Europe/Berlin' });
    expect(r.records.map((c) => iso(c.start))).toEqual(['2024-10-27T00:55:00.000Z', '2024-10-27T01:58:00.000Z']);
  });

  it('a stamp a few seconds out of order stays in the first pass', () => {
    const log = [
      ...call(1, isoStamp, L('02:40:00'), L('02:40:40')),
      '[2024-10-27 02:40:37] VERBOSE[9] pbx.c: late line of another thread',
      ...call(2, isoStamp, L('02:41:00')),
    ].join('\n');
    const r = run(Buffer.from(log), 0, { tz: 'Europe/Berlin' });
    expect(r.records.map((c) => iso(c.start))).toEqual(['2024-10-27T00:40:00.000Z', '2024-10-27T00:41:00.000Z']);
    expect(r.acc.notes.some((n) => n.includes('as the first pass (+02:00) and 0 as the second'))).toBe(true);
  });

  it('the order is per input: a log that begins in the second pass has nothing before it to say so', () => {
    const first = run(Buffer.from(autumn()), 0, { tz: 'Europe/Berlin' });
    expect(iso(first.records[4]!.start)).toBe('2024-10-27T01:50:30.000Z');
    // Read alone after it, the same second-pass lines are read as the first pass: nothing is carried over.
    const alone = run(Buffer.from(call(5, isoStamp, L('02:50:30')).join('\n')), 0, { tz: 'Europe/Berlin' });
    expect(iso(alone.records[0]!.start)).toBe('2024-10-27T00:50:30.000Z');
  });

  it('a chain of rotated logs carries the order across the seam, and each file counts its own stamps', () => {
    // Rotated at the change: the first file ends at 02:59:59 (first pass) with a call in progress.
    const older = [...call(1, isoStamp, L('02:59:40'), L('02:00:10')).slice(0, 4), '[2024-10-27 02:59:59] VERBOSE[1] pbx.c: x'].join('\n') + '\n';
    const newer = [...call(1, isoStamp, L('02:59:40'), L('02:00:10')).slice(4), ...call(2, isoStamp, L('02:20:00'))].join('\n') + '\n';
    const { records, accounts } = chain([older, newer], { tz: 'Europe/Berlin' });
    expect(accounts[0]!.notes.some((n) => n.startsWith('read as one chain with f1'))).toBe(true);
    const [a, b] = records;
    expect(iso(a!.answer)).toBe('2024-10-27T00:59:43.000Z');
    expect(iso(a!.end)).toBe('2024-10-27T01:00:10.000Z');
    expect(a!.duration).toBe(27_000);
    expect(iso(b!.start)).toBe('2024-10-27T01:20:00.000Z');
    expect(accounts[0]!.notes.some((n) => n.includes(': read in the log\'s order, 4 as the first pass (+02:00) and 0 as the second'))).toBe(true);
    expect(accounts[1]!.notes.some((n) => n.startsWith('5 time stamps fell in the hour repeated') && n.includes('0 as the first pass (+02:00) and 5 as the second'))).toBe(true);
  });

  it('the skipped hour of spring: read at the offset before the change, and a note', () => {
    const log = call(1, isoStamp, L('02:30:00', '2024-03-31')).join('\n');
    const r = run(Buffer.from(log), 0, { tz: 'Europe/Berlin' });
    expect(iso(r.records[0]!.start)).toBe('2024-03-31T01:30:00.000Z');
    expect(r.records[0]!.duration).toBe(30_000);
    expect(r.acc.notes).toContain(
      '4 time stamps fell in the hour skipped when Europe/Berlin turned its clocks forward (2024-03-31 02:00–03:00, from +01:00 to +02:00), local times that do not exist there: read at +01:00, the offset before the change (a clock step, or a log not written in that zone: check --tz)',
    );
  });

  it('UTC, fixed offsets and times away from a change: no note, no change', () => {
    for (const tz of [undefined, '+02:00']) {
      const r = run(Buffer.from(autumn()), 0, tz === undefined ? {} : { tz });
      expect(r.acc.notes.some((n) => n.includes('time stamp'))).toBe(false);
    }
    const july = run(Buffer.from(call(1, isoStamp, L('02:30:00', '2024-07-01')).join('\n')), 0, { tz: 'Europe/Berlin' });
    expect(iso(july.records[0]!.start)).toBe('2024-07-01T00:30:00.000Z');
    expect(july.acc.notes.some((n) => n.includes('time stamp'))).toBe(false);
  });
});

describe('zone shifts and the stateless converter', () => {
  it('finds the changes of a year, to the minute', () => {
    const z = zoneShifts('Europe/Berlin')!;
    expect(z.shifts(2024).map((s) => [iso(s.at), s.before / 60_000, s.after / 60_000, iso(s.start), iso(s.end)])).toEqual([
      ['2024-03-31T01:00:00.000Z', 60, 120, '2024-03-31T02:00:00.000Z', '2024-03-31T03:00:00.000Z'],
      ['2024-10-27T01:00:00.000Z', 120, 60, '2024-10-27T02:00:00.000Z', '2024-10-27T03:00:00.000Z'],
    ]);
    // Lord Howe moves by half an hour; Santiago changes at local midnight
    expect(zoneShifts('Australia/Lord_Howe')!.shifts(2024).map((s) => [iso(s.start), iso(s.end)])).toEqual([
      ['2024-04-07T01:30:00.000Z', '2024-04-07T02:00:00.000Z'],
      ['2024-10-06T02:00:00.000Z', '2024-10-06T02:30:00.000Z'],
    ]);
    expect(zoneShifts('Asia/Tokyo')!.shifts(2024)).toEqual([]);
    expect(zoneShifts('+03:00')).toBeUndefined();
    expect(zoneShifts(undefined)).toBeUndefined();
  });

  it('a repeated time is its first pass, a skipped one takes the offset before the change; others as Intl says', () => {
    const berlin = zoneConverter('Europe/Berlin');
    expect(iso(berlin(L('02:10:00')))).toBe('2024-10-27T00:10:00.000Z');
    expect(iso(berlin(L('01:59:59')))).toBe('2024-10-26T23:59:59.000Z');
    expect(iso(berlin(L('03:00:00')))).toBe('2024-10-27T02:00:00.000Z');
    expect(iso(berlin(L('02:30:00', '2024-03-31')))).toBe('2024-03-31T01:30:00.000Z');
    expect(iso(berlin(L('03:00:00', '2024-03-31')))).toBe('2024-03-31T01:00:00.000Z');
    // Every 15 minutes of two days around each change of a few zones, against Intl: the one instant whose local
    // time it is, the earliest of two, or (none) the offset of the day before.
    for (const tz of ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago', 'Africa/Casablanca']) {
      const conv = zoneConverter(tz);
      const fmt = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
      const off = (t: number): number => {
        const p = Object.fromEntries(fmt.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
        return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - t;
      };
      for (const s of zoneShifts(tz)!.shifts(2024)) {
        for (let local = s.start - 86_400_000; local < s.end + 86_400_000; local += 900_000) {
          const valid = [off(local - 86_400_000), off(local + 86_400_000)].map((o) => local - o).filter((u) => local - u === off(u));
          const want = valid.length > 0 ? Math.min(...valid) : local - off(local - 86_400_000);
          expect(conv(local), `${tz} ${iso(local)}`).toBe(want);
        }
      }
    }
  });

  it("peekYear gives yearOf's year without taking it", () => {
    const y = new YearResolver(undefined);
    y.fullDate({ year: 2023, month: 12, day: 31, hour: 0, minute: 0, second: 0, ms: 0, hasYear: true, zoneMin: NaN });
    const jan = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, ms: 0, hasYear: false, zoneMin: NaN };
    expect(y.peekYear(jan)).toBe(2024);
    expect(y.peekYear(jan)).toBe(2024);
    expect(y.notes()).toEqual([]);
    expect(y.yearOf(jan)).toBe(2024);
    const opt = new YearResolver(2019);
    expect(opt.peekYear({ ...jan, month: 12 })).toBe(2019);
    expect(opt.notes()).toEqual([]);
  });
});
