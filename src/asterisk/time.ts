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

/**
 * A converter for `--tz`: `UTC` (default), a fixed offset `+03:00` / `-0500`, or an IANA zone name (via Intl,
 * with the offset cached per hour so that Intl runs a few times per hour of log, not per line).
 * Throws a RangeError for an unknown zone (option validation, before any input is read).
 */
export function zoneConverter(tz: string | undefined): ZoneConverter {
  if (tz === undefined || tz === '' || tz === 'UTC' || tz === 'Z' || tz === 'utc') return (t) => t;
  const m = OFFSET_RE.exec(tz.trim());
  if (m) {
    // Real offsets run from -12:00 to +14:00; anything past ±14:59 is a typo, not a zone.
    if (Number(m[2]) > 14 || Number(m[3] ?? 0) > 59) throw new RangeError(`Invalid time zone offset: ${tz}`);
    const off = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000;
    return (t) => t - off;
  }
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const cache = new Map<number, number>();
  /** Offset (ms) of the zone at UTC instant `t`. */
  const offsetAt = (t: number): number => {
    const key = Math.floor(t / 3_600_000);
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    let y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    for (const part of fmt.formatToParts(new Date(key * 3_600_000))) {
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
    const off = Date.UTC(y, mo - 1, d, h, mi, se) - key * 3_600_000;
    if (cache.size > 4096) cache.clear();
    cache.set(key, off);
    return off;
  };
  return (local) => {
    // First guess with the offset at the local instant read as UTC, then correct across a DST change.
    let utc = local - offsetAt(local);
    const off2 = offsetAt(utc);
    utc = local - off2;
    return utc;
  };
}

/** Wall-clock fields of a stamp (with `year` already resolved) read as UTC. */
export function stampAsUtc(s: Stamp, year: number): number {
  return Date.UTC(year, s.month - 1, s.day, s.hour, s.minute, s.second, s.ms);
}
