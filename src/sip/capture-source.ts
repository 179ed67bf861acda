/**
 * Captures (pcap/pcapng) → SIP messages → call records. The capture decoder (capture/ + net/) turns
 * packets into transport payloads; this handler says what each payload is ('sip', 'rtp', 'other',
 * 'malformed'), frames SIP over TCP by Content-Length, and feeds messages to the call tracker.
 */
import { createCaptureDecoder } from '../capture/decoder.js';
import { addrToString, type PayloadHandler, type PayloadVerdict, type TransportPayload } from '../net/payload.js';
import { newAccounting, type ContinuableSource, type InputAccounting, type RecordSink, type SourceOptions } from '../types.js';
import { InputError } from '../errors.js';
import { CAPTURE_SEAM, judgeSeam } from '../chain.js';
import { LF, takeSearchOverrun } from './bytes.js';
import { SipStreamFramer } from './framer.js';
import { countWarning, createSipFeed, type SipFeed } from './feed.js';
import { looksLikeStrayRtp } from './rtp.js';
import { startLineEnd, type MessageMeta, type ScanProblem } from './scanner.js';
import { startsWsSipFrame, WsStream, wsUpgrade } from './websocket.js';
import { SlotMap } from '../slot-map.js';
import { i32be } from '../net/bytes.js';

/** How far into a non-SIP-looking payload we look for a start line after junk. */
const JUNK_SEARCH_BYTES = 2048;

/** Offset of the first line after `from` that is a SIP start line, or -1. */
export function findStartLine(d: Uint8Array, from: number, end: number): number {
  const lim = Math.min(end, from + JUNK_SEARCH_BYTES);
  for (let i = from; i < lim; i++) {
    if (d[i] === LF && i + 1 < end && startLineEnd(d, i + 1, end) >= 0) return i + 1;
  }
  return -1;
}

/** Distinct IPv4 address texts cached (cleared when full: scans from many sources stay bounded). */
const ADDR_CACHE_MAX = 4096;

/**
 * How far past the datagrams scanned in place (inside the read buffer) the scanner's searches may read,
 * per byte of a piece read, before the rest of the piece is scanned datagram by datagram with views: a
 * bound that keeps crafted traffic linear. Real captures stay far below it (a search stops at the next
 * line end or '>' of the next message).
 */
const OVERRUN_PER_PIECE = 4;

/** Longest first line held while deciding whether a TCP flow is SIP. */
const PROBE_BYTES = 512;

/** Whether bytes without a line end yet may still become a SIP start line (letters first, printable ASCII). */
function couldBeStartLine(d: Uint8Array): boolean {
  if (d.length === 0 || d.length >= PROBE_BYTES) return false;
  const c0 = d[0]!;
  if (!((c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122))) return false;
  for (let i = 0; i < d.length; i++) {
    const c = d[i]!;
    if (c === LF || c === 13 || c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

const SIP_VERSION = [83, 73, 80, 47, 50, 46, 48]; // "SIP/2.0"
const SIP_URI = [115, 105, 112]; // "sip"

/**
 * For a datagram without a valid start line: the anomaly name when it still clearly meant to be SIP
 * (`SIP/2.0` first, or `METHOD sip:`/`sips:` with an upper-case method), else undefined.
 */
export function brokenStart(d: Uint8Array): string | undefined {
  const n = d.length;
  let i = 0;
  while (i < 7 && i < n && d[i] === SIP_VERSION[i]) i++;
  if (i === 7 || (i === n && n > 3)) return n < 12 ? 'sip-truncated' : 'sip-bad-start-line';
  let t = 0;
  while (t < n && t < 16 && d[t]! >= 65 && d[t]! <= 90) t++;
  if (t < 3 || t >= 16 || d[t] !== 32) return undefined;
  for (let k = 0; k < 3; k++) if ((d[t + 1 + k]! | 0x20) !== SIP_URI[k]) return undefined;
  const c = d[t + 4];
  return c === 58 || (c! | 0x20) === 115 ? (n < 12 ? 'sip-truncated' : 'sip-bad-start-line') : undefined;
}

/** SIP over TLS's port (RFC 3261 §19.1.2): TLS to or from it is counted as `sip-tls`, other TLS as `tls`. */
export const SIP_TLS_PORT = 5061;

/**
 * Whether d starts with a TLS record header (RFC 8446 §5.1, RFC 5246 §6.2): content type change_cipher_spec,
 * alert, handshake or application_data (20–23), legacy version 3.0–3.4, and a length a record may have
 * (at most 2^14 plus the 2,048 bytes of expansion TLS 1.2 allows). Its first byte is no SIP start line's.
 */
export function startsTlsRecord(d: Uint8Array): boolean {
  if (d.length < 5) return false;
  const type = d[0]!;
  if (type < 20 || type > 23 || d[1] !== 3 || d[2]! > 4) return false;
  const len = (d[3]! << 8) | d[4]!;
  return len > 0 && len <= 16384 + 2048;
}

export class SipPayloadHandler implements PayloadHandler {
  /** A SlotMap: a framer comes and goes per TCP connection (see slot-map.ts). */
  private readonly framers = new SlotMap<string, SipStreamFramer>();
  /** First bytes of TCP flows whose first line has not fully arrived yet. */
  private readonly probes = new Map<string, Uint8Array>();
  /**
   * TCP flows that began with a TLS record, and whether one end is on SIP's TLS port (5061): all their data
   * is counted as `sip-tls` or `tls`, also the segments that start inside a record. Left at the flow's
   * end, so no larger than the TCP layer's flow table.
   */
  private readonly tlsFlows = new Map<string, PayloadVerdict>();
  /** Flows of SIP over WebSocket (RFC 7118), from their HTTP Upgrade on; left at the flow's end. */
  private readonly wsFlows = new Map<string, WsStream>();
  private readonly problem: ScanProblem = {};
  private cur: TransportPayload | undefined;
  private curMessages = 0;
  private curAnomalies: string[] = [];

  constructor(
    private file: string,
    private readonly feed: SipFeed,
    private acc: InputAccounting,
  ) {}

  /**
   * The next file of a chain of captures: positions name it and counts go to its accounting. The TCP flows go
   * on (the TCP layer hands them over): a message cut by the seam is framed whole in the next file.
   */
  switchFile(file: string, acc: InputAccounting): void {
    this.file = file;
    this.acc = acc;
  }

  /** Where warnings are counted from now on (a chain's seam: the flows of the file before end in its own). */
  useAccounting(acc: InputAccounting): void {
    this.acc = acc;
  }

  /** IPv4 address text by its 32-bit value: the same few hops send most messages. */
  private readonly v4Text = new Map<number, string>();

  private addrText(a: Uint8Array): string {
    if (a.length !== 4) return addrToString(a);
    // The signed value (see i32be): the unsigned one is a heap number, hashed as a double and made anew per
    // lookup, for every address from 128.0.0.0 up.
    const k = i32be(a, 0);
    let t = this.v4Text.get(k);
    if (t === undefined) {
      if (this.v4Text.size >= ADDR_CACHE_MAX) this.v4Text.clear();
      t = addrToString(a);
      this.v4Text.set(k, t);
    }
    return t;
  }

  /** Reused for every message: the scanner copies its fields (the position object is new each time). */
  private readonly m: MessageMeta = { ts: 0, src: '', srcPort: 0, dst: '', dstPort: 0, transport: 'udp', position: { file: '', packet: 0 } };

  private meta(p: TransportPayload): MessageMeta {
    const m = this.m;
    m.ts = p.ts;
    m.src = this.addrText(p.srcAddr);
    m.srcPort = p.srcPort;
    m.dst = this.addrText(p.dstAddr);
    m.dstPort = p.dstPort;
    m.transport = p.proto;
    m.position = { file: this.file, packet: p.packet };
    return m;
  }

  onPayload(p: TransportPayload): PayloadVerdict {
    return p.proto === 'tcp' ? this.tcp(p) : this.udp(p);
  }

  private udp(p: TransportPayload): PayloadVerdict {
    // RTP (most datagrams of a media capture) is judged on p.buf[p.start, p.end): no view is made for it.
    // Its first byte (version 2: 0x80–0xBF) is no token character, so no start line: not scanned.
    const at = (p.buf[p.start]! & 0xc0) === 0x80 ? -1 : startLineEnd(p.buf, p.start, p.end);
    if (at < 0 && this.feed.tracker.rtp(p)) return 'rtp';
    if (at >= 0) {
      this.problem.anomaly = undefined;
      let m;
      if (this.overrunBudget > 0) {
        // Scanned where it lies in the read buffer (no view made for it), as long as the scanner's native
        // searches, which read on to the next byte they look for, have not read too far past datagrams
        // in this piece (crafted datagrams without line ends would each make it read the rest of the
        // piece): then with a view of its own, which ends the searches at the datagram's end.
        takeSearchOverrun();
        m = this.feed.feedBytes(p.buf, p.start, p.end, this.meta(p), this.problem, at);
        this.overrunBudget -= takeSearchOverrun();
      } else {
        m = this.feed.feedBytes(p.data, 0, p.end - p.start, this.meta(p), this.problem, at - p.start);
      }
      if (m) return 'sip';
      p.anomaly = this.problem.anomaly ?? 'sip-malformed';
      return 'malformed';
    }
    const d = p.data;
    const n = d.length;
    const broken = brokenStart(d);
    if (broken) {
      p.anomaly = broken;
      return 'malformed';
    }
    // Junk (or a keep-alive prefix) before a start line inside the datagram.
    if (n > 16 && d[0] !== 0x80 && d[0] !== 0x90) {
      const q = findStartLine(d, 0, n);
      if (q > 0) {
        const m = this.feed.feedBytes(d, q, n, this.meta(p), this.problem);
        if (m) {
          countWarning(this.acc, 'sip-junk-before-message');
          return 'sip';
        }
      }
    }
    return looksLikeStrayRtp(d, p.srcPort, p.dstPort) ? 'rtp' : 'other';
  }

  private tcp(p: TransportPayload): PayloadVerdict {
    const d = p.data;
    let framer = this.framers.get(p.flowKey);
    let data = d;
    if (!framer) {
      const ws = this.wsFlows.get(p.flowKey);
      if (ws !== undefined) return this.wsData(p, ws, d, 0);
      const tls = this.tlsFlows.get(p.flowKey);
      if (tls !== undefined) return tls;
      if (startsTlsRecord(d)) {
        this.probes.delete(p.flowKey);
        const v = p.srcPort === SIP_TLS_PORT || p.dstPort === SIP_TLS_PORT ? 'sip-tls' : 'tls';
        this.tlsFlows.set(p.flowKey, v);
        return v;
      }
      // The HTTP Upgrade of SIP over WebSocket, whole in its segment (a handshake is a few hundred bytes),
      // or, in a capture begun after it, a frame whose message starts with a SIP start line.
      const upgrade = wsUpgrade(d);
      if (upgrade > 0 || startsWsSipFrame(d)) {
        this.probes.delete(p.flowKey);
        const stream = this.newWsStream();
        this.wsFlows.set(p.flowKey, stream);
        if (upgrade < 0) return this.wsData(p, stream, d, 0);
        return upgrade === d.length ? 'ws-handshake' : this.wsData(p, stream, d, upgrade);
      }
      // A flow becomes SIP when its bytes start with (or, mid-stream, contain) a start line. A first
      // line split over segments is held (up to PROBE_BYTES) until it can be judged.
      const held = this.probes.get(p.flowKey);
      if (held) {
        data = new Uint8Array(held.length + d.length);
        data.set(held);
        data.set(d, held.length);
      }
      if (startLineEnd(data, 0, data.length) < 0 && findStartLine(data, 0, data.length) < 0) {
        if (couldBeStartLine(data)) {
          this.probes.set(p.flowKey, data === d ? d.slice() : data);
          return 'sip';
        }
        this.probes.delete(p.flowKey);
        return 'other';
      }
      this.probes.delete(p.flowKey);
      framer = new SipStreamFramer({
        message: (buf, s, e) => {
          const cur = this.cur!;
          this.curMessages++;
          this.feed.feedBytes(buf, s, e, this.meta(cur), this.problem);
        },
        anomaly: (name) => {
          if (this.cur) this.curAnomalies.push(name);
          else countWarning(this.acc, name);
        },
      });
      this.framers.set(p.flowKey, framer);
    }
    this.cur = p;
    this.curMessages = 0;
    this.curAnomalies.length = 0;
    framer.push(data);
    this.cur = undefined;
    const anomalies = this.curAnomalies;
    if (this.curMessages === 0 && framer.buffered === 0 && (anomalies.length > 0 || framer.inJunk)) {
      // Nothing but junk in this chunk: the packet is malformed rather than used.
      p.anomaly = anomalies[0] ?? 'sip-junk-before-message';
      for (let i = 1; i < anomalies.length; i++) countWarning(this.acc, anomalies[i]!);
      return 'malformed';
    }
    for (const a of anomalies) countWarning(this.acc, a);
    return 'sip'; // messages, part of one, or keep-alive CRLFs
  }

  private newWsStream(): WsStream {
    return new WsStream({
      message: (buf, s, e) => {
        const meta = this.meta(this.cur!);
        meta.transport = 'ws';
        this.problem.anomaly = undefined;
        if (this.feed.feedBytes(buf, s, e, meta, this.problem)) this.curMessages++;
        else this.curAnomalies.push(this.problem.anomaly ?? 'sip-malformed');
      },
      anomaly: (name) => this.curAnomalies.push(name),
    });
  }

  /** WebSocket frames d[from…] of a SIP over WebSocket flow: a segment is used unless all it held was broken. */
  private wsData(p: TransportPayload, ws: WsStream, d: Uint8Array, from: number): PayloadVerdict {
    this.cur = p;
    this.curMessages = 0;
    this.curAnomalies.length = 0;
    ws.push(d, from);
    this.cur = undefined;
    const anomalies = this.curAnomalies;
    if (this.curMessages === 0 && anomalies.length > 0) {
      p.anomaly = anomalies[0];
      for (let i = 1; i < anomalies.length; i++) countWarning(this.acc, anomalies[i]!);
      return 'malformed';
    }
    for (const a of anomalies) countWarning(this.acc, a);
    return 'sip'; // messages, part of one, or control frames (close, ping, pong)
  }

  /** Bytes the scanner's searches may read past datagrams scanned in place, in the current read piece. */
  private overrunBudget = 0;

  /** What is left of the bound on the current piece (tests). */
  get overrunLeft(): number {
    return this.overrunBudget;
  }

  /** A new piece of the capture is read (see udp()). */
  newPiece(bytes: number): void {
    this.overrunBudget = OVERRUN_PER_PIECE * Math.max(bytes, 1 << 16);
  }

  onFlowEnd(flowKey: string): void {
    this.probes.delete(flowKey);
    this.tlsFlows.delete(flowKey);
    const ws = this.wsFlows.get(flowKey);
    if (ws !== undefined) {
      if (ws.buffered > 0) countWarning(this.acc, 'sip-truncated-stream');
      this.wsFlows.delete(flowKey);
    }
    const f = this.framers.get(flowKey);
    if (!f) return;
    if (f.end() > 0) countWarning(this.acc, 'sip-truncated-stream');
    this.framers.delete(flowKey);
  }

  /** End of capture: flows never closed still hold partial messages. */
  end(): void {
    for (const key of [...this.framers.keys(), ...this.wsFlows.keys()]) this.onFlowEnd(key);
    this.probes.clear();
    this.tlsFlows.clear();
  }
}

/** A SourceParser for one capture file, its SIP handler in reach (tests); it can go on into the next file of a chain. */
export interface CaptureSource extends ContinuableSource {
  readonly handler: SipPayloadHandler;
}

/**
 * A SourceParser for one capture file: decoder → SIP handler → tracker → sink. For a chain of captures (one
 * capture split by time: tcpdump -C/-G, editcap, a ring buffer), continueWith() reads the next file with a
 * decoder of its own and the same tracker, so that calls go on across the cut.
 */
export function createCaptureSource(file: string, sink: RecordSink, opts: SourceOptions): CaptureSource {
  let name = file;
  let acc = newAccounting(file, 'unknown', 'packet');
  const feed = createSipFeed(sink, opts, acc);
  const handler = new SipPayloadHandler(file, feed, acc);
  let decoder = createCaptureDecoder(file, handler, acc);
  /** The file before in a chain, until the first packet of this one says whether its calls go on here. */
  let held: { acc: InputAccounting; endTs: number } | undefined;

  /** A cut last record or header goes to the file's `error`, the format to its accounting. */
  const fileEnded = (err: unknown): void => {
    if (err !== undefined) {
      if (!(err instanceof InputError)) throw err;
      acc.error ??= err.detail;
    }
    if (decoder.format && acc.format === 'unknown') acc.format = decoder.format;
  };

  /** The first payload of a continued file (NaN: it had none): do the calls of the file before go on here? */
  const meets = (ts: number): void => {
    const h = held!;
    held = undefined;
    const seam = judgeSeam(h.endTs, ts, name, CAPTURE_SEAM);
    if (!seam.holds) {
      // Not the capture that followed: the calls and TCP streams left open end with the file before, counted
      // there, and this one starts with a tracker that knows nothing of them (a Call-ID seen again is a new
      // call here).
      feed.setAccounting(h.acc);
      handler.useAccounting(h.acc);
      decoder.dropCarried();
      feed.restart();
      feed.setAccounting(acc);
      handler.useAccounting(acc);
    }
    h.acc.notes.push(seam.note);
  };

  return {
    handler,
    get accounting(): InputAccounting {
      return acc;
    },
    push(chunk: Uint8Array): void {
      handler.newPiece(chunk.length);
      decoder.push(chunk);
      if (decoder.format && acc.format === 'unknown') acc.format = decoder.format;
    },
    continueWith(next: string): void {
      // The file's TCP flows go on into the next one: a SIP message cut by the seam is framed there.
      const { tcp, error } = decoder.handOver();
      fileEnded(error);
      tlsNotes(acc);
      if (held !== undefined) meets(NaN);
      held = { acc, endTs: feed.tracker.latest };
      name = next;
      acc = newAccounting(next, 'unknown', 'packet');
      feed.setAccounting(acc);
      handler.switchFile(next, acc);
      // The first payload of the file decides the chain (see meets), or, before any, its first TCP segment, which
      // must know whether the flows it may go on with are still there; the watch costs a call per payload of
      // a continued file only, none for a file read alone.
      let first = true;
      const watch: PayloadHandler = {
        onPayload(p) {
          if (first) {
            first = false;
            if (held !== undefined) meets(p.ts);
          }
          return handler.onPayload(p);
        },
        onFlowEnd: (key) => handler.onFlowEnd(key),
      };
      const meetTcp = (ts: number): void => {
        if (held !== undefined) meets(ts);
      };
      decoder = createCaptureDecoder(next, watch, acc, { tcp, meet: meetTcp });
    },
    end(): void {
      try {
        let error: unknown;
        try {
          decoder.end();
        } catch (err) {
          error = err;
        }
        fileEnded(error);
      } finally {
        if (held !== undefined) meets(NaN);
        handler.end();
        feed.end();
        tlsNotes(acc);
      }
    },
  };
}

function tlsNotes(acc: InputAccounting): void {
  const sipTls = acc.ignoredBy['sip-tls'] ?? 0;
  const tls = acc.ignoredBy['tls'] ?? 0;
  const s = (n: number): string => (n === 1 ? '' : 's');
  if (sipTls > 0) {
    acc.notes.push(
      `${sipTls} TCP segment${s(sipTls)} carried TLS on port 5061 (SIP over TLS): encrypted, so the calls in them are not in this report; capture where TLS ends (behind the SBC or PBX), or have it send HEP`,
    );
  }
  if (tls > 0 && acc.sipMessages === 0) {
    acc.notes.push(`no SIP was read, and ${tls} TCP segment${s(tls)} carried TLS on other ports than 5061: if the SIP went over TLS on another port, it could not be read`);
  }
}
