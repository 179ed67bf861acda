/**
 * SIP over WebSocket (RFC 7118) in captures: a TCP flow that opens with the HTTP Upgrade of RFC 6455 §4
 * to the `sip` subprotocol, then carries WebSocket frames, each complete text or binary WebSocket message
 * one SIP message. Browsers and WebRTC gateways speak it (Asterisk, FreeSWITCH, Kamailio; over TLS as a
 * rule, which is unreadable, but in clear behind the proxy that ends TLS).
 *
 * Each direction of a connection is its own flow: the client's opens with `GET … Upgrade: websocket` and
 * its frames are masked; the server's opens with `HTTP/1.1 101` and its frames are not.
 */

import { CR, indexOfByte, LF, lit, SP, startsCI, text } from './bytes.js';
import { startLineEnd } from './scanner.js';

/** Largest handshake header block looked at (they are a few hundred bytes). */
const MAX_HANDSHAKE = 8192;
/** Largest WebSocket message taken as SIP: a SIP message's headers and body limits (see framer.ts). */
export const MAX_WS_MESSAGE = (1 << 20) + 64 * 1024;

/** Buffers larger than this are let go once empty. */
const KEEP_BYTES = 64 * 1024;

export type WsAnomaly = 'ws-message-too-long' | 'ws-bad-frame';

export interface WsSink {
  /** A complete WebSocket message (text or binary): buf[s, e), valid during the call. */
  message(buf: Uint8Array, s: number, e: number): void;
  anomaly(name: WsAnomaly): void;
}

const L_UPGRADE = lit('upgrade:');
const L_PROTOCOL = lit('sec-websocket-protocol:');
const L_101 = lit('http/1.1 101');

/** End of the header block (just past the blank line) starting at 0, or -1 within MAX_HANDSHAKE bytes. */
function headerBlockEnd(d: Uint8Array): number {
  const lim = Math.min(d.length, MAX_HANDSHAKE);
  for (let i = 3; i < lim; i++) if (d[i] === LF && d[i - 1] === CR && d[i - 2] === LF && d[i - 3] === CR) return i + 1;
  return -1;
}

/** The value of the header `name` (a lower-case literal with its colon) in d[0, end), lower-cased, or undefined. */
function headerValue(d: Uint8Array, name: Uint8Array, end: number): string | undefined {
  for (let ls = 0; ls < end; ) {
    let le = indexOfByte(d, LF, ls, end);
    if (le < 0) le = end;
    if (startsCI(d, ls, le, name)) return text(d, ls + name.length, le).toLowerCase();
    ls = le + 1;
  }
  return undefined;
}

/**
 * Whether d opens a WebSocket for SIP: a `GET` request (the client's side) or a `101` response (the
 * server's) whose whole header block is in d, with `Upgrade: websocket` and the `sip` subprotocol.
 * Returns the length of the header block (frames may follow it), or -1.
 */
export function wsUpgrade(d: Uint8Array): number {
  const get = d[0] === 71 && d[1] === 69 && d[2] === 84 && d[3] === SP; // `GET `
  if (!get && !startsCI(d, 0, d.length, L_101)) return -1;
  const end = headerBlockEnd(d);
  if (end < 0) return -1;
  if (headerValue(d, L_UPGRADE, end) !== 'websocket') return -1;
  const protocols = headerValue(d, L_PROTOCOL, end);
  if (protocols === undefined || !protocols.split(',').some((p) => p.trim() === 'sip')) return -1;
  return end;
}

/** The unmasked start of a frame's payload, for `startsWsSipFrame`. */
const PEEK = new Uint8Array(256);

/**
 * Whether d starts with a WebSocket frame that opens a message whose payload starts with a SIP start line:
 * how a SIP over WebSocket connection is known when the capture began after its
 * handshake (a phone keeps its connection for hours). A frame cut off before its start line ends is not
 * taken (a later segment that starts a frame may be).
 */
export function startsWsSipFrame(d: Uint8Array): boolean {
  if (d.length < 2) return false;
  const b0 = d[0]!;
  const op = b0 & 0x0f;
  if ((b0 & 0x70) !== 0 || (op !== 1 && op !== 2)) return false;
  const b1 = d[1]!;
  let n = b1 & 0x7f;
  let h = 2;
  if (n === 126) {
    if (d.length < 4) return false;
    n = (d[2]! << 8) | d[3]!;
    h = 4;
  } else if (n === 127) {
    return false; // a SIP message over 64 KiB in one frame, as the first one seen: not worth the guess
  }
  const masked = (b1 & 0x80) !== 0;
  const keyAt = h;
  if (masked) h += 4;
  const m = Math.min(n, d.length - h, PEEK.length);
  if (m < 12) return false;
  for (let i = 0; i < m; i++) PEEK[i] = masked ? d[h + i]! ^ d[keyAt + (i & 3)]! : d[h + i]!;
  return startLineEnd(PEEK, 0, m) >= 0;
}

/**
 * One direction of a WebSocket connection: frames in (any split over segments), messages out.
 * Control frames (close, ping, pong) are read and passed over; a frame whose message would pass
 * MAX_WS_MESSAGE is skipped by its length, so the stream stays in step.
 */
export class WsStream {
  private buf = new Uint8Array(0);
  private len = 0;
  /** The message being assembled from fragments (RFC 6455 §5.4). */
  private msg = new Uint8Array(0);
  private msgLen = 0;
  private inMessage = false;
  /** Bytes of an over-long frame's payload still to skip (they are in later segments). */
  private skipping = 0;
  /** The message in progress went over MAX_WS_MESSAGE: its later fragments are passed over too. */
  private dropMessage = false;

  constructor(private readonly sink: WsSink) {}

  /** Bytes of a message or frame not complete yet. */
  get buffered(): number {
    return this.len + this.msgLen;
  }

  push(d: Uint8Array, from = 0): void {
    let p = from;
    if (this.skipping > 0) {
      const n = Math.min(this.skipping, d.length - p);
      this.skipping -= n;
      p += n;
      if (p >= d.length) return;
    }
    // Frames are read from `d` where they lie when nothing is held; otherwise after the held bytes.
    let src = d;
    if (this.len > 0) {
      this.append(d, p);
      src = this.buf;
      p = 0;
    }
    const end = src === d ? d.length : this.len;
    p = this.frames(src, p, end);
    if (src === d) {
      if (p < end && this.skipping === 0) this.append(d, p);
    } else {
      this.buf.copyWithin(0, p, end);
      this.len = end - p;
      if (this.len === 0 && this.buf.length > KEEP_BYTES) this.buf = new Uint8Array(0);
    }
  }

  /** Reads the complete frames of src[p, end); returns where the first incomplete one starts. */
  private frames(src: Uint8Array, p: number, end: number): number {
    while (end - p >= 2) {
      const b0 = src[p]!;
      const b1 = src[p + 1]!;
      const fin = (b0 & 0x80) !== 0;
      const op = b0 & 0x0f;
      let n = b1 & 0x7f;
      let h = 2;
      if (n === 126) {
        if (end - p < 4) break;
        n = (src[p + 2]! << 8) | src[p + 3]!;
        h = 4;
      } else if (n === 127) {
        if (end - p < 10) break;
        // A length past 2^53 cannot be a real frame: it is read as one that never ends.
        n = (src[p + 2]! * 2 ** 24 + ((src[p + 3]! << 16) | (src[p + 4]! << 8) | src[p + 5]!)) * 2 ** 32 + ((src[p + 6]! << 24) >>> 0) + ((src[p + 7]! << 16) | (src[p + 8]! << 8) | src[p + 9]!);
        h = 10;
      }
      const masked = (b1 & 0x80) !== 0;
      const keyAt = p + h;
      if (masked) h += 4;
      if ((b0 & 0x70) !== 0 || (op > 2 && op < 8) || op > 10 || (op >= 8 && (!fin || n > 125))) {
        // Reserved bits or opcodes, or a fragmented or long control frame: not a stream to read on.
        this.sink.anomaly('ws-bad-frame');
        this.reset();
        return end;
      }
      const data = op === 0 || op === 1 || op === 2;
      if (data && (op === 0) !== this.inMessage) {
        // A continuation outside a message, or a new message inside one.
        this.sink.anomaly('ws-bad-frame');
        this.msgLen = 0;
        this.dropMessage = false;
        this.inMessage = false;
        if (op === 0) {
          this.skipFrame(p + h, end, n);
          if (this.skipping > 0) return end;
          p += h + n;
          continue;
        }
      }
      if (data && this.msgLen + n > MAX_WS_MESSAGE) {
        if (!this.dropMessage) this.sink.anomaly('ws-message-too-long');
        this.dropMessage = !fin;
        this.inMessage = !fin;
        this.msgLen = 0;
        this.skipFrame(p + h, end, n);
        if (this.skipping > 0) return end;
        p += h + n;
        continue;
      }
      if (end - p < h + n) break;
      if (data) {
        if (!this.dropMessage) this.take(src, p + h, n, masked ? keyAt : -1);
        if (fin) {
          if (!this.dropMessage && this.msgLen > 0) this.sink.message(this.msg, 0, this.msgLen);
          this.msgLen = 0;
          // A flow keeps no big buffer between messages (thousands of flows may be open).
          if (this.msg.length > KEEP_BYTES) this.msg = new Uint8Array(0);
          this.inMessage = false;
          this.dropMessage = false;
        } else {
          this.inMessage = true;
        }
      }
      p += h + n;
    }
    return p;
  }

  /** Passes over the payload of a frame starting at `at` (what is not in src yet is skipped later). */
  private skipFrame(at: number, end: number, n: number): void {
    const have = Math.max(0, end - at);
    if (have < n) {
      this.skipping = n - have;
      this.len = 0;
    }
  }

  /** Appends payload src[at, at + n) to the message, unmasked with the key at `keyAt` (-1: not masked). */
  private take(src: Uint8Array, at: number, n: number, keyAt: number): void {
    const need = this.msgLen + n;
    if (need > this.msg.length) {
      const next = new Uint8Array(Math.max(need, this.msg.length * 2, 1024));
      next.set(this.msg.subarray(0, this.msgLen));
      this.msg = next;
    }
    const m = this.msg;
    const o = this.msgLen;
    if (keyAt < 0) m.set(src.subarray(at, at + n), o);
    else {
      const k0 = src[keyAt]!, k1 = src[keyAt + 1]!, k2 = src[keyAt + 2]!, k3 = src[keyAt + 3]!;
      for (let i = 0; i < n; i++) {
        const k = (i & 3) === 0 ? k0 : (i & 3) === 1 ? k1 : (i & 3) === 2 ? k2 : k3;
        m[o + i] = src[at + i]! ^ k;
      }
    }
    this.msgLen = need;
  }

  private append(d: Uint8Array, from: number): void {
    const n = d.length - from;
    if (this.len + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.len + n, this.buf.length * 2, 4096));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.buf.set(d.subarray(from), this.len);
    this.len += n;
  }

  private reset(): void {
    this.len = 0;
    this.msgLen = 0;
    this.inMessage = false;
    this.dropMessage = false;
    this.skipping = 0;
  }
}
