/**
 * SIP message scanner: reads the start line and only the headers the analysis needs, straight from
 * the bytes (RFC 3261 §7). Header names are matched by a byte loop in full and compact form (§7.3.3),
 * any case; folded continuation lines (§7.3.1) are part of the value. Strings are made only for the
 * fields that are kept. Unknown methods are fine (they are tokens like any other).
 */
import type { SdpSummary, SipMessage } from '../types.js';
import {
  AT, COLON, COMMA, CR, DQUOTE, EQ, GT, HT, LF, LT, SEMI, SP,
  eqCI, indexOfByte, isDigit, isTokenChar, isWs, lc, lit, parseUint, plainText, searchByteWithin, skipWs, startsCI, startsWithBytes, text, trimEnd,
} from './bytes.js';

/** Where a message was seen: the SipMessage fields that come from the packet (or log line), not the text. */
export type MessageMeta = Pick<SipMessage, 'ts' | 'src' | 'srcPort' | 'dst' | 'dstPort' | 'transport' | 'position'>;

/** Why `scanSipMessage` returned null (or which mandatory header a message lacks). */
export interface ScanProblem {
  anomaly?: string;
}


const SIP20_EXACT = new Uint8Array([83, 73, 80, 47, 50, 46, 48]); // "SIP/2.0"

/** Longest request method token we accept on a start line (fuzzers send kilobytes of 'a'). */
const MAX_START_LINE = 8192;

/**
 * Cheap first-bytes check: a status line (`SIP/2.0 NNN`) or a request line (`TOKEN SP scheme:… SP SIP/2.0`).
 * Looks at the first line only.
 */
export function looksLikeSip(buf: Uint8Array, start: number, end: number): boolean {
  return startLineEnd(buf, start, end) >= 0;
}

/** Bytes that end a request URI on the start line: SP CR LF. */
const URI_END = new Uint8Array(256);
URI_END[SP] = URI_END[CR] = URI_END[LF] = 1;

/**
 * End offset (index of the LF or CR ending it) of a valid start line at `start`, or -1.
 * A request line is `token SP request-uri SP SIP/2.0`; the URI must start with a scheme.
 */
export function startLineEnd(buf: Uint8Array, start: number, end: number): number {
  if (end - start < 12) return -1;
  const limit = Math.min(end, start + MAX_START_LINE);
  if (startsWithBytes(buf, start, end, SIP20_EXACT)) {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF
    if (buf[start + 7] !== SP || !isDigit(buf[start + 8]!) || !isDigit(buf[start + 9]!) || !isDigit(buf[start + 10]!)) return -1;
    const c = buf[start + 11];
    if (c !== SP && c !== CR && c !== LF && c !== HT) return -1;
    for (let i = start + 11; i < limit; i++) {
      const b = buf[i]!;
      if (b === CR || b === LF) return i;
      if (b === 0) return -1;
    }
    return -1;
  }
  let p = start;
  while (p < limit && isTokenChar(buf[p]!)) p++;
  if (p === start || p >= limit || buf[p] !== SP) return -1;
  p++;
  // URI scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
  const us = p;
  let b = buf[p]!;
  if (!((b >= 97 && b <= 122) || (b >= 65 && b <= 90))) return -1;
  while (p < limit) {
    b = buf[p]!;
    if ((b >= 97 && b <= 122) || (b >= 65 && b <= 90) || isDigit(b) || b === 43 || b === 45 || b === 46) p++;
    else break;
  }
  if (p >= limit || buf[p] !== COLON || p - us > 32) return -1;
  while (p < limit && URI_END[buf[p]!] === 0) p++;
  if (p >= limit || buf[p] !== SP) return -1;
  p++;
  if (!startsWithBytes(buf, p, limit, SIP20_EXACT)) return -1;
  p += 7;
  while (p < limit && (buf[p] === SP || buf[p] === HT)) p++;
  if (p < limit && (buf[p] === CR || buf[p] === LF)) return p;
  return -1;
}

// Header kinds, by the byte loop in `headerKind`.
const H_OTHER = 0;
const H_CALLID = 1;
const H_CSEQ = 2;
const H_FROM = 3;
const H_TO = 4;
const H_VIA = 5;
const H_CONTACT = 6;
const H_REASON = 7;
const H_UA = 8;
const H_SERVER = 9;
const H_CLEN = 10;
const H_CTYPE = 11;
const H_RETRY = 12;
const H_X = 13;

const L_CALLID = lit('call-id');
const L_CSEQ = lit('cseq');
const L_FROM = lit('from');
const L_TO = lit('to');
const L_VIA = lit('via');
const L_CONTACT = lit('contact');
const L_REASON = lit('reason');
const L_UA = lit('user-agent');
const L_SERVER = lit('server');
const L_CLEN = lit('content-length');
const L_CTYPE = lit('content-type');
const L_RETRY = lit('retry-after');

/** Header kind of the name at buf[s, e) (full or compact form, any case). */
export function headerKind(buf: Uint8Array, s: number, e: number): number {
  const n = e - s;
  const c0 = lc(buf[s]!);
  if (n === 1) {
    switch (c0) {
      case 105: return H_CALLID; // i
      case 102: return H_FROM; // f
      case 116: return H_TO; // t
      case 118: return H_VIA; // v
      case 109: return H_CONTACT; // m
      case 108: return H_CLEN; // l
      case 99: return H_CTYPE; // c
      default: return H_OTHER;
    }
  }
  switch (c0) {
    case 99: // c
      if (n === 7) return eqCI(buf, s, e, L_CALLID) ? H_CALLID : eqCI(buf, s, e, L_CONTACT) ? H_CONTACT : H_OTHER;
      if (n === 4) return eqCI(buf, s, e, L_CSEQ) ? H_CSEQ : H_OTHER;
      if (n === 14) return eqCI(buf, s, e, L_CLEN) ? H_CLEN : H_OTHER;
      if (n === 12) return eqCI(buf, s, e, L_CTYPE) ? H_CTYPE : H_OTHER;
      return H_OTHER;
    case 102: return n === 4 && eqCI(buf, s, e, L_FROM) ? H_FROM : H_OTHER;
    case 116: return n === 2 && eqCI(buf, s, e, L_TO) ? H_TO : H_OTHER;
    case 118: return n === 3 && eqCI(buf, s, e, L_VIA) ? H_VIA : H_OTHER;
    case 114:
      if (n === 6) return eqCI(buf, s, e, L_REASON) ? H_REASON : H_OTHER;
      if (n === 11) return eqCI(buf, s, e, L_RETRY) ? H_RETRY : H_OTHER;
      return H_OTHER;
    case 117: return n === 10 && eqCI(buf, s, e, L_UA) ? H_UA : H_OTHER;
    case 115: return n === 6 && eqCI(buf, s, e, L_SERVER) ? H_SERVER : H_OTHER;
    case 120: return n > 2 && buf[s + 1] === 45 ? H_X : H_OTHER; // x-
    default: return H_OTHER;
  }
}

/** Compact header forms (RFC 3261 §7.3.3) by lower-case letter; H_OTHER for the rest. */
const COMPACT = new Uint8Array(128);
COMPACT[105] = H_CALLID; // i
COMPACT[102] = H_FROM; // f
COMPACT[116] = H_TO; // t
COMPACT[118] = H_VIA; // v
COMPACT[109] = H_CONTACT; // m
COMPACT[108] = H_CLEN; // l
COMPACT[99] = H_CTYPE; // c

/**
 * The usual spelling of a header the scanner reads — a compact or full name (any case) right before
 * the colon — recognised from its first letter and the colon at the name's length, without walking
 * the name: `length · 16 + kind`, or -1 for anything else (then the name is walked and `headerKind`
 * decides, which gives the same kind for these names).
 */
function quickName(buf: Uint8Array, p: number, end: number): number {
  const c0 = lc(buf[p]!);
  if (p + 1 < end && buf[p + 1] === COLON) return c0 < 128 ? 16 + COMPACT[c0]! : -1;
  let n: number;
  let l: Uint8Array;
  let kind: number;
  switch (c0) {
    case 118: n = 3; l = L_VIA; kind = H_VIA; break; // v
    case 102: n = 4; l = L_FROM; kind = H_FROM; break; // f
    case 116: n = 2; l = L_TO; kind = H_TO; break; // t
    case 115: n = 6; l = L_SERVER; kind = H_SERVER; break; // s
    case 117: n = 10; l = L_UA; kind = H_UA; break; // u
    case 114: n = 6; l = L_REASON; kind = H_REASON; break; // r
    case 99: // c
      if (p + 4 < end && buf[p + 4] === COLON) { n = 4; l = L_CSEQ; kind = H_CSEQ; }
      else if (p + 7 < end && buf[p + 7] === COLON) {
        n = 7;
        if (lc(buf[p + 1]!) === 97) { l = L_CALLID; kind = H_CALLID; } // ca…
        else { l = L_CONTACT; kind = H_CONTACT; }
      } else if (p + 14 < end && buf[p + 14] === COLON) { n = 14; l = L_CLEN; kind = H_CLEN; }
      else if (p + 12 < end && buf[p + 12] === COLON) { n = 12; l = L_CTYPE; kind = H_CTYPE; }
      else return -1;
      break;
    default:
      return -1;
  }
  if (p + n >= end || buf[p + n] !== COLON || !eqCI(buf, p, p + n, l)) return -1;
  return n * 16 + kind;
}

/** X- header names (lower case, after `x-`) whose value is a call correlation id between B2BUA legs. */
const CORRELATION_WORDS = [lit('call'), lit('cid'), lit('correl'), lit('uuid'), lit('session'), lit('leg'), lit('ucid')];

function isCorrelationName(buf: Uint8Array, s: number, e: number): boolean {
  for (const w of CORRELATION_WORDS) {
    for (let i = s + 2; i + w.length <= e; i++) if (startsCI(buf, i, e, w)) return true;
  }
  return false;
}

const METHODS = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'UPDATE', 'INFO', 'SUBSCRIBE', 'NOTIFY', 'REFER', 'MESSAGE', 'PUBLISH'];
const METHOD_BYTES = METHODS.map((m) => new Uint8Array(Array.from(m, (ch) => ch.charCodeAt(0))));

/** Method token as a string; the common ones come from a table (no allocation). */
export function methodString(buf: Uint8Array, s: number, e: number): string {
  const n = e - s;
  for (let k = 0; k < METHODS.length; k++) {
    const m = METHOD_BYTES[k]!;
    if (m.length !== n) continue;
    let same = true;
    for (let i = 0; i < n; i++) if (buf[s + i] !== m[i]) { same = false; break; }
    if (same) return METHODS[k]!;
  }
  return text(buf, s, e);
}

/** Parts of a From/To value. */
interface NameAddr {
  display: string | undefined;
  user: string | undefined;
  tag: string | undefined;
}

const L_TAG = lit('tag');
const L_BRANCH = lit('branch');
const L_CAUSE = lit('cause');
const L_Q850 = lit('q.850');
const L_TEL = lit('tel');
const L_SDP = lit('application/sdp');
const L_MULTIPART = lit('multipart/');

/** Value range found by the last successful `paramRange` (module scratch: no tuple per call). */
let prS = 0;
let prE = 0;

/** Bytes that end a header name: `:` CR LF. */
const NAME_END = new Uint8Array(256);
for (const c of [COLON, CR, LF]) NAME_END[c] = 1;

/**
 * Bytes of an unquoted parameter value, by what they mean to its walk (a table: one load a byte):
 * 1 ends it (`;` `,` SP HT CR LF), 2 is part of it but keeps `text()` off its printable-ASCII path
 * (other control bytes, bytes from 0x80 up), 0 is plain.
 */
const PARAM_END = new Uint8Array(256);
for (let c = 0; c < 256; c++) if (c < 0x20 || c >= 0x80) PARAM_END[c] = 2;
for (const c of [SEMI, COMMA, SP, HT, CR, LF]) PARAM_END[c] = 1;
/** Whether the value found by the last successful `paramRange` is unquoted printable ASCII. */
let prPlain = false;

/** The value found by the last successful `paramRange` as a string (what `text()` gives for it). */
function paramText(buf: Uint8Array): string {
  return prPlain ? plainText(buf, prS, prE) : text(buf, prS, prE);
}

/**
 * Whether parameter `name` (lower case) occurs in `;a=b;name=value…` over buf[s, e); its value is then
 * at [prS, prE). The search stops at a comma (the one between header values). Quoted values are given
 * without their quotes.
 */
function paramRange(buf: Uint8Array, s: number, e: number, name: Uint8Array): boolean {
  const n = name.length;
  let p = s;
  while (p < e) {
    let c = buf[p++]!;
    if (c !== SEMI) {
      if (c === COMMA) return false;
      continue;
    }
    while (p < e && ((c = buf[p]!) === SP || c === HT || c === CR || c === LF)) p++;
    // Compare the parameter name in place.
    let k = 0;
    while (k < n && p + k < e && lc(buf[p + k]!) === name[k]) k++;
    if (k !== n) continue;
    let q = p + n;
    while (q < e && ((c = buf[q]!) === SP || c === HT)) q++;
    if (q >= e || buf[q] !== EQ) continue;
    q = skipWs(buf, q + 1, e);
    if (q < e && buf[q] === DQUOTE) {
      const vs = q + 1;
      let ve = vs;
      while (ve < e && buf[ve] !== DQUOTE) ve += buf[ve] === 92 ? 2 : 1;
      prS = vs;
      prE = Math.min(ve, e);
      prPlain = false;
      return true;
    }
    let ve = q;
    let plain = true;
    let t = 0;
    for (;;) {
      while (ve < e && (t = PARAM_END[buf[ve]!]!) === 0) ve++;
      if (ve >= e || t === 1) break;
      plain = false;
      ve++;
    }
    prS = q;
    prE = ve;
    prPlain = plain;
    return true;
  }
  return false;
}

/**
 * From/To: `"Display" <sip:user@host;uri-params>;tag=x` or `sip:user@host;tag=x`. Without `wantDisplay`
 * the display name is not read; without `wantUser` no string is made for the user: a tagless value
 * gives a found user as '' (whether there is one still decides which of repeated From/To headers
 * counts: the first with a tag or a user), and a tagged one is not searched for a user at all.
 */
/** Scratch result of `parseNameAddr`, read at once by the caller (no object per header). */
const nameAddr: NameAddr = { display: undefined, user: undefined, tag: undefined };

function parseNameAddr(buf: Uint8Array, s: number, e: number, wantDisplay = true, wantUser = true): NameAddr {
  const out = nameAddr;
  out.display = undefined;
  out.user = undefined;
  out.tag = undefined;
  let p = skipWs(buf, s, e);
  let uriStart: number;
  let uriEnd: number;
  let paramsStart: number;
  if (p < e && buf[p] === DQUOTE) {
    let q = p + 1;
    while (q < e && buf[q] !== DQUOTE) q += buf[q] === 92 ? 2 : 1;
    if (q > p + 1 && wantDisplay) out.display = text(buf, p + 1, Math.min(q, e));
    p = q + 1;
  }
  const lt = indexOfByte(buf, LT, p, e);
  if (lt >= 0) {
    if (wantDisplay && out.display === undefined && lt > p) {
      const d = text(buf, p, lt);
      if (d) out.display = d;
    }
    uriStart = lt + 1;
    // The native search for this header's '>' (what it reads past the value is counted: see
    // searchByteWithin).
    const gt = searchByteWithin(buf, GT, uriStart, e);
    uriEnd = gt < 0 ? e : gt;
    paramsStart = gt < 0 ? e : gt + 1;
  } else {
    uriStart = skipWs(buf, p, e);
    const semi = indexOfByte(buf, SEMI, uriStart, e);
    uriEnd = semi < 0 ? trimEnd(buf, uriStart, e) : semi;
    paramsStart = semi < 0 ? e : semi;
  }
  if (paramRange(buf, paramsStart, e, L_TAG) && prE > prS) out.tag = paramText(buf);
  // Without `wantUser` the user matters only when there is no tag (see above): not looked for then.
  if (!wantUser && out.tag !== undefined) return out;
  const colon = indexOfByte(buf, COLON, uriStart, uriEnd);
  if (colon > uriStart) {
    const us = colon + 1;
    let ue = us;
    if (eqCI(buf, uriStart, colon, L_TEL)) {
      while (ue < uriEnd && buf[ue] !== SEMI) ue++;
    } else {
      // One walk to the '@': the user part ends at the first ':' or ';' before it (no '@': no user).
      let stop = -1;
      let c = 0;
      while (ue < uriEnd && (c = buf[ue]!) !== AT) {
        if (stop < 0 && (c === COLON || c === SEMI)) stop = ue;
        ue++;
      }
      if (ue >= uriEnd) ue = us;
      else if (stop >= 0) ue = stop;
    }
    if (ue > us) out.user = wantUser ? text(buf, us, ue) : '';
  }
  return out;
}

/** Result of reading a Reason header value list. */
interface ReasonInfo {
  q850?: number;
  text?: string;
}

/** RFC 3326: `Q.850 ;cause=16 ;text="Normal call clearing", SIP ;cause=200`. */
function parseReason(buf: Uint8Array, s: number, e: number, into: ReasonInfo, wantText = true): void {
  let p = s;
  while (p < e) {
    p = skipWs(buf, p, e);
    // One reason-value ends at a ',' outside quotes.
    let q = p;
    let inQ = false;
    while (q < e && (inQ || buf[q] !== COMMA)) {
      if (buf[q] === DQUOTE) inQ = !inQ;
      else if (inQ && buf[q] === 92) q++;
      q++;
    }
    q = Math.min(q, e);
    let t = p;
    while (t < q && isTokenChar(buf[t]!)) t++;
    if (eqCI(buf, p, t, L_Q850)) {
      if (paramRange(buf, t, q, L_CAUSE) && into.q850 === undefined) {
        const n = parseUint(buf, prS, prE);
        if (n >= 0 && n < 1000) {
          into.q850 = n;
          if (wantText) into.text = text(buf, p, q);
        }
      }
    } else if (wantText && into.text === undefined && t > p) {
      into.text = text(buf, p, q);
    }
    p = q + 1;
  }
}

/** One line of SDP or headers: [s, e) without the line terminator; returns the next line start. */
function lineEnd(buf: Uint8Array, p: number, end: number): number {
  for (;;) {
    // One compare a byte: text bytes are above CR; the few below it are checked one by one.
    while (p < end && buf[p]! > CR) p++;
    if (p >= end) return end;
    const c = buf[p]!;
    if (c === LF || c === CR) return p;
    p++;
  }
}

function nextLine(buf: Uint8Array, p: number, end: number): number {
  if (p < end && buf[p] === CR) p++;
  if (p < end && buf[p] === LF) p++;
  return p;
}

const MAX_CODECS = 16;

/** "0".."127" (RTP payload type numbers), made once. */
const SMALL_NUMBERS = Array.from({ length: 128 }, (_, i) => String(i));

/** Text of buf[s, e): from the table when it is a payload-type number written without leading zeros. */
function numberText(buf: Uint8Array, s: number, e: number): string {
  const n = e - s;
  if (n >= 1 && n <= 3 && isDigit(buf[s]!) && (n === 1 || buf[s] !== 48)) {
    let v = 0;
    let i = s;
    while (i < e && isDigit(buf[i]!)) v = v * 10 + (buf[i++]! - 48);
    if (i === e && v < 128) return SMALL_NUMBERS[v]!;
  }
  return text(buf, s, e);
}

/**
 * The audio part of an SDP body (RFC 4566): c=, the first m=audio, a=rtpmap for its formats.
 * `lean`: the media address and port only (`codecs` empty), for the call tracker.
 */
export function scanSdp(buf: Uint8Array, s: number, e: number, lean = false): SdpSummary | undefined {
  let sessionAddr: string | undefined;
  let mediaAddr: string | undefined;
  let port: number | undefined;
  let inAudio = false;
  let seenAudio = false;
  const fmts: string[] = [];
  // a=rtpmap payload types and names, in order (a later line for the same type wins, as in a Map).
  let rtpPts: string[] | undefined;
  let rtpNames: string[] | undefined;
  let p = s;
  // A line ends at its first CR or LF: the next of each is found by the native search and kept until
  // passed (one search of each per CRLF line; none at all for a kind that is not there).
  let nextCr = -1;
  let nextLf = -1;
  while (p < e) {
    if (nextCr < p) {
      nextCr = searchByteWithin(buf, CR, p, e);
      if (nextCr < 0) nextCr = e;
    }
    if (nextLf < p) {
      nextLf = searchByteWithin(buf, LF, p, e);
      if (nextLf < 0) nextLf = e;
    }
    const le = nextCr < nextLf ? nextCr : nextLf;
    if (le - p >= 2 && buf[p + 1] === EQ) {
      const k = buf[p];
      if (k === 109) { // m=
        if (seenAudio) { inAudio = false; if (port !== undefined) break; }
        if (startsCI(buf, p + 2, le, AUDIO)) {
          inAudio = true;
          seenAudio = true;
          let q = p + 2 + AUDIO.length;
          const pv = parseUint(buf, q, le);
          if (pv >= 0 && pv < 65536) port = pv;
          q = skipWs(buf, q, le);
          while (q < le && buf[q] !== SP) q++; // port[/n]
          q = skipWs(buf, q, le);
          while (q < le && buf[q] !== SP) q++; // proto
          while (!lean && q < le && fmts.length < MAX_CODECS) {
            q = skipWs(buf, q, le);
            const fs = q;
            while (q < le && buf[q] !== SP) q++;
            if (q > fs) fmts.push(numberText(buf, fs, q));
          }
        }
      } else if (k === 99) { // c=IN IP4 addr[/ttl]
        let q = p + 2;
        for (let f = 0; f < 2; f++) {
          while (q < le && buf[q] !== SP) q++;
          q = skipWs(buf, q, le);
        }
        let ae = q;
        while (ae < le && buf[ae] !== SP && buf[ae] !== 47) ae++;
        if (ae > q) {
          const a = text(buf, q, ae);
          if (inAudio) mediaAddr = a;
          else if (!seenAudio) sessionAddr = a;
        }
      } else if (k === 97 && inAudio && !lean && startsCI(buf, p + 2, le, RTPMAP)) { // a=rtpmap:pt name/rate
        let q = p + 2 + RTPMAP.length;
        const ps = q;
        while (q < le && isDigit(buf[q]!)) q++;
        const pt = numberText(buf, ps, q);
        q = skipWs(buf, q, le);
        const nsStart = q;
        while (q < le && buf[q] !== 47 && buf[q] !== SP) q++;
        if (q > nsStart && pt) {
          (rtpPts ??= []).push(pt);
          (rtpNames ??= []).push(text(buf, nsStart, q));
        }
      }
    }
    p = nextLine(buf, le, e);
    if (p === le) p++; // lone CR handled by nextLine; guard against no progress
  }
  if (!seenAudio && sessionAddr === undefined) return undefined;
  if (rtpPts && rtpNames) {
    for (let i = 0; i < fmts.length; i++) {
      const f = fmts[i]!;
      for (let j = rtpPts.length - 1; j >= 0; j--) {
        if (rtpPts[j] === f) {
          fmts[i] = rtpNames[j]!;
          break;
        }
      }
    }
  }
  const out: SdpSummary = { codecs: fmts };
  const addr = mediaAddr ?? sessionAddr;
  if (addr !== undefined) out.addr = addr;
  if (port !== undefined) out.port = port;
  return out;
}

const AUDIO = lit('audio');
const rawDecoder = new TextDecoder('utf-8');
const RTPMAP = lit('rtpmap:');
const V0 = lit('v=0');

/**
 * Reads one SIP message at buf[start, end). `end` is the end of the datagram or of the framed stream
 * message. Returns null when there is no valid start line (`problem.anomaly` says why). A message that
 * lacks Call-ID or CSeq is still returned (tshark counts it on the wire) with `malformed` set.
 *
 * `lean`: read only what the call tracker uses: no request URI, Contact, display names,
 * Reason header text, Retry-After or correlation id; the reason phrase and User-Agent/Server only where
 * the tracker keeps them (INVITE requests, final responses to INVITE), From/To users only on INVITE
 * requests (elsewhere a found user is '' in a From/To without a tag, and not looked for in one with a tag), the Via branch only on INVITE/CANCEL/ACK requests and responses,
 * SDP only for methods that negotiate media and then without codecs. Everything the
 * tracker reads is the same as in a full scan.
 */
export function scanSipMessage(
  buf: Uint8Array,
  start: number,
  end: number,
  meta: MessageMeta,
  keepRaw?: boolean,
  problem?: ScanProblem,
  knownStartLineEnd?: number,
  lean?: boolean,
): SipMessage | null {
  // A caller that already validated the start line passes its end (`startLineEnd(buf, start, end)`).
  const sl = knownStartLineEnd ?? startLineEnd(buf, start, end);
  if (sl < 0) {
    if (problem) problem.anomaly = end - start < 12 ? 'sip-truncated' : 'sip-bad-start-line';
    return null;
  }
  // Every field declared up front: one object shape for all messages (optional ones stay undefined,
  // which JSON output omits).
  const m: SipMessage = {
    ts: meta.ts,
    src: meta.src,
    srcPort: meta.srcPort,
    dst: meta.dst,
    dstPort: meta.dstPort,
    transport: meta.transport,
    isRequest: false,
    method: undefined,
    requestUri: undefined,
    status: undefined,
    reason: undefined,
    callId: '',
    cseq: -1,
    cseqMethod: '',
    fromUser: undefined,
    fromDisplay: undefined,
    fromTag: undefined,
    toUser: undefined,
    toTag: undefined,
    viaBranch: undefined,
    contact: undefined,
    q850: undefined,
    reasonHeader: undefined,
    userAgent: undefined,
    retryAfter: undefined,
    contentLength: undefined,
    sdp: undefined,
    correlation: undefined,
    position: meta.position,
    raw: undefined,
    malformed: undefined,
  };
  if (startsWithBytes(buf, start, end, SIP20_EXACT)) {
    m.status = (buf[start + 8]! - 48) * 100 + (buf[start + 9]! - 48) * 10 + (buf[start + 10]! - 48);
    if (!lean) m.reason = text(buf, start + 11, sl);
  } else {
    m.isRequest = true;
    let p = start;
    while (buf[p] !== SP) p++;
    m.method = methodString(buf, start, p);
    if (!lean) {
      const us = p + 1;
      let ue = us;
      while (buf[ue] !== SP) ue++;
      m.requestUri = text(buf, us, ue);
    }
  }
  // From/To users: the tracker reads them on INVITE requests only.
  const wantUser = !lean || m.method === 'INVITE';
  // User-Agent (requests) / Server (responses): the first one's value range, made a string at the end.
  let uaS = -1;
  let uaE = -1;

  // Headers: name ':' value, continuation lines start with SP/HT.
  let p = nextLine(buf, sl, end);
  let ctype = 0; // 0 unknown, 1 sdp, 2 multipart, 3 other
  let viaSeen = false;
  let headersEnd = -1;
  let bodyStart = end;
  let reason: ReasonInfo | undefined;
  while (p < end) {
    const c = buf[p]!;
    if (c === CR || c === LF) {
      headersEnd = p;
      bodyStart = nextLine(buf, p, end);
      break;
    }
    // Header name up to ':' (whitespace allowed before the colon).
    const ns = p;
    let b = c;
    let ne: number;
    let kind = quickName(buf, p, end);
    if (kind >= 0) {
      ne = p + (kind >> 4);
      kind &= 15;
      p = ne;
    } else {
      while (NAME_END[b] === 0 && ++p < end) b = buf[p]!;
      if (p >= end || b !== COLON) {
        // A line without a colon: skip it (tolerant, like most stacks).
        p = nextLine(buf, lineEnd(buf, p, end), end);
        continue;
      }
      ne = p;
      while (ne > ns && ((b = buf[ne - 1]!) === SP || b === HT)) ne--;
      kind = ne > ns ? headerKind(buf, ns, ne) : H_OTHER;
    }
    const vs = p + 1;
    // Value to the LF ending its line (a bare CR is part of it), plus folded continuation lines
    // (the next line starts with SP/HT). The LF is found by the native search.
    let q = vs;
    for (;;) {
      q = searchByteWithin(buf, LF, q, end);
      if (q < 0) { q = end; break; }
      if (q + 1 < end && ((b = buf[q + 1]!) === SP || b === HT)) q += 2;
      else break;
    }
    const ve = q > vs && buf[q - 1] === CR ? q - 1 : q;
    const nl = q < end ? q + 1 : end;
    {
      switch (kind) {
        case H_CALLID:
          if (!m.callId) m.callId = text(buf, vs, ve);
          break;
        case H_CSEQ: {
          if (m.cseq >= 0) break;
          const q0 = skipWs(buf, vs, ve);
          let q = q0;
          let n = 0;
          let d = 0;
          // The number in the same walk (up to 10 digits it is exact; longer ones are not taken).
          while (q < ve && (d = buf[q]! - 48) >>> 0 <= 9) {
            n = n * 10 + d;
            q++;
          }
          if (q > q0 && q - q0 <= 10) {
            m.cseq = n;
            const ms = skipWs(buf, q, ve);
            let me = ms;
            while (me < ve && isTokenChar(buf[me]!)) me++;
            if (me > ms) m.cseqMethod = methodString(buf, ms, me);
          }
          break;
        }
        case H_FROM: {
          if (m.fromTag !== undefined || m.fromUser !== undefined) break;
          const a = parseNameAddr(buf, vs, ve, !lean, wantUser);
          if (a.user !== undefined) m.fromUser = a.user;
          if (a.display !== undefined) m.fromDisplay = a.display;
          if (a.tag !== undefined) m.fromTag = a.tag;
          break;
        }
        case H_TO: {
          if (m.toTag !== undefined || m.toUser !== undefined) break;
          const a = parseNameAddr(buf, vs, ve, !lean, wantUser);
          if (a.user !== undefined) m.toUser = a.user;
          if (a.tag !== undefined) m.toTag = a.tag;
          break;
        }
        case H_VIA: {
          if (viaSeen) break;
          viaSeen = true;
          // Lean: the tracker matches by branch only INVITE, CANCEL and ACK requests and responses.
          if (lean && m.isRequest && m.method !== 'INVITE' && m.method !== 'CANCEL' && m.method !== 'ACK') break;
          // The sent-by before the first ';' is passed by the native search (once a message: only the
          // first Via is read), not walked by `paramRange`; a ',' in it still ends the search, as there.
          const semi = searchByteWithin(buf, SEMI, vs, ve);
          if (semi < 0 || indexOfByte(buf, COMMA, vs, semi) >= 0) break;
          if (paramRange(buf, semi, ve, L_BRANCH) && prE > prS) m.viaBranch = paramText(buf);
          break;
        }
        case H_CONTACT: {
          if (lean || m.contact !== undefined) break;
          const lt = indexOfByte(buf, LT, vs, ve);
          if (lt >= 0) {
            const gt = indexOfByte(buf, GT, lt, ve);
            m.contact = text(buf, lt + 1, gt < 0 ? ve : gt);
          } else {
            let q = skipWs(buf, vs, ve);
            const cs = q;
            while (q < ve && buf[q] !== SEMI && buf[q] !== COMMA) q++;
            m.contact = text(buf, cs, q);
          }
          break;
        }
        case H_REASON:
          parseReason(buf, vs, ve, (reason ??= {}), !lean);
          break;
        case H_UA:
          if (m.isRequest && uaS < 0) {
            uaS = vs;
            uaE = ve;
          }
          break;
        case H_SERVER:
          if (!m.isRequest && uaS < 0) {
            uaS = vs;
            uaE = ve;
          }
          break;
        case H_CLEN: {
          const n = parseUint(buf, vs, ve);
          if (n >= 0 && m.contentLength === undefined) m.contentLength = n;
          break;
        }
        case H_CTYPE: {
          const q = skipWs(buf, vs, ve);
          ctype = startsCI(buf, q, ve, L_SDP) ? 1 : startsCI(buf, q, ve, L_MULTIPART) ? 2 : 3;
          break;
        }
        case H_RETRY: {
          if (lean) break;
          const n = parseUint(buf, vs, ve);
          if (n >= 0 && m.retryAfter === undefined) m.retryAfter = n;
          break;
        }
        case H_X:
          if (!lean && m.correlation === undefined && isCorrelationName(buf, ns, ne)) {
            const v = text(buf, vs, ve);
            if (v) m.correlation = v;
          }
          break;
        default:
          break;
      }
    }
    p = nl;
  }
  if (reason) {
    if (reason.q850 !== undefined) m.q850 = reason.q850;
    if (reason.text !== undefined) m.reasonHeader = reason.text;
  }
  // Lean: a final response to an INVITE keeps its reason phrase and Server; an INVITE its User-Agent.
  const finalToInvite = !m.isRequest && m.cseqMethod === 'INVITE' && m.status! >= 200;
  if (lean && finalToInvite) m.reason = text(buf, start + 11, sl);
  if (uaS >= 0 && (!lean || finalToInvite || m.method === 'INVITE')) m.userAgent = text(buf, uaS, uaE);

  let msgEnd = end;
  if (headersEnd >= 0) {
    let bodyEnd = end;
    if (m.contentLength !== undefined && bodyStart + m.contentLength < end) bodyEnd = bodyStart + m.contentLength;
    msgEnd = bodyEnd;
    if (bodyEnd > bodyStart && (!lean || negotiatesMedia(m))) {
      if (ctype === 1 || (ctype === 0 && startsCI(buf, bodyStart, bodyEnd, V0))) {
        const sdp = scanSdp(buf, bodyStart, bodyEnd, lean);
        if (sdp) m.sdp = sdp;
      } else if (ctype === 2) {
        // multipart/mixed (e.g. SDP + ISUP): parse from the first "v=0" line.
        const v = findLine(buf, bodyStart, bodyEnd, V0);
        if (v >= 0) {
          const sdp = scanSdp(buf, v, bodyEnd, lean);
          if (sdp) m.sdp = sdp;
        }
      }
    }
  }

  if (!m.callId) {
    m.malformed = 'sip-missing-call-id';
  } else if (m.cseq < 0 || !m.cseqMethod) {
    m.malformed = 'sip-bad-cseq';
  }
  if (keepRaw) m.raw = rawDecoder.decode(buf.subarray(start, msgEnd));
  return m;
}

/** Whether the tracker reads the SDP of this message: offers and answers of INVITE, ACK, UPDATE, PRACK. */
function negotiatesMedia(m: SipMessage): boolean {
  const k = m.isRequest ? m.method : m.cseqMethod;
  return k === 'INVITE' || k === 'UPDATE' || k === 'PRACK' || (m.isRequest && k === 'ACK');
}

/** Start of the first line in [s, e) that begins with the lower-case literal, or -1. */
function findLine(buf: Uint8Array, s: number, e: number, l: Uint8Array): number {
  let p = s;
  while (p < e) {
    if (startsCI(buf, p, e, l)) return p;
    p = nextLine(buf, lineEnd(buf, p, e), e);
  }
  return -1;
}

/** Whether the byte at p starts a line (start of range or after LF). */
export function isLineStart(buf: Uint8Array, p: number, s: number): boolean {
  return p === s || buf[p - 1] === LF;
}


