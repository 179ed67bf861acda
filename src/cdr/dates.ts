/**
 * CDR timestamps parsed by digit arithmetic on bytes (no Date.parse, no regex per row).
 *
 * Accepted shapes (see docs/cdr.md):
 *   Y-m-d H:i[:s[.f]]  Y/m/d …  Y.m.d …  with ` ` or `T`, optional `Z`, `±hh[:mm]`, ` UTC`/` GMT`
 *   d/m/Y or m/d/Y (order chosen per file from the values seen, see `guessDayFirst`), d.m.Y, d-m-Y,
 *   two-digit years (20yy), 12-hour times with AM/PM,
 *   epoch seconds (9–10 digits, optional fraction), epoch ms (12–13 digits), compact YYYYMMDDHHMMSS.
 * Empty cells, `NULL`, `\N` and all-zero MySQL dates are "no date" (NO_DATE), not errors.
 */
import { offsetText, shiftText, zoneConverter, zoneShifts, type ZoneConverter, type ZoneShift, type ZoneShifts } from '../asterisk/time.js';

/** Returned for an empty cell, NULL or `0000-00-00 00:00:00`. */
export const NO_DATE = Number.NEGATIVE_INFINITY;

/** How local wall-clock times turn into UTC (the same `--tz` rules as the Asterisk log reader). */
export interface ZoneRule {
  /** Text of the option, for notes. */
  name: string;
  /**
   * UTC ms of a local wall-clock time given as if it were UTC. A time the zone repeats (the clock went back) is
   * read as its first pass, one it skips at the offset before the change (see `zoneConverter`).
   */
  toUtc: ZoneConverter;
  /** The zone's offset changes (IANA zones only), to count the dates read in one (`DateParser.zoneNotes`). */
  shifts: ZoneShifts | undefined;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Parse `--tz`: `UTC`, `+03:00`, `-0530`, or an IANA zone name; undefined for UTC. Throws on an unknown zone. */
export function parseZone(tz: string | undefined): ZoneRule | undefined {
  if (tz === undefined) return undefined;
  const t = tz.trim();
  if (t === '' || t === 'UTC' || t === 'utc' || t === 'Z' || t === 'GMT' || t === 'Etc/UTC') return undefined;
  return { name: t, toUtc: zoneConverter(t), shifts: zoneShifts(t) };
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Per-file state of the date parser: day order, zone and the cache of the last date prefix. */
export class DateParser {
  /** For `a/b/Y` dates: true = d/m/Y, false = m/d/Y. */
  dayFirst = true;
  /**
   * The day order is a guess (the first rows proved none, and `--map date=` did not set it): the first `a/b/Y`
   * value that proves an order settles it. A value that proves m/d/Y turns the parser to m/d/Y from there on
   * (`event` tells the row interpreter, which says so: the dates read before were read day-first).
   */
  orderGuessed = false;
  /** Set (to 1) when a value settled a guessed day order; the row interpreter clears it. */
  event = 0;
  /** The value that settled the guessed order, and whether it proved m/d/Y (the guess was wrong). */
  settledBy: string | undefined;
  settledMonthFirst = false;
  /** `a/b/Y` dates read while the order was guessed whose two numbers differ and are both ≤ 12 (wrong if the guess was). */
  guessedReads = 0;
  zone: ZoneRule | undefined;
  private lastYmd = -1;
  private lastDays = 0;
  /** The offset changes of the local year [shiftLo, shiftHi) (`--tz` an IANA zone), and the dates read in each. */
  private shiftLo = 0;
  private shiftHi = -1;
  private yearShifts: ZoneShift[] = [];
  private shiftCounts: Array<{ shift: ZoneShift; n: number }> = [];

  constructor(zone?: ZoneRule, dayFirst = true) {
    this.zone = zone;
    this.dayFirst = dayFirst;
  }

  /** ms since the epoch (UTC), NO_DATE for an empty/NULL/zero cell, NaN when unreadable. */
  parse(b: Uint8Array, s: number, e: number): number {
    const n = e - s;
    if ((n === 19 || (n === 23 && b[s + 19] === 46)) && b[s + 4] === 45 && b[s + 7] === 45 && (b[s + 10] === 32 || b[s + 10] === 84) && b[s + 13] === 58 && b[s + 16] === 58) {
      let t = this.ymdHms(b, s);
      if (n === 23 && t === t) {
        // `.mmm` milliseconds.
        const a = b[s + 20] - 48, c = b[s + 21] - 48, d = b[s + 22] - 48;
        t = a >>> 0 > 9 || c >>> 0 > 9 || d >>> 0 > 9 ? NaN : t + a * 100 + c * 10 + d;
      }
      if (t === t) return t;
    }
    return this.general(b, s, e);
  }

  /** The common `YYYY-MM-DD HH:MM:SS` shape at fixed positions (Asterisk, MySQL, billing exports). NaN sends it to `general`. */
  private ymdHms(b: Uint8Array, s: number): number {
    const y0 = b[s] - 48, y1 = b[s + 1] - 48, y2 = b[s + 2] - 48, y3 = b[s + 3] - 48;
    const m0 = b[s + 5] - 48, m1 = b[s + 6] - 48, d0 = b[s + 8] - 48, d1 = b[s + 9] - 48;
    const h0 = b[s + 11] - 48, h1 = b[s + 12] - 48, i0 = b[s + 14] - 48, i1 = b[s + 15] - 48;
    const s0 = b[s + 17] - 48, s1 = b[s + 18] - 48;
    // `>>> 0` turns a byte below '0' into a huge number, so one comparison per position checks a digit.
    if (
      y0 >>> 0 > 9 || y1 >>> 0 > 9 || y2 >>> 0 > 9 || y3 >>> 0 > 9 || m0 >>> 0 > 9 || m1 >>> 0 > 9 || d0 >>> 0 > 9 ||
      d1 >>> 0 > 9 || h0 >>> 0 > 9 || h1 >>> 0 > 9 || i0 >>> 0 > 9 || i1 >>> 0 > 9 || s0 >>> 0 > 9 || s1 >>> 0 > 9
    ) {
      return NaN;
    }
    const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
    const mo = m0 * 10 + m1;
    const d = d0 * 10 + d1;
    const ymd = y * 10000 + mo * 100 + d;
    let days: number;
    if (ymd === this.lastYmd) days = this.lastDays;
    else {
      if (y === 0 && mo === 0 && d === 0) return NaN;
      if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return NaN;
      days = daysFromCivil(y, mo, d);
      this.lastYmd = ymd;
      this.lastDays = days;
    }
    const h = h0 * 10 + h1;
    const mi = i0 * 10 + i1;
    const sec = s0 * 10 + s1;
    if (h > 23 || mi > 59 || sec > 60) return NaN;
    return this.local(days * DAY + h * HOUR + mi * 60_000 + sec * 1000);
  }

  private general(b: Uint8Array, s: number, e: number): number {
    while (s < e && (b[s] === 32 || b[s] === 9)) s++;
    while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
    if (s === e) return NO_DATE;
    let c = b[s];
    if (c === 78 /* N */ || c === 110 /* n */) {
      if (e - s === 4 && (b[s + 1] | 32) === 117 && (b[s + 2] | 32) === 108 && (b[s + 3] | 32) === 108) return NO_DATE;
      return NaN;
    }
    if (c === 92 /* \N */ && e - s === 2 && b[s + 1] === 78) return NO_DATE;
    // First number.
    let p = s;
    let n1 = 0;
    while (p < e && (c = b[p]) >= 48 && c <= 57) {
      n1 = n1 * 10 + (c - 48);
      p++;
    }
    const d1 = p - s;
    if (d1 === 0) return NaN;
    if (p === e || b[p] === 46 /* . fraction of an epoch */ && d1 >= 9) {
      return this.epoch(b, e, n1, d1, p);
    }
    const sep = b[p];
    if (sep !== 45 && sep !== 47 && sep !== 46) return NaN;
    p++;
    let n2 = 0;
    const p2 = p;
    while (p < e && (c = b[p]) >= 48 && c <= 57) {
      n2 = n2 * 10 + (c - 48);
      p++;
    }
    if (p - p2 === 0 || p - p2 > 2 || p >= e || b[p] !== sep) return NaN;
    p++;
    let n3 = 0;
    const p3 = p;
    while (p < e && (c = b[p]) >= 48 && c <= 57) {
      n3 = n3 * 10 + (c - 48);
      p++;
    }
    const d3 = p - p3;
    let y: number, mo: number, d: number;
    if (d1 === 4 && d3 >= 1 && d3 <= 2) {
      y = n1;
      mo = n2;
      d = n3;
    } else if (d1 <= 2 && (d3 === 4 || d3 === 2)) {
      y = d3 === 4 ? n3 : 2000 + n3;
      if (this.orderGuessed && sep !== 46) this.guess(b, s, e, n1, n2);
      if (sep === 46 || this.dayFirst) {
        d = n1;
        mo = n2;
      } else {
        mo = n1;
        d = n2;
      }
    } else return NaN;
    if (y === 0 && mo === 0 && d === 0) return NO_DATE;
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return NaN;
    const ymd = y * 10000 + mo * 100 + d;
    let days: number;
    if (ymd === this.lastYmd) days = this.lastDays;
    else {
      days = daysFromCivil(y, mo, d);
      this.lastYmd = ymd;
      this.lastDays = days;
    }
    let ms = days * DAY;
    if (p === e) return this.local(ms);
    c = b[p];
    if (c !== 32 && c !== 84 /* T */) return NaN;
    p++;
    while (p < e && b[p] === 32) p++;
    // Time of day.
    let h = 0;
    const ph = p;
    while (p < e && (c = b[p]) >= 48 && c <= 57) {
      h = h * 10 + (c - 48);
      p++;
    }
    if (p - ph === 0 || p - ph > 2 || p >= e || b[p] !== 58) return NaN;
    p++;
    if (p + 2 > e || !isD(b[p]) || !isD(b[p + 1])) return NaN;
    const mi = (b[p] - 48) * 10 + (b[p + 1] - 48);
    p += 2;
    let sec = 0;
    let frac = 0;
    if (p < e && b[p] === 58) {
      p++;
      if (p + 2 > e || !isD(b[p]) || !isD(b[p + 1])) return NaN;
      sec = (b[p] - 48) * 10 + (b[p + 1] - 48);
      p += 2;
      if (p < e && (b[p] === 46 || b[p] === 44) && p + 1 < e && isD(b[p + 1])) {
        p++;
        let scale = 100;
        while (p < e && isD((c = b[p]))) {
          frac += (c - 48) * scale;
          scale /= 10;
          p++;
        }
      }
    }
    if (p < e && b[p] === 32 && p + 3 <= e && (b[p + 2] | 32) === 109 /* m */) {
      // 12-hour clock: " AM" / " PM".
      const ap = b[p + 1] | 32;
      if ((ap !== 97 && ap !== 112) || h < 1 || h > 12) return NaN;
      if (ap === 97 && h === 12) h = 0;
      else if (ap === 112 && h !== 12) h += 12;
      p += 3;
    }
    if (h > 23 || mi > 59 || sec > 60) return NaN;
    ms += h * HOUR + mi * 60_000 + sec * 1000 + frac;
    if (p === e) return this.local(ms);
    // Explicit zone: Z, ±hh[:mm], ±hhmm, UTC/GMT (optionally after a space).
    if (b[p] === 32) p++;
    c = b[p];
    if (c === 90 /* Z */ && p + 1 === e) return ms;
    if ((c === 85 || c === 71) && e - p === 3) return ms; // UTC / GMT
    if (c === 43 || c === 45) {
      const sign = c === 45 ? -1 : 1;
      p++;
      if (p + 2 > e || !isD(b[p]) || !isD(b[p + 1])) return NaN;
      const oh = (b[p] - 48) * 10 + (b[p + 1] - 48);
      p += 2;
      let om = 0;
      if (p < e && b[p] === 58) p++;
      if (p < e) {
        if (p + 2 !== e || !isD(b[p]) || !isD(b[p + 1])) return NaN;
        om = (b[p] - 48) * 10 + (b[p + 1] - 48);
      }
      return ms - sign * (oh * HOUR + om * 60_000);
    }
    return NaN;
  }

  /**
   * An `a/b/Y` value met while the day order is a guess: one that proves an order settles it (turning the parser
   * to m/d/Y when it proves that), one that could be either is counted.
   */
  private guess(b: Uint8Array, s: number, e: number, n1: number, n2: number): void {
    if (n1 > 12 && n2 <= 12 && n2 >= 1) {
      this.settle(b, s, e, false);
    } else if (n2 > 12 && n1 <= 12 && n1 >= 1) {
      this.settle(b, s, e, true);
    } else if (n1 !== n2 && n1 <= 12 && n2 <= 12) this.guessedReads++;
  }

  private settle(b: Uint8Array, s: number, e: number, monthFirst: boolean): void {
    this.orderGuessed = false;
    this.settledBy = Buffer.from(b.subarray(s, e)).toString('utf8');
    this.settledMonthFirst = monthFirst && this.dayFirst;
    if (monthFirst) this.dayFirst = false;
    this.event = 1;
  }

  /**
   * Why a value that did not read as a date is none, when it is an `a/b/Y` date in the other day order
   * (`13 is not a month`); undefined otherwise. For the anomaly sample; `why` says where the order in use comes from.
   */
  notAMonth(text: string, why: string): string | undefined {
    const m = /^\s*(\d{1,2})[/-](\d{1,2})[/-](?:\d{2}|\d{4})(?:\s|T|$)/.exec(text);
    if (!m) return undefined;
    const month = this.dayFirst ? Number(m[2]) : Number(m[1]);
    const day = this.dayFirst ? Number(m[1]) : Number(m[2]);
    if (month <= 12 || day > 12 || day < 1) return undefined;
    return `${month} is not a month: ${why}`;
  }

  private local(ms: number): number {
    if (this.zone === undefined) return ms;
    if (this.zone.shifts !== undefined) {
      if (ms < this.shiftLo || ms >= this.shiftHi) this.shiftYear(ms);
      const ys = this.yearShifts;
      for (let i = 0; i < ys.length; i++) if (ms >= ys[i]!.start && ms < ys[i]!.end) this.countShift(ys[i]!);
    }
    return this.zone.toUtc(ms);
  }

  private shiftYear(ms: number): void {
    const y = new Date(ms).getUTCFullYear();
    this.shiftLo = Date.UTC(y, 0, 1);
    this.shiftHi = Date.UTC(y + 1, 0, 1);
    this.yearShifts = this.zone!.shifts!.shifts(y);
  }

  private countShift(s: ZoneShift): void {
    for (const c of this.shiftCounts) {
      if (c.shift.at === s.at) {
        c.n++;
        return;
      }
    }
    this.shiftCounts.push({ shift: s, n: 1 });
  }

  /**
   * Notes on the dates read in local times that `--tz` repeats or skips. A CDR's rows are not in time order
   * (a row is written when its call ends, and exports get sorted), so nothing tells the two passes of a
   * repeated hour apart: they are read as the first pass, and counted here instead of guessed silently.
   */
  zoneNotes(): string[] {
    const z = this.zone;
    if (z === undefined) return [];
    return this.shiftCounts.map(({ shift: s, n }) => {
      const dates = `${n} date${n === 1 ? '' : 's'}`;
      return s.before > s.after
        ? `${dates} fell in ${shiftText(z.name, s)}: read as the first pass (${offsetText(s.before)}); rows are not in time order, so a date of the second pass (${offsetText(s.after)}) is read ${s.end - s.start === 3_600_000 ? 'an hour' : `${Math.round((s.end - s.start) / 60_000)} minutes`} early`
        : `${dates} fell in ${shiftText(z.name, s)}, local times that do not exist there: read at ${offsetText(s.before)}, the offset before the change (a clock step, or an export not written in that zone: check --tz)`;
    });
  }

  private epoch(b: Uint8Array, e: number, n: number, digits: number, p: number): number {
    let frac = 0;
    if (p < e) {
      // '.' then digits: fractions of a second (or of a millisecond).
      p++;
      let scale = 0.1;
      let c: number;
      while (p < e && isD((c = b[p]))) {
        frac += (c - 48) * scale;
        scale /= 10;
        p++;
      }
      if (p !== e) return NaN;
    }
    if (digits === 9 || digits === 10) return (n + frac) * 1000;
    if (digits === 12 || digits === 13) return n + frac;
    if (digits === 14 && p === e) {
      // Compact YYYYMMDDHHMMSS, local time.
      const y = Math.floor(n / 1e10);
      const mo = Math.floor(n / 1e8) % 100;
      const d = Math.floor(n / 1e6) % 100;
      const h = Math.floor(n / 1e4) % 100;
      const mi = Math.floor(n / 100) % 100;
      const sec = n % 100;
      if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 60) return NaN;
      return this.local(daysFromCivil(y, mo, d) * DAY + h * HOUR + mi * 60_000 + sec * 1000);
    }
    return NaN;
  }
}

function isD(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * For dates written `a/b/Y`: does the data say day-first? Looks at the two leading numbers of every
 * sample: a first number over 12 proves d/m, a second over 12 proves m/d. Returns undefined when the
 * samples prove neither (the caller then keeps d/m/Y and says so) or when they contradict each other.
 */
export function guessDayFirst(samples: readonly string[]): { dayFirst: boolean | undefined; seen: number; proof?: string; mixed?: true } {
  let dm: string | undefined;
  let md: string | undefined;
  let seen = 0;
  for (const v of samples) {
    const m = /^\s*(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})(?:\s|T|$)/.exec(v);
    if (!m) continue;
    seen++;
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a > 12 && b <= 12) dm ??= v.trim();
    else if (b > 12 && a <= 12) md ??= v.trim();
  }
  if (dm !== undefined && md === undefined) return { dayFirst: true, seen, proof: dm };
  if (md !== undefined && dm === undefined) return { dayFirst: false, seen, proof: md };
  if (dm !== undefined && md !== undefined) return { dayFirst: undefined, seen, mixed: true };
  return { dayFirst: undefined, seen };
}
