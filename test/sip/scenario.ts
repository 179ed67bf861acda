/**
 * Builds SIP message sequences for tracker tests: a caller A, a callee (next hop) B, messages with
 * times, and runners that feed them as UDP datagrams or through the TCP framer in small chunks.
 */
import { SipStreamFramer } from '../../src/sip/framer.js';
import { scanSipMessage, type MessageMeta } from '../../src/sip/scanner.js';
import { CallTracker, type CallTrackerOptions } from '../../src/sip/tracker.js';
import type { CallRecord, SipMessage } from '../../src/types.js';

export interface Ep {
  addr: string;
  port: number;
}

export const A: Ep = { addr: '192.0.2.10', port: 5060 };
export const B: Ep = { addr: '198.51.100.20', port: 5060 };

export interface Wire {
  ts: number;
  from: Ep;
  to: Ep;
  text: string;
}

export const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);

export function sdp(addr: string, port: number, pts = '0 8 101'): string {
  return (
    'v=0\r\no=- 1 1 IN IP4 ' + addr + '\r\ns=-\r\nc=IN IP4 ' + addr + '\r\nt=0 0\r\n' +
    `m=audio ${port} RTP/AVP ${pts}\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n`
  );
}

/** One call between A (caller) and B (callee) with a fixed Call-ID and tags. */
export class Call {
  readonly wire: Wire[] = [];
  fromTag: string;
  constructor(
    readonly callId: string,
    readonly caller: Ep = A,
    readonly callee: Ep = B,
    readonly from = '1001',
    readonly to = '4951234567',
  ) {
    this.fromTag = `ftag-${callId}`;
  }

  private push(ms: number, up: boolean, text: string): this {
    this.wire.push({ ts: T0 + ms, from: up ? this.caller : this.callee, to: up ? this.callee : this.caller, text });
    return this;
  }

  private headers(method: string, cseq: number, branch: string, toTag: string | undefined, fromCallee = false): string {
    const fromH = `From: "Alice" <sip:${this.from}@${this.caller.addr}>;tag=${this.fromTag}`;
    const toH = `To: <sip:${this.to}@${this.callee.addr}>${toTag ? `;tag=${toTag}` : ''}`;
    const via = `Via: SIP/2.0/UDP ${fromCallee ? this.callee.addr : this.caller.addr}:5060;branch=${branch}`;
    return fromCallee
      ? `${via}\r\nFrom: <sip:${this.to}@${this.callee.addr}>;tag=${toTag}\r\nTo: <sip:${this.from}@${this.caller.addr}>;tag=${this.fromTag}\r\nCall-ID: ${this.callId}\r\nCSeq: ${cseq} ${method}\r\n`
      : `${via}\r\n${fromH}\r\n${toH}\r\nCall-ID: ${this.callId}\r\nCSeq: ${cseq} ${method}\r\n`;
  }

  private body(extra: string, body?: string): string {
    return body
      ? `${extra}Content-Type: application/sdp\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
      : `${extra}Content-Length: 0\r\n\r\n`;
  }

  invite(ms: number, o: { cseq?: number; branch?: string; sdp?: string; auth?: boolean; toTag?: string } = {}): this {
    const cseq = o.cseq ?? 1;
    const branch = o.branch ?? `z9hG4bK-inv${cseq}`;
    const extra = `Max-Forwards: 70\r\nContact: <sip:${this.from}@${this.caller.addr}:5060>\r\nUser-Agent: TestUA/1.0\r\n` +
      (o.auth ? 'Proxy-Authorization: Digest username="u", realm="r", nonce="n", uri="sip:x", response="0"\r\n' : '');
    return this.push(ms, true, `INVITE sip:${this.to}@${this.callee.addr} SIP/2.0\r\n${this.headers('INVITE', cseq, branch, o.toTag)}${this.body(extra, o.sdp)}`);
  }

  resp(ms: number, status: number, reason: string, o: { cseq?: number; branch?: string; toTag?: string; sdp?: string; method?: string; headers?: string; toCallee?: boolean } = {}): this {
    const cseq = o.cseq ?? 1;
    const method = o.method ?? 'INVITE';
    const branch = o.branch ?? `z9hG4bK-inv${cseq}`;
    const toTag = status === 100 ? undefined : (o.toTag ?? 'ttag-1');
    const extra = `Server: TestGW/2.0\r\n${o.headers ?? ''}`;
    const text = `SIP/2.0 ${status} ${reason}\r\n${this.headers(method, cseq, branch, toTag)}${this.body(extra, o.sdp)}`;
    return this.push(ms, o.toCallee === true, text);
  }

  ack(ms: number, o: { cseq?: number; branch?: string; toTag?: string } = {}): this {
    const cseq = o.cseq ?? 1;
    return this.push(ms, true, `ACK sip:${this.to}@${this.callee.addr} SIP/2.0\r\n${this.headers('ACK', cseq, o.branch ?? `z9hG4bK-ack${cseq}`, o.toTag ?? 'ttag-1')}Content-Length: 0\r\n\r\n`);
  }

  bye(ms: number, byCallee: boolean, o: { cseq?: number; toTag?: string; reason?: string } = {}): this {
    const cseq = o.cseq ?? 2;
    const toTag = o.toTag ?? 'ttag-1';
    const extra = o.reason ? `Reason: ${o.reason}\r\n` : '';
    if (byCallee) {
      return this.push(ms, false, `BYE sip:${this.from}@${this.caller.addr} SIP/2.0\r\n${this.headers('BYE', cseq, 'z9hG4bK-bye', toTag, true)}${extra}Content-Length: 0\r\n\r\n`);
    }
    return this.push(ms, true, `BYE sip:${this.to}@${this.callee.addr} SIP/2.0\r\n${this.headers('BYE', cseq, 'z9hG4bK-bye', toTag)}${extra}Content-Length: 0\r\n\r\n`);
  }

  /** 200 OK to the BYE, sent back by whoever did not send it. */
  byeOk(ms: number, byCallee: boolean, o: { cseq?: number; toTag?: string } = {}): this {
    const cseq = o.cseq ?? 2;
    const toTag = o.toTag ?? 'ttag-1';
    if (byCallee) {
      return this.push(ms, true, `SIP/2.0 200 OK\r\n${this.headers('BYE', cseq, 'z9hG4bK-bye', toTag, true)}Content-Length: 0\r\n\r\n`);
    }
    return this.push(ms, false, `SIP/2.0 200 OK\r\n${this.headers('BYE', cseq, 'z9hG4bK-bye', toTag)}Content-Length: 0\r\n\r\n`);
  }

  cancel(ms: number, o: { cseq?: number; branch?: string } = {}): this {
    const cseq = o.cseq ?? 1;
    return this.push(ms, true, `CANCEL sip:${this.to}@${this.callee.addr} SIP/2.0\r\n${this.headers('CANCEL', cseq, o.branch ?? `z9hG4bK-inv${cseq}`, undefined)}Content-Length: 0\r\n\r\n`);
  }

  raw(ms: number, up: boolean, text: string): this {
    return this.push(ms, up, text);
  }
}

function meta(w: Wire, transport: 'udp' | 'tcp', i: number): MessageMeta {
  return { ts: w.ts, src: w.from.addr, srcPort: w.from.port, dst: w.to.addr, dstPort: w.to.port, transport, position: { file: 'test', packet: i + 1 } };
}

export function scanAll(wire: Wire[]): SipMessage[] {
  return wire.map((w, i) => {
    const b = Buffer.from(w.text);
    const m = scanSipMessage(b, 0, b.length, meta(w, 'udp', i));
    if (!m) throw new Error(`unscannable: ${w.text.slice(0, 40)}`);
    return m;
  });
}

/** Feeds messages as datagrams; returns the records in emission order. */
export function runUdp(wire: Wire[], opts: CallTrackerOptions = {}): CallRecord[] {
  const out: CallRecord[] = [];
  const t = new CallTracker({ record: (r) => out.push(r) }, opts);
  for (const m of scanAll(wire)) t.add(m);
  t.end();
  return out;
}

/**
 * Feeds messages as TCP streams (one per direction) in chunks of `chunk` bytes through SipStreamFramer;
 * each message is scanned when its last byte arrives.
 */
export function runTcp(wire: Wire[], chunk: number, opts: CallTrackerOptions = {}): CallRecord[] {
  const out: CallRecord[] = [];
  const t = new CallTracker({ record: (r) => out.push(r) }, opts);
  const framers = new Map<string, SipStreamFramer>();
  let cur: { w: Wire; i: number } | undefined;
  wire.forEach((w, i) => {
    const key = `${w.from.addr}:${w.from.port}>${w.to.addr}:${w.to.port}`;
    let f = framers.get(key);
    if (!f) {
      f = new SipStreamFramer({
        message: (buf, s, e) => {
          const m = scanSipMessage(buf, s, e, meta(cur!.w, 'tcp', cur!.i));
          if (!m) throw new Error('framer delivered an unscannable message');
          t.add(m);
        },
        anomaly: (name) => {
          throw new Error(`unexpected framing anomaly ${name}`);
        },
      });
      framers.set(key, f);
    }
    cur = { w, i };
    const b = Buffer.from(w.text);
    for (let o = 0; o < b.length; o += chunk) f.push(b.subarray(o, Math.min(b.length, o + chunk)));
  });
  for (const f of framers.values()) if (f.end() !== 0) throw new Error('framer kept bytes at the end');
  t.end();
  return out;
}
