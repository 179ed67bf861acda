/**
 * Captures of a scenario: every SIP message (and optionally the RTP of answered calls) framed as
 * Ethernet / 802.1Q / Linux SLL / SLL2 / raw IPv4 packets in a pcap or pcapng file. UDP datagrams
 * larger than the MTU are split into IPv4 fragments as a sender's stack does; SIP over TCP gets a
 * connection per call (handshake, data split across segments, ACKs, FIN).
 *
 * Packets are written straight into the output's batch buffer: no allocation per RTP packet, so that
 * the benchmark's gigabyte capture is generated in seconds.
 */
import { type GenCall, type Scenario, callTimes } from './scenario.js';
import { type SipEvent, callMessages, rtpPorts } from './sip.js';
import { type Cursor, mergeInTime } from './merge.js';
import type { ByteOut } from './out.js';
import { FRAMES_PER_SECOND, FRAME_SAMPLES, speechFrames, toneFrames } from './g711.js';

export type LinkKind = 'ethernet' | 'vlan' | 'sll' | 'sll2' | 'raw';

export interface CaptureOptions {
  container?: 'pcap' | 'pcapng';
  link?: LinkKind;
  /** Nanosecond timestamps (pcap magic a1b23c4d; pcapng if_tsresol 9). */
  nanosecond?: boolean;
  /** IPv4 MTU: larger UDP datagrams are fragmented. 0 disables fragmentation. Default 1500. */
  mtu?: number;
  /** Render RTP for calls marked `rtp`. Default true. */
  rtp?: boolean;
  /** Cap on the seconds of RTP rendered per call (each direction). Default: the whole call. */
  rtpMaxSec?: number;
  /** TCP: max payload bytes per segment (SIP messages longer than this span several). Default 1000. */
  mss?: number;
  /** TCP: messages of one direction within 2 ms of each other travel in one segment (e.g. 200 to CANCEL + 487). */
  coalesce?: boolean;
  /**
   * TCP: a message that spans several segments has its segments sent last-first (out of order) and
   * its first segment sent again (a retransmission), as a receiver sees after loss and reordering.
   */
  disorder?: boolean;
}

export interface CaptureStats {
  packets: number;
  sipMessages: number;
  rtpPackets: number;
  fragments: number;
  tcpPackets: number;
  /** SIP messages on the wire by status code / method (what `tshark -z sip,stat` counts). */
  responses: Record<string, number>;
  requests: Record<string, number>;
}

const LINKTYPE: Record<LinkKind, number> = { ethernet: 1, vlan: 1, sll: 113, sll2: 276, raw: 101 };
const LINK_LEN: Record<LinkKind, number> = { ethernet: 14, vlan: 18, sll: 16, sll2: 20, raw: 0 };

function ipv4(s: string): number {
  let v = 0;
  let part = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 46) {
      v = v * 256 + part;
      part = 0;
    } else part = part * 10 + (ch - 48);
  }
  return (v * 256 + part) >>> 0;
}

class PacketWriter {
  readonly linkType: number;
  private readonly linkLen: number;
  private ipId = 1;
  readonly stats: CaptureStats = {
    packets: 0,
    sipMessages: 0,
    rtpPackets: 0,
    fragments: 0,
    tcpPackets: 0,
    responses: {},
    requests: {},
  };

  constructor(
    private readonly out: ByteOut,
    private readonly o: Required<Pick<CaptureOptions, 'container' | 'link' | 'nanosecond' | 'mtu'>>,
  ) {
    this.linkType = LINKTYPE[o.link];
    this.linkLen = LINK_LEN[o.link];
  }

  fileHeader(): void {
    const out = this.out;
    if (this.o.container === 'pcap') {
      out.reserve(24);
      const b = out.buf;
      const p = out.pos;
      b.writeUInt32LE(this.o.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, p);
      b.writeUInt16LE(2, p + 4);
      b.writeUInt16LE(4, p + 6);
      b.writeInt32LE(0, p + 8);
      b.writeUInt32LE(0, p + 12);
      b.writeUInt32LE(262144, p + 16);
      b.writeUInt32LE(this.linkType, p + 20);
      out.pos += 24;
      return;
    }
    // Section Header Block, then one Interface Description Block with if_tsresol.
    out.reserve(28 + 32);
    const b = out.buf;
    let p = out.pos;
    b.writeUInt32LE(0x0a0d0d0a, p);
    b.writeUInt32LE(28, p + 4);
    b.writeUInt32LE(0x1a2b3c4d, p + 8);
    b.writeUInt16LE(1, p + 12);
    b.writeUInt16LE(0, p + 14);
    b.writeInt32LE(-1, p + 16);
    b.writeInt32LE(-1, p + 20);
    b.writeUInt32LE(28, p + 24);
    p += 28;
    b.writeUInt32LE(1, p);
    b.writeUInt32LE(32, p + 4);
    b.writeUInt16LE(this.linkType, p + 8);
    b.writeUInt16LE(0, p + 10);
    b.writeUInt32LE(262144, p + 12);
    b.writeUInt16LE(9, p + 16); // if_tsresol
    b.writeUInt16LE(1, p + 18);
    b.writeUInt32LE(this.o.nanosecond ? 9 : 6, p + 20); // value byte + 3 bytes padding
    b.writeUInt32LE(0, p + 24); // opt_endofopt
    b.writeUInt32LE(32, p + 28);
    out.pos = p + 32;
  }

  /**
   * Starts one packet of `ipLen` bytes of IPv4 and returns the offset where the IPv4 header goes;
   * the caller fills it, then calls `endPacket`.
   */
  private begin(ts: number, ipLen: number, outgoing: boolean, src: number, dst: number): number {
    const out = this.out;
    const frameLen = this.linkLen + ipLen;
    const pad = (4 - (frameLen & 3)) & 3;
    out.reserve(32 + frameLen + pad);
    const b = out.buf;
    let p = out.pos;
    const unit = this.o.nanosecond ? 1e6 : 1e3;
    const t = Math.round(ts * unit);
    if (this.o.container === 'pcap') {
      const perSec = this.o.nanosecond ? 1e9 : 1e6;
      const sec = Math.floor(t / perSec);
      b.writeUInt32LE(sec, p);
      b.writeUInt32LE(t - sec * perSec, p + 4);
      b.writeUInt32LE(frameLen, p + 8);
      b.writeUInt32LE(frameLen, p + 12);
      p += 16;
    } else {
      const total = 32 + frameLen + pad;
      b.writeUInt32LE(6, p);
      b.writeUInt32LE(total, p + 4);
      b.writeUInt32LE(0, p + 8);
      const hi = Math.floor(t / 4294967296);
      b.writeUInt32LE(hi, p + 12);
      b.writeUInt32LE(t - hi * 4294967296, p + 16);
      b.writeUInt32LE(frameLen, p + 20);
      b.writeUInt32LE(frameLen, p + 24);
      b.writeUInt32LE(total, p + 28 + frameLen + pad);
      if (pad) b.fill(0, p + 28 + frameLen, p + 28 + frameLen + pad);
      p += 28;
    }
    // Link layer. MACs are 02:00 + the IPv4 address (locally administered).
    switch (this.o.link) {
      case 'ethernet':
      case 'vlan':
        b.writeUInt16BE(0x0200, p);
        b.writeUInt32BE(dst, p + 2);
        b.writeUInt16BE(0x0200, p + 6);
        b.writeUInt32BE(src, p + 8);
        if (this.o.link === 'vlan') {
          b.writeUInt16BE(0x8100, p + 12);
          b.writeUInt16BE(100, p + 14);
          b.writeUInt16BE(0x0800, p + 16);
          p += 18;
        } else {
          b.writeUInt16BE(0x0800, p + 12);
          p += 14;
        }
        break;
      case 'sll':
        b.writeUInt16BE(outgoing ? 4 : 0, p);
        b.writeUInt16BE(1, p + 2);
        b.writeUInt16BE(6, p + 4);
        b.writeUInt16BE(0x0200, p + 6);
        b.writeUInt32BE(src, p + 8);
        b.writeUInt16BE(0, p + 12);
        b.writeUInt16BE(0x0800, p + 14);
        p += 16;
        break;
      case 'sll2':
        b.writeUInt16BE(0x0800, p);
        b.writeUInt16BE(0, p + 2);
        b.writeUInt32BE(2, p + 4);
        b.writeUInt16BE(1, p + 8);
        b[p + 10] = outgoing ? 4 : 0;
        b[p + 11] = 6;
        b.writeUInt16BE(0x0200, p + 12);
        b.writeUInt32BE(src, p + 14);
        b.writeUInt16BE(0, p + 18);
        p += 20;
        break;
      case 'raw':
        break;
    }
    return p;
  }

  private ipHeader(p: number, ipLen: number, id: number, fragWord: number, proto: number, src: number, dst: number): void {
    const b = this.out.buf;
    b[p] = 0x45;
    b[p + 1] = 0;
    b.writeUInt16BE(ipLen, p + 2);
    b.writeUInt16BE(id, p + 4);
    b.writeUInt16BE(fragWord, p + 6);
    b[p + 8] = 64;
    b[p + 9] = proto;
    b.writeUInt16BE(0, p + 10);
    b.writeUInt32BE(src, p + 12);
    b.writeUInt32BE(dst, p + 16);
    let sum = 0;
    for (let i = 0; i < 20; i += 2) sum += (b[p + i]! << 8) | b[p + i + 1]!;
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    b.writeUInt16BE(~sum & 0xffff, p + 10);
  }

  private end(p: number): void {
    const pad = this.o.container === 'pcapng' ? ((4 - ((p - this.out.pos - 28) & 3)) & 3) + 4 : 0;
    this.out.pos = p + pad;
    this.stats.packets++;
  }

  /** One UDP datagram; fragmented over IPv4 when larger than the MTU. */
  udp(ts: number, outgoing: boolean, src: number, sport: number, dst: number, dport: number, payload: Uint8Array, payloadOff = 0, payloadLen = payload.length): void {
    const udpLen = 8 + payloadLen;
    const id = this.ipId = (this.ipId + 1) & 0xffff;
    const mtu = this.o.mtu;
    if (mtu > 0 && 20 + udpLen > mtu) {
      const per = (mtu - 20) & ~7;
      // The UDP header travels in the first fragment; later ones carry the rest of the datagram.
      for (let off = 0; off < udpLen; off += per) {
        const n = Math.min(per, udpLen - off);
        const more = off + n < udpLen;
        let p = this.begin(ts, 20 + n, outgoing, src, dst);
        this.ipHeader(p, 20 + n, id, (more ? 0x2000 : 0) | (off >> 3), 17, src, dst);
        p += 20;
        const b = this.out.buf;
        let dataFrom = off - 8;
        let len = n;
        if (off === 0) {
          b.writeUInt16BE(sport, p);
          b.writeUInt16BE(dport, p + 2);
          b.writeUInt16BE(udpLen, p + 4);
          b.writeUInt16BE(0, p + 6);
          p += 8;
          dataFrom = 0;
          len = n - 8;
        }
        b.set(payload.subarray(payloadOff + dataFrom, payloadOff + dataFrom + len), p);
        this.end(p + len);
        this.stats.fragments++;
      }
      return;
    }
    let p = this.begin(ts, 20 + udpLen, outgoing, src, dst);
    this.ipHeader(p, 20 + udpLen, id, 0x4000, 17, src, dst);
    p += 20;
    const b = this.out.buf;
    b.writeUInt16BE(sport, p);
    b.writeUInt16BE(dport, p + 2);
    b.writeUInt16BE(udpLen, p + 4);
    b.writeUInt16BE(0, p + 6);
    p += 8;
    b.set(payloadLen === payload.length && payloadOff === 0 ? payload : payload.subarray(payloadOff, payloadOff + payloadLen), p);
    this.end(p + payloadLen);
  }

  /** One TCP segment (flags: FIN 1, SYN 2, PSH 8, ACK 16). */
  tcp(ts: number, outgoing: boolean, src: number, sport: number, dst: number, dport: number, seq: number, ack: number, flags: number, payload?: Uint8Array): void {
    const len = payload?.length ?? 0;
    const ipLen = 40 + len;
    const id = this.ipId = (this.ipId + 1) & 0xffff;
    let p = this.begin(ts, ipLen, outgoing, src, dst);
    this.ipHeader(p, ipLen, id, 0x4000, 6, src, dst);
    p += 20;
    const b = this.out.buf;
    const th = p;
    b.writeUInt16BE(sport, p);
    b.writeUInt16BE(dport, p + 2);
    b.writeUInt32BE(seq >>> 0, p + 4);
    b.writeUInt32BE(ack >>> 0, p + 8);
    b[p + 12] = 5 << 4;
    b[p + 13] = flags;
    b.writeUInt16BE(65535, p + 14);
    b.writeUInt16BE(0, p + 16);
    b.writeUInt16BE(0, p + 18);
    p += 20;
    if (payload) b.set(payload, p);
    // TCP checksum over the pseudo-header, header and data (RFC 793).
    let sum = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + 6 + 20 + len;
    const endAt = th + 20 + len;
    for (let i = th; i + 1 < endAt; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
    if ((endAt - th) & 1) sum += b[endAt - 1]! << 8;
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    b.writeUInt16BE(~sum & 0xffff, th + 16);
    this.end(p + len);
    this.stats.tcpPackets++;
  }

  countSip(text: string): void {
    this.stats.sipMessages++;
    if (text.startsWith('SIP/2.0 ')) {
      const code = text.slice(8, 11);
      this.stats.responses[code] = (this.stats.responses[code] ?? 0) + 1;
    } else {
      const m = text.slice(0, text.indexOf(' '));
      this.stats.requests[m] = (this.stats.requests[m] ?? 0) + 1;
    }
  }
}

const RTP_LEN = 12 + FRAME_SAMPLES;

/** Per-call cursor: the call's SIP messages (UDP or TCP) merged with its RTP streams. */
class CallCursor implements Cursor {
  ts = 0;
  done = false;
  readonly order: number;
  private readonly events: SipEvent[];
  private i = 0;
  private readonly local: number;
  private readonly remote: number;
  // RTP state: next time of each direction (Infinity when none).
  private aTs = Infinity;
  private bTs = Infinity;
  private rtpEnd = 0;
  private aSeq = 0;
  private bSeq = 0;
  private aFrame = 0;
  private bFrame = 0;
  private readonly ports: { local: number; remote: number };
  // TCP state.
  private readonly tcp: boolean;
  private readonly ephemeral: number;
  private seqL = 0;
  private seqR = 0;
  private tcpStage = 0;

  constructor(
    private readonly c: GenCall,
    private readonly w: PacketWriter,
    private readonly o: CaptureOptions,
    private readonly media: Media,
  ) {
    this.order = c.index;
    this.events = callMessages(c);
    this.local = ipv4(c.local);
    this.remote = ipv4(c.nextHop);
    this.ports = rtpPorts(c);
    this.tcp = c.transport === 'tcp';
    this.ephemeral = 30_000 + (c.index % 30_000);
    this.seqL = (c.index * 7919) >>> 0;
    this.seqR = (c.index * 104729) >>> 0;
    const t = callTimes(c);
    if ((o.rtp ?? true) && c.rtp && t.answer !== undefined) {
      const startRtp = t.answer + 30;
      const cap = o.rtpMaxSec === undefined ? Infinity : o.rtpMaxSec * 1000;
      this.rtpEnd = Math.min(t.end, startRtp + cap);
      if (startRtp < this.rtpEnd) {
        this.aTs = startRtp;
        if (c.rtpFromCallee) this.bTs = startRtp + 7;
      }
    }
    this.update();
  }

  private update(): void {
    const sipTs = this.tcp && this.tcpStage === 2 ? this.events[this.events.length - 1]!.ts + 1 : this.i < this.events.length ? this.events[this.i]!.ts : Infinity;
    const next = Math.min(sipTs, this.aTs, this.bTs);
    if (next === Infinity) this.done = true;
    else this.ts = next;
  }

  step(): void {
    if (this.aTs === this.ts && this.aTs <= this.sipTsOrInf()) this.rtp(true);
    else if (this.bTs === this.ts && this.bTs <= this.sipTsOrInf()) this.rtp(false);
    else this.sip();
    this.update();
  }

  private sipTsOrInf(): number {
    if (this.tcp && this.tcpStage === 2) return this.events[this.events.length - 1]!.ts + 1;
    return this.i < this.events.length ? this.events[this.i]!.ts : Infinity;
  }

  private rtp(fromCaller: boolean): void {
    const ts = fromCaller ? this.aTs : this.bTs;
    const seq = fromCaller ? this.aSeq++ : this.bSeq++;
    const frameNo = fromCaller ? this.aFrame++ : this.bFrame++;
    const b = this.media.packet;
    b[0] = 0x80;
    b[1] = seq === 0 ? 0x80 : 0x00; // marker on the first packet, PT 0 (PCMU)
    b.writeUInt16BE(seq & 0xffff, 2);
    b.writeUInt32BE((frameNo * FRAME_SAMPLES) >>> 0, 4);
    b.writeUInt32BE((fromCaller ? 0x1000_0000 : 0x2000_0000) + this.c.index, 8);
    let frame: Buffer;
    if (fromCaller) frame = this.media.speechA[frameNo % FRAMES_PER_SECOND]!;
    else if (this.c.ringbackAfterAnswer) {
      // Ringback cadence: 1 s of tone, 4 s of silence.
      const sec = Math.floor(frameNo / FRAMES_PER_SECOND);
      frame = sec % 5 === 0 ? this.media.ringback[frameNo % FRAMES_PER_SECOND]! : this.media.silence;
    } else frame = this.media.speechB[frameNo % FRAMES_PER_SECOND]!;
    b.set(frame, 12);
    if (fromCaller) this.w.udp(ts, true, this.local, this.ports.local, this.remote, this.ports.remote, b);
    else this.w.udp(ts, false, this.remote, this.ports.remote, this.local, this.ports.local, b);
    this.w.stats.rtpPackets++;
    const next = ts + 20;
    if (fromCaller) this.aTs = next < this.rtpEnd ? next : Infinity;
    else this.bTs = next < this.rtpEnd ? next : Infinity;
  }

  private sip(): void {
    const c = this.c;
    if (this.tcp && this.tcpStage === 2) {
      // Our side closes the connection after the last message: FIN, FIN, ACK.
      const ts = this.ts;
      this.w.tcp(ts, true, this.local, this.ephemeral, this.remote, c.nextHopPort, this.seqL, this.seqR, 0x11);
      this.seqL++;
      this.w.tcp(ts, false, this.remote, c.nextHopPort, this.local, this.ephemeral, this.seqR, this.seqL, 0x11);
      this.seqR++;
      this.w.tcp(ts, true, this.local, this.ephemeral, this.remote, c.nextHopPort, this.seqL, this.seqR, 0x10);
      this.tcpStage = 3;
      return;
    }
    const e = this.events[this.i++]!;
    let text = e.text;
    this.w.countSip(e.text);
    if (this.tcp && this.o.coalesce) {
      for (let n = this.events[this.i]; n && n.out === e.out && n.ts - e.ts <= 2; n = this.events[this.i]) {
        text += n.text;
        this.w.countSip(n.text);
        this.i++;
      }
    }
    const data = Buffer.from(text, 'utf8');
    if (!this.tcp) {
      if (e.out) this.w.udp(e.ts, true, this.local, c.localPort, this.remote, c.nextHopPort, data);
      else this.w.udp(e.ts, false, this.remote, c.nextHopPort, this.local, c.localPort, data);
      return;
    }
    if (this.tcpStage === 0) {
      this.w.tcp(e.ts, true, this.local, this.ephemeral, this.remote, c.nextHopPort, this.seqL, 0, 0x02);
      this.seqL++;
      this.w.tcp(e.ts, false, this.remote, c.nextHopPort, this.local, this.ephemeral, this.seqR, this.seqL, 0x12);
      this.seqR++;
      this.w.tcp(e.ts, true, this.local, this.ephemeral, this.remote, c.nextHopPort, this.seqL, this.seqR, 0x10);
      this.tcpStage = 1;
    }
    const mss = this.o.mss ?? 1000;
    // Split into segments: a message longer than the MSS spans several (the receiver must reassemble).
    const base = e.out ? this.seqL : this.seqR;
    const segs: Array<[number, Buffer]> = [];
    for (let off = 0; off < data.length; off += mss) segs.push([off, data.subarray(off, Math.min(data.length, off + mss))]);
    if (this.o.disorder && segs.length > 1) {
      segs.reverse();
      segs.push(segs[segs.length - 1]!);
    }
    for (const [off, seg] of segs) {
      const seq = (base + off) >>> 0;
      if (e.out) this.w.tcp(e.ts, true, this.local, this.ephemeral, this.remote, c.nextHopPort, seq, this.seqR, 0x18, seg);
      else this.w.tcp(e.ts, false, this.remote, c.nextHopPort, this.local, this.ephemeral, seq, this.seqL, 0x18, seg);
    }
    if (e.out) this.seqL = (base + data.length) >>> 0;
    else this.seqR = (base + data.length) >>> 0;
    // The receiver acknowledges the message.
    if (e.out) this.w.tcp(e.ts, false, this.remote, c.nextHopPort, this.local, this.ephemeral, this.seqR, this.seqL, 0x10);
    else this.w.tcp(e.ts, true, this.local, this.ephemeral, this.remote, c.nextHopPort, this.seqL, this.seqR, 0x10);
    if (this.i === this.events.length) this.tcpStage = 2;
  }
}

interface Media {
  packet: Buffer;
  speechA: Buffer[];
  speechB: Buffer[];
  ringback: Buffer[];
  silence: Buffer;
}

/** Writes the capture of a whole scenario. */
export function writeCapture(s: Scenario, out: ByteOut, opts: CaptureOptions = {}): CaptureStats {
  const o = {
    container: opts.container ?? 'pcap',
    link: opts.link ?? 'ethernet',
    nanosecond: opts.nanosecond ?? false,
    mtu: opts.mtu ?? 1500,
  } as const;
  const w = new PacketWriter(out, o);
  w.fileHeader();
  const media: Media = {
    packet: Buffer.alloc(RTP_LEN),
    speechA: speechFrames(1),
    speechB: speechFrames(2),
    ringback: toneFrames([425], 8000),
    silence: Buffer.alloc(FRAME_SAMPLES, 0xff),
  };
  mergeInTime(s.calls(), (c) => c.start, (c) => new CallCursor(c, w, opts, media));
  return w.stats;
}
