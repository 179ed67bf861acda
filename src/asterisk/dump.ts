/**
 * SIP message dumps in Asterisk logs, collected line by line and handed to the SIP scanner.
 *
 *   chan_sip (`sip set debug on`, 1.8+):
 *     <--- SIP read from UDP:1.2.3.4:5060 --->          <--- Transmitting (NAT) to 1.2.3.4:5060 --->
 *     INVITE sip:… SIP/2.0                               SIP/2.0 200 OK
 *     …                                                  …
 *     <------------->                                    <------------>
 *   chan_sip 1.4:  `Transmitting (no NAT) to 1.2.3.4:5060:` … `---`
 *   res_pjsip_logger (`pjsip set logger on`, no end marker):
 *     <--- Received SIP request (812 bytes) from UDP:1.2.3.4:5060 --->
 *     <--- Transmitting SIP response (512 bytes) to UDP:1.2.3.4:5060 --->
 *
 * A dump ends at its end marker, when the body announced by Content-Length is complete, at the next log line
 * (stamped, JSON or another dump header), or at the end of the input. Lines are re-joined with CRLF.
 * The Asterisk side of a dumped message has no address in the log: it is written as `asterisk` (port 0).
 */
import type { Transport } from '../types.js';

export const LOCAL_SIDE = 'asterisk';
/** Largest dump kept (a SIP message over UDP is far smaller; TCP ones rarely exceed this). */
export const MAX_DUMP_BYTES = 256 * 1024;

export interface DumpHeader {
  incoming: boolean;
  addr: string;
  port: number;
  transport: Transport;
  /** 1.4 style, ends with a `---` line. */
  oldStyle: boolean;
}

const TRANSPORTS: Record<string, Transport> = { udp: 'udp', tcp: 'tcp', tls: 'tls', ws: 'ws', wss: 'ws', sctp: 'sctp' };

/** Splits `UDP:1.2.3.4:5060`, `1.2.3.4:5060`, `[2001:db8::1]:5060` into transport, address, port. */
function splitPeer(s: string): { transport: Transport; addr: string; port: number } {
  let t = s.trim();
  let transport: Transport = 'log';
  const c = t.indexOf(':');
  if (c > 0 && c <= 4) {
    const tp = TRANSPORTS[t.slice(0, c).toLowerCase()];
    if (tp !== undefined) {
      transport = tp;
      t = t.slice(c + 1);
    }
  }
  if (t.startsWith('[')) {
    const close = t.indexOf(']');
    const addr = close > 0 ? t.slice(1, close) : t.slice(1);
    const port = close > 0 && t[close + 1] === ':' ? Number(t.slice(close + 2)) : 0;
    return { transport, addr, port: Number.isFinite(port) ? port : 0 };
  }
  const last = t.lastIndexOf(':');
  if (last > 0 && t.indexOf(':') === last) {
    const port = Number(t.slice(last + 1));
    return { transport, addr: t.slice(0, last), port: Number.isInteger(port) ? port : 0 };
  }
  return { transport, addr: t, port: 0 };
}

/**
 * Reads a dump header (the message text of the line, e.g. `<--- SIP read from UDP:1.2.3.4:5060 --->`);
 * undefined when the text is not one.
 */
export function parseDumpHeader(text: string): DumpHeader | undefined {
  let t = text.trim();
  let oldStyle = false;
  if (t.startsWith('<--- ')) {
    if (!t.endsWith('--->')) return undefined;
    t = t.slice(5, -4).trim();
  } else if ((t.startsWith('Transmitting (') || t.startsWith('Reliably Transmitting (')) && t.endsWith(':')) {
    oldStyle = true;
    t = t.slice(0, -1);
  } else {
    return undefined;
  }
  let incoming: boolean;
  let peer: string;
  let i: number;
  if ((i = t.indexOf('read from ')) >= 0) {
    incoming = true;
    peer = t.slice(i + 10);
  } else if (t.startsWith('Received SIP ') && (i = t.indexOf(' from ')) >= 0) {
    incoming = true;
    peer = t.slice(i + 6);
  } else if (t.includes('Transmitting') && (i = t.lastIndexOf(' to ')) >= 0) {
    incoming = false;
    peer = t.slice(i + 4);
  } else {
    return undefined;
  }
  const p = splitPeer(peer);
  if (p.addr === '' || p.addr.includes(' ')) return undefined;
  return { incoming, addr: p.addr, port: p.port, transport: p.transport, oldStyle };
}

/** `<------------->`, `<------------>` (chan_sip end markers). */
export function isDumpEndMarker(b: Uint8Array, s: number, e: number): boolean {
  if (e - s < 6 || b[s] !== 60) return false;
  for (let i = s + 1; i < e; i++) {
    const c = b[i];
    if (c !== 45 && !(c === 62 && i === e - 1)) return false;
  }
  return true;
}

const CONTENT_LENGTH = 'content-length';

/** An open dump being collected. */
export class DumpBuffer {
  header: DumpHeader | undefined;
  ts = 0;
  marker = '';
  line = 0;
  offset = 0;
  /** Log lines that belong to this dump (header and end marker included). */
  lines = 0;
  len = 0;
  tooBig = false;
  private buf = new Uint8Array(4096);
  private inBody = false;
  private sawStart = false;
  private contentLength = -1;
  private bodyBytes = 0;
  private headersLen = -1;

  get active(): boolean {
    return this.header !== undefined;
  }

  /**
   * Whether the message stopped before its end (read before `reset`): no blank line after its headers, or a
   * body shorter than its Content-Length. A dump is cut short when the next log line comes first (a line
   * lost, `pjsip set logger off` or a rotation in the middle of it).
   */
  get cutShort(): boolean {
    return !this.inBody || (this.contentLength > 0 && this.bodyBytes < this.contentLength);
  }

  begin(h: DumpHeader, ts: number, marker: string, line: number, offset: number): void {
    this.header = h;
    this.ts = ts;
    this.marker = marker;
    this.line = line;
    this.offset = offset;
    this.lines = 1;
    this.len = 0;
    this.tooBig = false;
    this.inBody = false;
    this.sawStart = false;
    this.contentLength = -1;
    this.bodyBytes = 0;
    this.headersLen = -1;
  }

  /** Adds one message line; returns true when the message is complete (by Content-Length). */
  add(b: Uint8Array, s: number, e: number): boolean {
    this.lines++;
    if (!this.sawStart) {
      if (s === e) return false; // blank lines before the start line
      this.sawStart = true;
    }
    if (!this.inBody) {
      if (s === e) {
        this.inBody = true;
        this.headersLen = this.len;
      } else if (this.contentLength < 0) {
        this.contentLength = contentLengthOf(b, s, e);
      }
    } else {
      this.bodyBytes += e - s + 2;
    }
    this.append(b, s, e);
    return this.inBody && this.contentLength >= 0 && this.bodyBytes >= this.contentLength;
  }

  /** The collected message (valid until the next `begin`): trailing blank lines dropped, terminators ensured. */
  message(): { buf: Uint8Array; len: number } {
    let len = this.len;
    while (len >= 2 && this.buf[len - 1] === 10 && this.buf[len - 2] === 13) len -= 2;
    this.len = len;
    const hasBody = this.headersLen >= 0 && len > this.headersLen;
    this.appendRaw(hasBody ? CRLF : CRLFCRLF);
    return { buf: this.buf, len: this.len };
  }

  reset(): void {
    this.header = undefined;
    this.lines = 0;
    this.len = 0;
    if (this.buf.length > 64 * 1024) this.buf = new Uint8Array(4096);
  }

  private append(b: Uint8Array, s: number, e: number): void {
    if (this.tooBig) return;
    if (this.len + (e - s) + 2 > MAX_DUMP_BYTES) {
      this.tooBig = true;
      return;
    }
    this.ensure(this.len + (e - s) + 2);
    this.buf.set(b.subarray(s, e), this.len);
    this.len += e - s;
    this.buf[this.len++] = 13;
    this.buf[this.len++] = 10;
  }

  private appendRaw(x: Uint8Array): void {
    this.ensure(this.len + x.length);
    this.buf.set(x, this.len);
    this.len += x.length;
  }

  private ensure(n: number): void {
    if (n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}

const CRLF = new Uint8Array([13, 10]);
const CRLFCRLF = new Uint8Array([13, 10, 13, 10]);

/** `Content-Length: 123` / `l: 123` header line → 123; -1 otherwise. */
function contentLengthOf(b: Uint8Array, s: number, e: number): number {
  let p = s;
  const c0 = b[s]! | 0x20;
  if (c0 === 108 /* l */ && (b[s + 1] === 58 || b[s + 1] === 32)) {
    p = s + 1;
  } else if (c0 === 99 /* c */ && e - s > CONTENT_LENGTH.length) {
    for (let i = 0; i < CONTENT_LENGTH.length; i++) if ((b[s + i]! | 0x20) !== CONTENT_LENGTH.charCodeAt(i)) return -1;
    p = s + CONTENT_LENGTH.length;
  } else {
    return -1;
  }
  while (p < e && (b[p] === 32 || b[p] === 9)) p++;
  if (b[p] !== 58) return -1;
  p++;
  while (p < e && (b[p] === 32 || b[p] === 9)) p++;
  let v = 0;
  let n = 0;
  while (p < e && b[p]! >= 48 && b[p]! <= 57 && n < 9) {
    v = v * 10 + (b[p]! - 48);
    p++;
    n++;
  }
  return n > 0 ? v : -1;
}
