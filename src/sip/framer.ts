/**
 * SIP over stream transports (TCP/TLS): message boundaries by Content-Length (RFC 3261 §18.3).
 * Several messages may arrive in one chunk and one message across many; CRLF keep-alives
 * (RFC 5626 §3.5.1) between messages are skipped; bytes that are not a start line are junk: we skip
 * to the next line that is one and name what we skipped.
 */
import { CR, LF, COLON, parseUint, trimEnd } from './bytes.js';
import { headerKind, startLineEnd } from './scanner.js';

/** Longest header block accepted before a message is given up as junk. */
export const MAX_SIP_HEADER_BYTES = 64 * 1024;
/** Largest body accepted (bigger Content-Length values are treated as corrupt). */
export const MAX_SIP_BODY_BYTES = 1 << 20;

const H_CLEN = 10; // headerKind code for Content-Length / l

export interface FrameAnomaly {
  name: 'sip-junk-before-message' | 'sip-headers-too-long' | 'sip-bad-content-length';
  offset: number;
}

export interface FrameResult {
  /** [start, end) of each complete message, in order. */
  messages: Array<[number, number]>;
  /** Offset up to which the bytes were used or skipped; [consumed, end) is an incomplete message. */
  consumed: number;
  anomalies: FrameAnomaly[];
  /** Messages that carried no Content-Length (taken as 0, as RFC 3261 §18.3 requires for streams). */
  missingLength: number;
}

/** Index just past the blank line ending the headers that start at `p`, or -1 when not in [p, end). */
function headersEnd(buf: Uint8Array, p: number, end: number): number {
  for (let i = p; i < end; i++) {
    if (buf[i] !== LF) continue;
    const n = i + 1;
    if (n < end && buf[n] === LF) return n + 1;
    if (n + 1 < end && buf[n] === CR && buf[n + 1] === LF) return n + 2;
  }
  return -1;
}

/** Content-Length over the header block [s, e): the value, -1 when absent, -2 when unreadable. */
function contentLength(buf: Uint8Array, s: number, e: number): number {
  let p = s;
  while (p < e) {
    let le = p;
    while (le < e && buf[le] !== LF) le++;
    const c = buf[p]!;
    if (c !== 32 && c !== 9) {
      let colon = p;
      while (colon < le && buf[colon] !== COLON) colon++;
      if (colon < le) {
        const ne = trimEnd(buf, p, colon);
        if (ne > p && headerKind(buf, p, ne) === H_CLEN) {
          const n = parseUint(buf, colon + 1, le);
          return n < 0 ? -2 : n;
        }
      }
    }
    p = le + 1;
  }
  return -1;
}

/** Whether [p, end) holds no line terminator yet (a start line may still be arriving). */
function lineIncomplete(buf: Uint8Array, p: number, end: number): boolean {
  for (let i = p; i < end; i++) if (buf[i] === LF || buf[i] === CR) return false;
  return true;
}

/** Start of the next line after p that is a valid start line, or -1 (search stops at `end`). */
function nextStartLine(buf: Uint8Array, p: number, end: number): number {
  for (let i = p; i < end; i++) {
    if (buf[i] !== LF) continue;
    const q = i + 1;
    if (q < end && startLineEnd(buf, q, end) >= 0) return q;
  }
  return -1;
}

/** Splits buf[start, end) into complete SIP messages. Stateless; see SipStreamFramer for a flow. */
export function frameSipMessages(buf: Uint8Array, start: number, end: number): FrameResult {
  const out: FrameResult = { messages: [], consumed: start, anomalies: [], missingLength: 0 };
  let p = start;
  while (p < end) {
    while (p < end && (buf[p] === CR || buf[p] === LF)) p++;
    out.consumed = p;
    if (p >= end) break;
    const sl = startLineEnd(buf, p, end);
    if (sl < 0) {
      if (lineIncomplete(buf, p, end) && end - p < 8192) break; // wait for the rest of the line
      const q = nextStartLine(buf, p, end);
      out.anomalies.push({ name: 'sip-junk-before-message', offset: p });
      if (q < 0) {
        // Keep a trailing partial line: it may become a start line with the next chunk.
        let last = end;
        while (last > p && buf[last - 1] !== LF) last--;
        p = last > p ? last : end;
        out.consumed = p;
        if (p < end && end - p >= 8192) { p = end; out.consumed = end; }
        break;
      }
      p = q;
      continue;
    }
    const he = headersEnd(buf, sl, end);
    if (he < 0) {
      if (end - p > MAX_SIP_HEADER_BYTES) {
        out.anomalies.push({ name: 'sip-headers-too-long', offset: p });
        const q = nextStartLine(buf, sl, end);
        p = q < 0 ? end : q;
        continue;
      }
      break;
    }
    let cl = contentLength(buf, sl, he);
    if (cl === -1) {
      out.missingLength++;
      cl = 0;
    } else if (cl === -2 || cl > MAX_SIP_BODY_BYTES) {
      out.anomalies.push({ name: 'sip-bad-content-length', offset: p });
      cl = 0;
    }
    const me = he + cl;
    if (me > end) break;
    out.messages.push([p, me]);
    p = me;
    out.consumed = p;
  }
  if (p >= end) out.consumed = end;
  return out;
}

export interface FramerCallbacks {
  message(buf: Uint8Array, start: number, end: number): void;
  anomaly?(name: string, streamOffset: number): void;
}

/**
 * Per-flow framer: keeps the bytes of an incomplete message between chunks (a copy, since chunks are
 * views into reused buffers). Memory per flow is bounded by MAX_SIP_HEADER_BYTES + MAX_SIP_BODY_BYTES.
 */
export class SipStreamFramer {
  private pending = new Uint8Array(0);
  private pendingLen = 0;
  /** Stream offset of pending[0], for anomaly positions. */
  private base = 0;
  /** Messages without Content-Length seen on this flow. */
  missingLength = 0;
  /** Inside a run of junk (no message since the last junk anomaly). */
  private junkOpen = false;

  constructor(private readonly cb: FramerCallbacks) {}

  /** Whether the last bytes seen were junk (no message since). */
  get inJunk(): boolean {
    return this.junkOpen;
  }

  /** Bytes held for an incomplete message. */
  get buffered(): number {
    return this.pendingLen;
  }

  /** Feeds one in-order chunk; returns the number of complete messages delivered. */
  push(chunk: Uint8Array): number {
    let buf: Uint8Array;
    let len: number;
    if (this.pendingLen === 0) {
      buf = chunk;
      len = chunk.length;
    } else {
      this.append(chunk);
      buf = this.pending;
      len = this.pendingLen;
    }
    const r = frameSipMessages(buf, 0, len);
    this.missingLength += r.missingLength;
    // Report in stream order; a run of junk that spans chunks is one anomaly.
    let ai = 0;
    for (const [s, e] of r.messages) {
      for (; ai < r.anomalies.length && r.anomalies[ai]!.offset < s; ai++) this.report(r.anomalies[ai]!);
      this.junkOpen = false;
      this.cb.message(buf, s, e);
    }
    for (; ai < r.anomalies.length; ai++) this.report(r.anomalies[ai]!);
    const rest = len - r.consumed;
    if (buf === chunk) {
      if (rest > 0) {
        this.pendingLen = 0;
        this.append(chunk.subarray(r.consumed));
      }
    } else if (rest > 0) {
      this.pending.copyWithin(0, r.consumed, len);
      this.pendingLen = rest;
    } else {
      this.pendingLen = 0;
    }
    this.base += r.consumed;
    if (this.pending.length > 256 * 1024 && this.pendingLen < 16 * 1024) {
      this.pending = this.pending.slice(0, Math.max(this.pendingLen, 4096)); // give memory back
    }
    return r.messages.length;
  }

  private report(a: FrameAnomaly): void {
    if (a.name === 'sip-junk-before-message') {
      if (this.junkOpen) return;
      this.junkOpen = true;
    }
    this.cb.anomaly?.(a.name, this.base + a.offset);
  }

  /** The flow ended: whatever is buffered is an incomplete message. Returns its size (0 if none). */
  end(): number {
    const n = this.pendingLen;
    this.pendingLen = 0;
    return n;
  }

  private append(chunk: Uint8Array): void {
    const need = this.pendingLen + chunk.length;
    if (need > this.pending.length) {
      const grown = new Uint8Array(Math.max(need, this.pending.length * 2, 2048));
      grown.set(this.pending.subarray(0, this.pendingLen));
      this.pending = grown;
    }
    this.pending.set(chunk, this.pendingLen);
    this.pendingLen = need;
  }
}
