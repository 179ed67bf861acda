/**
 * The parts of an Asterisk log line before the message, read on bytes:
 *
 *   [2023-11-14 22:13:20] VERBOSE[2103][C-0000012a] app_dial.c:     -- Called SIP/alpha/5550001
 *   Nov 14 22:13:20 pbx asterisk[1987]: NOTICE[2210]: chan_sip.c:28926 in handle_request_register: …
 *   <133>1 2023-11-14T22:13:20.000Z pbx asterisk 1987 - - NOTICE[2210]: chan_sip.c:… : …
 *
 * The level word and its `[thread]` and `[C-marker]` are located as offsets (no strings); the message starts
 * after the first `": "` that follows them (after `file.c` or `file.c:123 func`).
 */
import { readIsoStamp, readSyslogStamp, type Stamp } from './time.js';

export const LV_NONE = 0;
export const LV_DEBUG = 1;
export const LV_VERBOSE = 2;
export const LV_DTMF = 3;
/** NOTICE, WARNING, ERROR, SECURITY, … */
export const LV_OTHER = 4;

/** Offsets of the level's parts in the current line (-1 when absent). Reused for every line. */
export interface LinePrefix {
  level: number;
  tidS: number;
  tidE: number;
  /** The call marker without brackets: `C-0000012a`. */
  mkS: number;
  mkE: number;
  /** The marker as the number it spells when it has Asterisk's own form (`C-` and 8 lower-case hex digits), else -1. */
  mkV: number;
}

export function newPrefix(): LinePrefix {
  return { level: LV_NONE, tidS: -1, tidE: -1, mkS: -1, mkE: -1, mkV: -1 };
}

/** Value of a lower-case hex digit by its byte, -1 for any other byte (one load per digit, not range tests). */
const HEX_DIGIT = new Int8Array(256).fill(-1);
for (let c = 48; c <= 57; c++) HEX_DIGIT[c] = c - 48;
for (let c = 97; c <= 102; c++) HEX_DIGIT[c] = c - 87;

function isUpper(c: number | undefined): boolean {
  return c !== undefined && c >= 65 && c <= 90;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

/**
 * Reads `LEVEL[tid][C-marker]…: ` at p into `out` and returns where the message starts. A line with no level
 * (`Asterisk 18 built by…`, console `    -- Called …`) starts at p. For DEBUG the message is not located.
 */
export function readLevel(b: Uint8Array, p: number, e: number, out: LinePrefix): number {
  out.level = LV_NONE;
  out.tidS = out.tidE = out.mkS = out.mkE = out.mkV = -1;
  let q = p;
  // `VERBOSE[`, the level of nearly every line that matters, is recognised at once.
  if (b[p] === 86 && b[p + 7] === 91 && b[p + 1] === 69 && b[p + 2] === 82 && b[p + 3] === 66 && b[p + 4] === 79 && b[p + 5] === 83 && b[p + 6] === 69 && p + 7 < e) q = p + 7;
  else while (q < e && q - p < 10 && isUpper(b[q])) q++;
  const n = q - p;
  if (n < 4) return p;
  let r = q;
  if (b[r] === 32 && b[r + 1] === 91) r++; // `NOTICE [22382]`
  if (b[r] !== 91) {
    // `NOTICE: …` without a thread id (rare); otherwise not a level word.
    if (b[r] !== 58) return p;
  } else {
    let t = r + 1;
    while (t < e && isDigit(b[t])) t++;
    if (b[t] !== 93 || t === r + 1) return p;
    out.tidS = r + 1;
    out.tidE = t;
    r = t + 1;
    if (b[r] === 91 && b[r + 1] === 67 && b[r + 2] === 45) {
      // Asterisk's own form, `[C-` 8 lower-case hex digits `]`, is read as its value in the same pass.
      let v = 0;
      let i = r + 3;
      const hexEnd = r + 11;
      if (hexEnd < e) {
        for (; i < hexEnd; i++) {
          const d = HEX_DIGIT[b[i]!]!;
          if (d < 0) break;
          v = v * 16 + d;
        }
      }
      if (i === hexEnd && b[hexEnd] === 93) {
        out.mkS = r + 1;
        out.mkE = hexEnd;
        out.mkV = v;
        r = hexEnd + 1;
      } else {
        let close = -1;
        for (let i = r + 3, lim = Math.min(e, r + 40); i < lim; i++) {
          if (b[i] === 93) {
            close = i;
            break;
          }
        }
        if (close > 0) {
          out.mkS = r + 1;
          out.mkE = close;
          r = close + 1;
        }
      }
    }
  }
  const c0 = b[p];
  if (c0 === 68 && n === 5 && b[p + 1] === 69) out.level = LV_DEBUG; // DEBUG
  else if (c0 === 86 && n === 7) out.level = LV_VERBOSE; // VERBOSE
  else if (c0 === 68 && n === 4 && b[p + 1] === 84) out.level = LV_DTMF; // DTMF
  else out.level = LV_OTHER;
  if (out.level === LV_DEBUG) return r;
  if (b[r] === 58) r++;
  for (let i = r; i + 1 < e; i++) {
    if (b[i] === 58 && b[i + 1] === 32) return i + 2;
  }
  return r;
}

/**
 * After a syslog stamp at q: ` host tag[pid]: ` → where the wrapped text starts, or -1 when the line does not
 * have that shape (bounded, so that a line of another kind is not scanned far).
 */
export function afterSyslogHeader(b: Uint8Array, q: number, e: number): number {
  if (b[q] !== 32) return -1;
  q++;
  let hostEnd = -1;
  for (let i = q, lim = Math.min(e, q + 256); i < lim; i++) {
    if (b[i] === 32) {
      hostEnd = i;
      break;
    }
  }
  if (hostEnd <= q) return -1;
  const lim = Math.min(e - 1, hostEnd + 128);
  for (let i = hostEnd + 1; i < lim; i++) {
    if (b[i] === 58 && b[i + 1] === 32) return i + 2;
    if (b[i] === 32) return -1;
  }
  return -1;
}

/**
 * A line starting with `<PRI>`: RFC 5424 (`<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`) or RFC 3164 with a
 * priority (`<13>Nov 14 22:13:20 host tag: MSG`). Reads the stamp into `stamp` and returns where MSG starts,
 * or -1.
 */
export function afterPriSyslog(b: Uint8Array, p: number, e: number, stamp: Stamp): number {
  let q = p + 1;
  while (q < e && q - p < 5 && isDigit(b[q])) q++;
  if (b[q] !== 62 || q === p + 1) return -1;
  q++;
  if (b[q] !== 49 || b[q + 1] !== 32) {
    const t = readSyslogStamp(b, q, e, stamp);
    return t < 0 ? -1 : afterSyslogHeader(b, t, e);
  }
  const t = readIsoStamp(b, q + 2, e, stamp);
  if (t < 0) return -1;
  // HOST APP PROCID MSGID
  let r = t;
  for (let field = 0; field < 4; field++) {
    if (b[r] !== 32) return -1;
    let sp = -1;
    for (let i = r + 1; i < e; i++) {
      if (b[i] === 32) {
        sp = i;
        break;
      }
    }
    if (sp < 0) return e;
    r = sp;
  }
  r++;
  if (b[r] === 91) {
    // STRUCTURED-DATA: [id k="v"]…; a quoted value may hold `\]` or `\"`.
    while (r < e && b[r] === 91) {
      r++;
      let inQuote = false;
      while (r < e) {
        const c = b[r];
        if (c === 92) {
          r += 2;
          continue;
        }
        if (c === 34) inQuote = !inQuote;
        else if (c === 93 && !inQuote) break;
        r++;
      }
      r++;
    }
  } else if (b[r] === 45) {
    r++;
  }
  if (b[r] === 32) r++;
  if (b[r] === 0xef && b[r + 1] === 0xbb && b[r + 2] === 0xbf) r += 3; // BOM before MSG
  return r;
}
