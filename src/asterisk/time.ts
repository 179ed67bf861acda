/**
 * Byte-level timestamp readers for Asterisk and syslog lines, and local-time → UTC conversion.
 *
 * Readers fill a reused `Stamp` and return the offset just past the stamp, or -1. No strings, no Date objects
 * on the hot path: the epoch value is computed only for lines that matter (`toEpoch`).
 */

export interface Stamp {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  /** The stamp carried its year (`2023-11-14`), as opposed to `Nov 14`. */
  hasYear: boolean;
  /** Offset from UTC in minutes written in the stamp itself (RFC 5424, ISO with zone); NaN when absent. */
  zoneMin: number;
}

export function newStamp(): Stamp {
  return { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, ms: 0, hasYear: false, zoneMin: NaN };
}

/** Month number (1..12) of a three-letter English abbreviation at `p`, any case; 0 when none. */
export function monthAt(b: Uint8Array, p: number): number {
  if (p + 3 > b.length) return 0;
  // The three lower-cased letters as one number, compared with constants (no strings per line).
  const k = ((b[p]! | 0x20) << 16) | ((b[p + 1]! | 0x20) << 8) | (b[p + 2]! | 0x20);
  switch (k) {
    case 0x6a616e: return 1; // jan
    case 0x666562: return 2; // feb
    case 0x6d6172: return 3; // mar
    case 0x617072: return 4; // apr
    case 0x6d6179: return 5; // may
    case 0x6a756e: return 6; // jun
    case 0x6a756c: return 7; // jul
    case 0x617567: return 8; // aug
    case 0x736570: return 9; // sep
    case 0x6f6374: return 10; // oct
    case 0x6e6f76: return 11; // nov
    case 0x646563: return 12; // dec
    default: return 0;
  }
}

/** Two ASCII digits at p (the caller has checked the bounds); -1 when not digits. */
function d2(b: Uint8Array, p: number): number {
  const x = b[p]! - 48;
  const y = b[p + 1]! - 48;
  return x >= 0 && x <= 9 && y >= 0 && y <= 9 ? x * 10 + y : -1;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

/** `HH:MM:SS` with optional `.fff…` (or `,fff`); returns the offset after it or -1. */
function readClock(b: Uint8Array, p: number, end: number, s: Stamp): number {
  if (p + 8 > end || b[p + 2] !== 58 || b[p + 5] !== 58) return -1;
  const h = d2(b, p);
  const mi = d2(b, p + 3);
  const se = d2(b, p + 6);
  if (h < 0 || mi < 0 || se < 0 || h > 23 || mi > 59 || se > 60) return -1;
  s.hour = h;
  s.minute = mi;
  s.second = se;
  s.ms = 0;
  p += 8;
  if (p < end && (b[p] === 46 || b[p] === 44) && isDigit(b[p + 1])) {
    p++;
    let scale = 100;
    let ms = 0;
    while (p < end && isDigit(b[p])) {
      ms += (b[p]! - 48) * scale;
      scale /= 10;
      p++;
    }
    s.ms = ms;
  }
  return p;
}

/** `YYYY-MM-DD` then a separator (space or T) and a clock. */
function readIsoDateTime(b: Uint8Array, p: number, end: number, s: Stamp): number {
  if (p + 19 > end || b[p + 4] !== 45 || b[p + 7] !== 45) return -1;
  const y0 = d2(b, p);
  const y1 = d2(b, p + 2);
  const y = y0 < 0 || y1 < 0 ? -1 : y0 * 100 + y1;
  const mo = d2(b, p + 5);
  const d = d2(b, p + 8);
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31) return -1;
  const sep = b[p + 10];
  if (sep !== 32 && sep !== 84) return -1;
  const q = readClock(b, p + 11, end, s);
  if (q < 0) return -1;
  s.year = y;
  s.month = mo;
  s.day = d;
  s.hasYear = true;
  s.zoneMin = NaN;
  return q;
}

/** `Mon dd HH:MM:SS` (day space-padded or not). */
function readMonthDayTime(b: Uint8Array, p: number, end: number, s: Stamp): number {
  const mo = monthAt(b, p);
  if (mo === 0 || b[p + 3] !== 32) return -1;
  let q = p + 4;
  if (b[q] === 32) q++;
  let d = 0;
  let nd = 0;
  while (q < end && isDigit(b[q]) && nd < 2) {
    d = d * 10 + (b[q]! - 48);
    q++;
    nd++;
  }
  if (nd === 0 || d < 1 || d > 31 || b[q] !== 32) return -1;
  const r = readClock(b, q + 1, end, s);
  if (r < 0) return -1;
  s.month = mo;
  s.day = d;
  s.year = 0;
  s.hasYear = false;
  s.zoneMin = NaN;
  return r;
}

/**
 * Asterisk's bracketed stamp at `p` (`b[p]` is `[`): `[2023-11-14 22:13:20]`, `[2023-11-14 22:13:20.123]`,
 * `[Nov 14 22:13:20]`. Returns the offset after `]`, or -1.
 */
export function readBracketStamp(b: Uint8Array, p: number, end: number, s: Stamp): number {
  const c = b[p + 1];
  const q = isDigit(c) ? readIsoDateTime(b, p + 1, end, s) : readMonthDayTime(b, p + 1, end, s);
  if (q < 0 || b[q] !== 93) return -1;
  return q + 1;
}

/** Could `b[p]` start a bracketed stamp (`[2…` or `[Nov…`)? Used to tell a bad stamp from other brackets. */
export function looksLikeBracketStamp(b: Uint8Array, p: number, end: number): boolean {
  if (b[p] !== 91 || p + 2 >= end) return false;
  const c = b[p + 1]!;
  if (isDigit(c)) return isDigit(b[p + 2]) && isDigit(b[p + 3]) && isDigit(b[p + 4]) && b[p + 5] === 45;
  return monthAt(b, p + 1) !== 0 && b[p + 4] === 32;
}

/** RFC 3164 syslog stamp `Nov 14 22:13:20` at `p`; returns the offset after it or -1. */
export function readSyslogStamp(b: Uint8Array, p: number, end: number, s: Stamp): number {
  return readMonthDayTime(b, p, end, s);
}

/**
 * ISO 8601 / RFC 3339 stamp at `p` (`2023-11-14T22:13:20.123Z`, `…+03:00`, or without a zone) as used
 * by RFC 5424 and journald's short-iso output. Returns the offset after it or -1.
 */
export function readIsoStamp(b: Uint8Array, p: number, end: number, s: Stamp): number {
  let q = readIsoDateTime(b, p, end, s);
  if (q < 0) return -1;
  if (b[q] === 90 || b[q] === 122) return q + 1;
  if ((b[q] === 43 || b[q] === 45) && isDigit(b[q + 1])) {
    const sign = b[q] === 45 ? -1 : 1;
    const hh = d2(b, q + 1);
    let mm = 0;
    let r = q + 3;
    if (b[r] === 58) {
      mm = d2(b, r + 1);
      r += 3;
    } else if (isDigit(b[r])) {
      mm = d2(b, r);
      r += 2;
    }
    if (hh < 0 || mm < 0) return q;
    s.zoneMin = sign * (hh * 60 + mm);
    q = r;
  }
  return q;
}

/** Converts a wall-clock time in some zone to epoch ms. */
export type ZoneConverter = (localAsUtcMs: number) => number;

const OFFSET_RE = /^([+-])(\d{1,2}):?(\d{2})?$/;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

function isUtcName(tz: string | undefined): boolean {
  return tz === undefined || tz === '' || tz === 'UTC' || tz === 'Z' || tz === 'utc';
}

/**
 * A change of a zone's offset (daylight saving time, or a change of the zone's standard time), seen from its
 * local clock.
 */
export interface ZoneShift {
  /** The instant of the change (UTC ms). */
  at: number;
  /** Offsets from UTC before and after the change (ms). */
  before: number;
  after: number;
  /**
   * The local wall-clock times it touches, [start, end) as if UTC (ms): when the clock went back
   * (`before > after`) they occur twice, first at `before` then at `after`; when it went forward they do not
   * exist.
   */
  start: number;
  end: number;
}

/** The offset changes of an IANA zone, found through Intl and kept per year (a few dozen Intl calls a year). */
export interface ZoneShifts {
  readonly name: string;
  /**
   * Flags of the local hours of `year` that hold part of a shift's span, indexed by
   * `(month * 32 + day) * 24 + hour` (month 1..12): a stamp's fields tell whether it needs a closer look
   * without computing its time.
   */
  hours(year: number): Uint8Array;
  /** The shifts whose local span meets the local year `year`, in time order. */
  shifts(year: number): ZoneShift[];
  /** The shift whose local span holds `local` (a wall-clock time as if UTC), if any. */
  shiftAt(local: number): ZoneShift | undefined;
}

/** Size of a `ZoneShifts.hours` table. */
export const SHIFT_HOURS = 13 * 32 * 24;
const NO_SHIFT_HOURS = new Uint8Array(SHIFT_HOURS);

class IanaZone implements ZoneShifts {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly years = new Map<number, ZoneShift[]>();
  private readonly tables = new Map<number, Uint8Array>();

  constructor(readonly name: string) {
    // Throws a RangeError for an unknown zone.
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The zone's offset (ms) at the UTC instant `t` (read to the second). */
  offset(t: number): number {
    const sec = Math.floor(t / 1000) * 1000;
    let y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    for (const part of this.fmt.formatToParts(new Date(sec))) {
      const v = Number(part.value);
      switch (part.type) {
        case 'year': y = v; break;
        case 'month': mo = v; break;
        case 'day': d = v; break;
        case 'hour': h = v; break;
        case 'minute': mi = v; break;
        case 'second': se = v; break;
        default: break;
      }
    }
    return Date.UTC(y, mo - 1, d, h, mi, se) - sec;
  }

  /**
   * The shifts whose local span meets the local year `year`: the offset sampled every 4 days from two days
   * before the year to two days after it, each change then narrowed down to its minute.
   */
  shifts(year: number): ZoneShift[] {
    const hit = this.years.get(year);
    if (hit !== undefined) return hit;
    const y0 = Date.UTC(year, 0, 1);
    const y1 = Date.UTC(year + 1, 0, 1);
    const to = y1 + 2 * DAY_MS;
    const out: ZoneShift[] = [];
    let t = y0 - 2 * DAY_MS;
    let o = this.offset(t);
    while (t < to) {
      const t2 = Math.min(t + 4 * DAY_MS, to);
      const o2 = this.offset(t2);
      if (o2 === o) {
        t = t2;
        continue;
      }
      let lo = t;
      let hi = t2;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (this.offset(mid) === o) lo = mid;
        else hi = mid;
      }
      const after = this.offset(hi);
      const start = hi + Math.min(o, after);
      const end = hi + Math.max(o, after);
      if (end > y0 && start < y1) out.push({ at: hi, before: o, after, start, end });
      t = hi;
      o = after;
    }
    this.years.set(year, out);
    return out;
  }

  hours(year: number): Uint8Array {
    const hit = this.tables.get(year);
    if (hit !== undefined) return hit;
    const shifts = this.shifts(year);
    let table = NO_SHIFT_HOURS;
    if (shifts.length > 0) {
      table = new Uint8Array(SHIFT_HOURS);
      for (const s of shifts) {
        for (let h = Math.floor(s.start / HOUR_MS) * HOUR_MS; h < s.end; h += HOUR_MS) {
          const d = new Date(h);
          if (d.getUTCFullYear() === year) table[((d.getUTCMonth() + 1) * 32 + d.getUTCDate()) * 24 + d.getUTCHours()] = 1;
        }
      }
    }
    this.tables.set(year, table);
    return table;
  }

  shiftAt(local: number): ZoneShift | undefined {
    for (const s of this.shifts(new Date(local).getUTCFullYear())) if (local >= s.start && local < s.end) return s;
    return undefined;
  }

  /** Does the local hour that starts at `h` (as if UTC) meet a shift's span? */
  hourHasShift(h: number): boolean {
    for (const s of this.shifts(new Date(h).getUTCFullYear())) if (s.start < h + HOUR_MS && s.end > h) return true;
    return false;
  }

  /** The offset of a local time that is in no shift's span (there is one): read at the local time, then corrected once. */
  plainOffset(local: number): number {
    const o1 = this.offset(local);
    const o2 = this.offset(local - o1);
    if (o2 === o1) return o1;
    return this.offset(local - o2);
  }
}

/** One IanaZone per zone name in a process (its Intl formatter and its shifts are shared by every input). */
const ianaZones = new Map<string, IanaZone>();

function ianaZone(tz: string): IanaZone {
  let z = ianaZones.get(tz);
  if (z === undefined) {
    z = new IanaZone(tz);
    ianaZones.set(tz, z);
  }
  return z;
}

/**
 * The offset changes of `--tz` when it names an IANA zone; undefined for UTC and for fixed offsets, which have
 * none. Throws a RangeError for an unknown zone.
 */
export function zoneShifts(tz: string | undefined): ZoneShifts | undefined {
  if (isUtcName(tz) || OFFSET_RE.test(tz!.trim())) return undefined;
  return ianaZone(tz!);
}

/**
 * A converter for `--tz`: `UTC` (default), a fixed offset `+03:00` / `-0500`, or an IANA zone name (via Intl,
 * with the offset cached per local hour so that Intl runs a few times per hour of log, not per line).
 * Throws a RangeError for an unknown zone (option validation, before any input is read).
 *
 * A local time the zone repeats (the clock went back) is read as the earlier instant, its first pass; one it
 * skips (the clock went forward: 02:30 on the day summer time begins) at the offset before the change, the
 * instant the same clock reads as 03:30. This converter sees one time at a time: the log reader tells the two
 * passes of a repeated hour apart from the log's order (see `ZoneShifts` and the reader's `zoneStamp`).
 */
export function zoneConverter(tz: string | undefined): ZoneConverter {
  if (isUtcName(tz)) return (t) => t;
  const m = OFFSET_RE.exec(tz!.trim());
  if (m) {
    // Real offsets run from -12:00 to +14:00; anything past ±14:59 is a typo, not a zone.
    if (Number(m[2]) > 14 || Number(m[3] ?? 0) > 59) throw new RangeError(`Invalid time zone offset: ${tz}`);
    const off = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000;
    return (t) => t - off;
  }
  const zone = ianaZone(tz!);
  /** Local hour → the zone's offset in all of it (ms), or NaN when a shift's span meets it. */
  const cache = new Map<number, number>();
  return (local) => {
    const key = Math.floor(local / HOUR_MS);
    let off = cache.get(key);
    if (off === undefined) {
      const h = key * HOUR_MS;
      off = zone.hourHasShift(h) ? NaN : zone.plainOffset(h);
      if (cache.size > 4096) cache.clear();
      cache.set(key, off);
    }
    if (off === off) return local - off;
    const s = zone.shiftAt(local);
    return s !== undefined ? local - s.before : local - zone.plainOffset(local);
  };
}

/** `+02:00` for an offset in ms. */
export function offsetText(ms: number): string {
  const m = Math.round(Math.abs(ms) / 60_000);
  return `${ms < 0 ? '-' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/**
 * What a shift's local span is, for notes: `the hour repeated when Europe/Berlin turned its clocks back
 * (2024-10-27 02:00–03:00, first at +02:00, then at +01:00)`, `the hour skipped when Europe/Berlin turned its
 * clocks forward (2024-03-31 02:00–03:00, from +01:00 to +02:00)`.
 */
export function shiftText(zone: string, s: ZoneShift): string {
  const a = new Date(s.start).toISOString();
  const b = new Date(s.end).toISOString();
  const span = `${a.slice(0, 10)} ${a.slice(11, 16)}–${b.slice(0, 10) === a.slice(0, 10) ? '' : `${b.slice(0, 10)} `}${b.slice(11, 16)}`;
  const min = Math.round((s.end - s.start) / 60_000);
  const what = min === 60 ? 'the hour' : `the ${min} minutes`;
  return s.before > s.after
    ? `${what} repeated when ${zone} turned its clocks back (${span}, first at ${offsetText(s.before)}, then at ${offsetText(s.after)})`
    : `${what} skipped when ${zone} turned its clocks forward (${span}, from ${offsetText(s.before)} to ${offsetText(s.after)})`;
}

/** Wall-clock fields of a stamp (with `year` already resolved) read as UTC. */
export function stampAsUtc(s: Stamp, year: number): number {
  return Date.UTC(year, s.month - 1, s.day, s.hour, s.minute, s.second, s.ms);
}
