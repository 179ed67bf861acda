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

/**
 * How far framing got in the incomplete message at the start of a call, so that the next call, given
 * more of it, goes on from there instead of rescanning it: a message arriving in n segments would cost
 * n times its size (60 KB of headers and 1 MB of body in 10-byte segments took 9 s). Offsets are from the
 * message's first byte, since a stream framer moves the bytes it keeps.
 */
export interface FrameProgress {
  /** Index of the CR or LF ending the start line, -1 until it is known. */
  lineEnd: number;
  /** Where the search for the start line's end (lineEnd -1), then for the blank line, resumes. */
  scanned: number;
  /** End of the message once its headers are complete and its body is awaited, else -1. */
  messageEnd: number;
}

export function newFrameProgress(): FrameProgress {
  return { lineEnd: -1, scanned: 0, messageEnd: -1 };
}

function resetProgress(g: FrameProgress): void {
  g.lineEnd = -1;
  g.scanned = 0;
  g.messageEnd = -1;
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

/** First CR or LF in [p, end), or -1 (a start line may still be arriving). */
function lineTerminator(buf: Uint8Array, p: number, end: number): number {
  for (let i = p; i < end; i++) if (buf[i] === LF || buf[i] === CR) return i;
  return -1;
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

/**
 * Splits buf[start, end) into complete SIP messages. Stateless but for `progress`, which describes the
 * message at `start` as the previous call left it (SipStreamFramer keeps one per flow); it is updated to
 * describe the incomplete message at `consumed`.
 */
export function frameSipMessages(buf: Uint8Array, start: number, end: number, progress: FrameProgress = newFrameProgress()): FrameResult {
  const out: FrameResult = { messages: [], consumed: start, anomalies: [], missingLength: 0 };
  const g = progress;
  let p = start;
  while (p < end) {
    while (p < end && (buf[p] === CR || buf[p] === LF)) p++;
    out.consumed = p;
    if (p >= end) break;
    let me = g.messageEnd >= 0 ? p + g.messageEnd : -1;
    if (me < 0) {
      let sl = g.lineEnd >= 0 ? p + g.lineEnd : -1;
      if (sl < 0) {
        // A start line ends at its first CR or LF: until one arrives there is none (startLineEnd is -1).
        const t = lineTerminator(buf, p + g.scanned, end);
        if (t >= 0) sl = startLineEnd(buf, p, end);
        else if (end - p < 8192) {
          g.scanned = end - p; // wait for the rest of the line
          break;
        }
        if (sl < 0) {
          resetProgress(g);
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
        g.lineEnd = sl - p;
        g.scanned = sl - p;
      }
      // The blank line is an LF then LF or CRLF: an LF in the last two bytes searched may still start one.
      const he = headersEnd(buf, p + g.scanned, end);
      if (he < 0) {
        if (end - p > MAX_SIP_HEADER_BYTES) {
          resetProgress(g);
          out.anomalies.push({ name: 'sip-headers-too-long', offset: p });
          const q = nextStartLine(buf, sl, end);
          p = q < 0 ? end : q;
          continue;
        }
        g.scanned = Math.max(g.lineEnd, end - p - 2);
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
      me = he + cl;
      if (me > end) {
        g.messageEnd = me - p;
        break;
      }
    } else if (me > end) break;
    resetProgress(g);
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
  /** How far framing got in the buffered message. */
  private readonly progress = newFrameProgress();
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

  /** Where framing of the buffered message resumes (tests). */
  get resume(): Readonly<FrameProgress> {
    return this.progress;
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
    const r = frameSipMessages(buf, 0, len, this.progress);
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
    resetProgress(this.progress);
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
