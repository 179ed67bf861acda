/**
 * RFC 3326 Reason header: `Reason: Q.850 ;cause=16 ;text="Terminated", SIP ;cause=200 ;text="Call completed elsewhere"`.
 *   Reason            = "Reason" HCOLON reason-value *(COMMA reason-value)
 *   reason-value      = protocol *(SEMI reason-params)
 *   reason-params     = protocol-cause / reason-text / reason-extension
 *   protocol-cause    = "cause" EQUAL cause        (cause = 1*DIGIT)
 *   reason-text       = "text" EQUAL quoted-string
 * Parsed by one scan over the characters (no regular expressions); the input comes from the wire.
 */
export interface ReasonValue {
  /** Protocol token as written (`Q.850`, `SIP`, `preemption`, ...). */
  protocol: string;
  cause?: number;
  text?: string;
}

const MAX_HEADER = 4096;

/** The first reason value of a Reason header (value with or without the `Reason:` name). */
export function parseReasonHeader(text: string): ReasonValue | undefined {
  return parseReasonHeaderValues(text, 1)[0];
}

/** Every reason value of a Reason header; values that have no protocol token are skipped. */
export function parseReasonHeaderValues(text: string, limit = 16): ReasonValue[] {
  const s = text.length > MAX_HEADER ? text.slice(0, MAX_HEADER) : text;
  const out: ReasonValue[] = [];
  let i = skipName(s);
  const n = s.length;
  while (i < n && out.length < limit) {
    i = skipWs(s, i);
    const pStart = i;
    while (i < n && isTokenChar(s.charCodeAt(i))) i++;
    const protocol = s.slice(pStart, i);
    const value: ReasonValue = { protocol };
    // parameters until the comma that ends this reason-value
    for (;;) {
      i = skipWs(s, i);
      if (i >= n) break;
      const c = s.charCodeAt(i);
      if (c === 0x2c /* , */) { i++; break; }
      if (c !== 0x3b /* ; */) { i = skipToComma(s, i); continue; }
      i = skipWs(s, i + 1);
      const nStart = i;
      while (i < n && isTokenChar(s.charCodeAt(i))) i++;
      const pname = s.slice(nStart, i).toLowerCase();
      i = skipWs(s, i);
      let pvalue = '';
      if (i < n && s.charCodeAt(i) === 0x3d /* = */) {
        i = skipWs(s, i + 1);
        if (i < n && s.charCodeAt(i) === 0x22 /* " */) {
          const q = readQuoted(s, i);
          pvalue = q.value;
          i = q.end;
        } else {
          const vStart = i;
          while (i < n && isTokenChar(s.charCodeAt(i))) i++;
          pvalue = s.slice(vStart, i);
        }
      }
      if (pname === 'cause' && value.cause === undefined) {
        const num = parseDigits(pvalue);
        if (num !== undefined) value.cause = num;
      } else if (pname === 'text' && value.text === undefined) {
        value.text = pvalue;
      }
    }
    if (protocol) out.push(value);
  }
  return out;
}

/** Skips `Reason:` when the header name is included. */
function skipName(s: string): number {
  let i = skipWs(s, 0);
  if (s.length - i >= 6 && s.slice(i, i + 6).toLowerCase() === 'reason') {
    let j = skipWs(s, i + 6);
    if (s.charCodeAt(j) === 0x3a /* : */) return j + 1;
  }
  return i;
}

function skipWs(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) break;
    i++;
  }
  return i;
}

function skipToComma(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 0x2c || c === 0x3b) return i;
    if (c === 0x22) { i = readQuoted(s, i).end; continue; }
    i++;
  }
  return i;
}

/** RFC 3261 quoted-string with backslash escapes; an unterminated string runs to the end. */
function readQuoted(s: string, start: number): { value: string; end: number } {
  let out = '';
  let i = start + 1;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 0x22) return { value: out, end: i + 1 };
    if (c === 0x5c /* \ */ && i + 1 < s.length) { out += s[i + 1]; i += 2; continue; }
    out += s[i];
    i++;
  }
  return { value: out, end: i };
}

/** RFC 3261 token characters. */
function isTokenChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
    c === 0x2d || c === 0x2e || c === 0x21 || c === 0x25 || c === 0x2a || c === 0x5f || c === 0x2b ||
    c === 0x60 || c === 0x27 || c === 0x7e
  );
}

function parseDigits(v: string): number | undefined {
  if (v.length === 0 || v.length > 9) return undefined;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return undefined;
    n = n * 10 + c;
  }
  return n;
}
