/**
 * Reading one capture on several cores: each worker reads the whole file and decodes every packet, but
 * scans and tracks only the SIP messages whose Call-ID falls in its share (a hash of the Call-ID bytes,
 * modulo the number of shares). Calls never cross Call-IDs in the tracker, so each share's call records
 * are exactly the serial ones, and the mergeable aggregates add up to the serial result.
 *
 * This module finds a message's share without scanning it: one walk over the header lines, the same walk
 * the scanner does (scanner.ts), that stops once it has the Call-ID and the CSeq. It also says whether the
 * scanner would find the message well formed (a Call-ID and a CSeq with a number and a method): the
 * tracker sees the time of every well-formed message (it decides time-outs by it), so the shares that do
 * not own a message still pass its time on (`CallTracker.tick`).
 */
import { COLON, CR, HT, LF, SP, isDigit, isTokenChar, isWs, lc, searchByte, skipWs, trimEnd } from './bytes.js';
import { lineEnd, nextLine } from './scanner.js';

/** Which share of a capture a reader handles: `index` of `count` (0 ≤ index < count). */
export interface Partition {
  index: number;
  count: number;
}

/** Set by `callIdShare`: whether the message has a Call-ID and a well-formed CSeq. */
export let shareWellFormed = false;

/**
 * FNV-1a over the value's ASCII bytes that are not whitespace. Two values the scanner turns into the same
 * Call-ID text hash alike: the text keeps every such byte in order (folding and trimming only touch
 * whitespace, and UTF-8 decoding never swallows an ASCII byte), so a call's messages always meet in one
 * share. Returns -1 when the value is blank (the scanner then reads a later Call-ID header).
 */
function valueHash(buf: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5;
  let content = false;
  for (let i = s; i < e; i++) {
    const c = buf[i]!;
    if (isWs(c)) continue;
    content = true;
    if (c >= 0x80) continue;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return content ? h >>> 0 : -1;
}

/**
 * The share (0 … count-1) of the SIP message at buf[start, end) whose start line ends at `sl`: by its
 * first non-blank Call-ID header (full or compact name, any case); share 0 for a message without one.
 * Sets `shareWellFormed`.
 */
export function callIdShare(buf: Uint8Array, start: number, end: number, sl: number, count: number): number {
  let hash = -1;
  let cseqSeen = false;
  let cseqOk = false;
  let p = nextLine(buf, sl, end);
  while (p < end && (hash < 0 || !cseqSeen)) {
    const c = buf[p]!;
    if (c === CR || c === LF) break;
    const ns = p;
    let b = 0;
    while (p < end && (b = buf[p]!) !== COLON && b !== CR && b !== LF) p++;
    if (p >= end || b !== COLON) {
      p = nextLine(buf, lineEnd(buf, p, end), end);
      continue;
    }
    const ne = trimEnd(buf, ns, p);
    const vs = p + 1;
    // The value runs to the LF ending its line, folded continuation lines (SP/HT first) included.
    let q = vs;
    for (;;) {
      q = searchByte(buf, LF, q);
      if (q < 0 || q >= end) {
        q = end;
        break;
      }
      if (q + 1 < end && (buf[q + 1] === SP || buf[q + 1] === HT)) q += 2;
      else break;
    }
    const ve = q > vs && buf[q - 1] === CR ? q - 1 : q;
    const nl = q < end ? q + 1 : end;
    const n = ne - ns;
    if (n === 1 ? lc(buf[ns]!) === 105 : n === 7 && isCallId(buf, ns)) {
      if (hash < 0) hash = valueHash(buf, vs, ve);
    } else if (n === 4 && !cseqSeen && isCSeq(buf, ns)) {
      // The scanner keeps the first CSeq with 1–10 digits; it is well formed when a method follows.
      const q0 = skipWs(buf, vs, ve);
      let q = q0;
      while (q < ve && isDigit(buf[q]!)) q++;
      if (q > q0 && q - q0 <= 10) {
        cseqSeen = true;
        const ms = skipWs(buf, q, ve);
        cseqOk = ms < ve && isTokenChar(buf[ms]!);
      }
    }
    p = nl;
  }
  shareWellFormed = hash >= 0 && cseqOk;
  return hash < 0 ? 0 : hash % count;
}

const CALL_ID = [99, 97, 108, 108, 45, 105, 100]; // "call-id"
const CSEQ = [99, 115, 101, 113]; // "cseq"

function isCallId(buf: Uint8Array, s: number): boolean {
  for (let i = 0; i < 7; i++) if (lc(buf[s + i]!) !== CALL_ID[i]) return false;
  return true;
}

function isCSeq(buf: Uint8Array, s: number): boolean {
  for (let i = 0; i < 4; i++) if (lc(buf[s + i]!) !== CSEQ[i]) return false;
  return true;
}
