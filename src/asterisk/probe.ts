/**
 * The first and the last time stamp in a piece of an Asterisk log (its first or its last 64 KiB), to put the
 * copies of a rotated log in time order whatever their names say: logrotate numbers the oldest highest
 * (`full.3` before `full.1`), Asterisk's own `rotatestrategy = sequential` (its default) the newest highest
 * (`full.0` before `full.1`), and `timestamp` appends the epoch of the rotation.
 *
 * Lines are read with the reader's own stamp readers: `[stamp]`, syslog (with or without `<PRI>`), RFC 5424 and
 * ISO stamps, and the JSON logger's `timestamp`. A year-less stamp takes its year as the reader would with no
 * line of a full date before it (the option, else the clock): right for ordering, which is all this is for.
 */
import type { SourceOptions } from '../types.js';
import { newStamp, readBracketStamp, readIsoStamp, readSyslogStamp, stampAsUtc, zoneConverter, type Stamp } from './time.js';
import { afterPriSyslog } from './prefix.js';
import { YearResolver } from './year.js';

export interface StampSpan {
  first: number;
  last: number;
  /** Some year-less stamp took its year from the clock: comparable with other such files only. */
  yearGuessed: boolean;
}

/**
 * Times of the stamped lines of `buf` (whole lines only: with `fromLineStart` false, the text before the first
 * line end is a line cut by the read and is skipped). Undefined when no line has a stamp.
 */
export function stampSpan(buf: Uint8Array, fromLineStart: boolean, opts: Pick<SourceOptions, 'tz' | 'year'> = {}): StampSpan | undefined {
  const toUtc = zoneConverter(opts.tz);
  const years = new YearResolver(opts.year);
  const s: Stamp = newStamp();
  let first = NaN;
  let last = NaN;
  let p = 0;
  if (!fromLineStart) {
    const nl = buf.indexOf(10);
    if (nl < 0) return undefined;
    p = nl + 1;
  }
  while (p < buf.length) {
    let e = buf.indexOf(10, p);
    // the last line of a head may be cut by the read: only a line with its end is read
    if (e < 0) {
      if (fromLineStart) break;
      e = buf.length;
    }
    s.zoneMin = NaN;
    if (stampAt(buf, p, e, s)) {
      years.fullDate(s);
      const local = stampAsUtc(s, years.yearOf(s));
      const t = Number.isNaN(s.zoneMin) ? toUtc(local) : local - s.zoneMin * 60_000;
      if (Number.isFinite(t)) {
        if (Number.isNaN(first)) first = t;
        if (Number.isNaN(last) || t > last) last = t;
      }
    }
    p = e + 1;
  }
  return Number.isNaN(first) ? undefined : { first, last, yearGuessed: years.guessed };
}

function stampAt(b: Uint8Array, p: number, e: number, s: Stamp): boolean {
  const c = b[p];
  if (c === 91) return readBracketStamp(b, p, e, s) > 0;
  if (c === 60) return afterPriSyslog(b, p, e, s) >= 0;
  if (c !== undefined && c >= 48 && c <= 57) return readIsoStamp(b, p, e, s) > 0;
  if (c === 123) return jsonStamp(b, p, e, s);
  return readSyslogStamp(b, p, e, s) > 0;
}

/** The JSON logger's `"timestamp":"…"` (ISO or syslog form), read without parsing the whole line. */
function jsonStamp(b: Uint8Array, p: number, e: number, s: Stamp): boolean {
  const key = Buffer.from(b.buffer, b.byteOffset + p, e - p).indexOf('"timestamp":"');
  if (key < 0) return false;
  const q = p + key + 13;
  return readIsoStamp(b, q, e, s) > 0 || readSyslogStamp(b, q, e, s) > 0;
}
