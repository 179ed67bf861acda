/**
 * Captures of a scenario: every SIP message (and optionally the RTP of answered calls) framed as
 * Ethernet / 802.1Q / Linux SLL / SLL2 / raw IPv4 packets in a pcap or pcapng file. UDP datagrams
 * larger than the MTU are split into IPv4 fragments as a sender's stack does; SIP over TCP gets a
 * connection per call (handshake, data split across segments, ACKs, FIN).
 *
 * Packets are written straight into the output's batch buffer: no allocation per RTP packet, so that
 * the benchmark's gigabyte capture is generated in seconds. The headers are put with capture/layout.ts,
 * as the test builders' are.
 */
import { type GenCall, type Scenario, callTimes } from './scenario.js';
import { type SipEvent, callMessages, rtpPorts } from './sip.js';
import { type Cursor, mergeInTime } from './merge.js';
import type { ByteOut } from './out.js';
import { FRAMES_PER_SECOND, FRAME_SAMPLES, speechFrames, toneFrames } from './g711.js';
import {
  DEFAULT_SNAPLEN, PCAP_RECORD_LEN, ipv4Number, blockLength, fragmentStep, interfaceBlock, ipv4Fragment, pcapHeader, putEthernet, putIpv4,
  putL4Checksum, putPacketBlock, putPcapRecord, putSll, putSll2, putTcp, putUdp, sectionHeaderBlock,
} from '../capture/layout.js';
import { EtherType } from '../net/linktypes.js';

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
/** MACs are 02:00 + the IPv4 address (locally administered). */
const MAC = 0x0200 * 2 ** 32;
const VLAN_IDS: readonly number[] = [100];

class PacketWriter {
  readonly linkType: number;
  private readonly linkLen: number;
  private ipId = 1;
  /** Where the packet being written ends. */
  private next = 0;
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
    const nanos = this.o.nanosecond;
    if (this.o.container === 'pcap') this.out.bytes(pcapHeader(true, nanos, DEFAULT_SNAPLEN, this.linkType));
    else {
      this.out.bytes(sectionHeaderBlock(true));
      this.out.bytes(interfaceBlock({ linktype: this.linkType, tsresol: nanos ? 9 : 6 }, true));
    }
  }

  /**
   * Starts one packet of `ipLen` bytes of IPv4 and returns the offset where the IPv4 header goes;
   * the caller fills it, then calls `end`.
   */
  private begin(ts: number, ipLen: number, outgoing: boolean, src: number, dst: number): number {
    const out = this.out;
    const frameLen = this.linkLen + ipLen;
    const pcap = this.o.container === 'pcap';
    const recordLen = pcap ? PCAP_RECORD_LEN + frameLen : blockLength(20 + frameLen);
    out.reserve(recordLen);
    this.next = out.pos + recordLen;
    const b = out.buf;
    let p = out.pos;
    if (this.o.nanosecond) {
      // Nanoseconds since the epoch pass 2^53: whole seconds and the nanoseconds within the second are
      // computed apart (ts·1e6 as one double was up to 128 ns off), and the 64-bit pcapng count exactly.
      let sec = Math.floor(ts / 1000);
      let ns = Math.round((ts - sec * 1000) * 1e6);
      if (ns >= 1e9) {
        sec++;
        ns -= 1e9;
      }
      if (pcap) p = putPcapRecord(b, p, true, sec, ns, frameLen, frameLen);
      else {
        const t = BigInt(sec) * 1_000_000_000n + BigInt(ns);
        p = putPacketBlock(b, p, true, false, 0, Number(t >> 32n), Number(t & 0xffffffffn), frameLen, frameLen);
      }
    } else {
      // Microseconds since the epoch stay below 2^53: the time in the file's units, rounded once.
      const t = Math.round(ts * 1e3);
      if (pcap) {
        const sec = Math.floor(t / 1e6);
        p = putPcapRecord(b, p, true, sec, t - sec * 1e6, frameLen, frameLen);
      } else {
        const hi = Math.floor(t / 4294967296);
        p = putPacketBlock(b, p, true, false, 0, hi, t - hi * 4294967296, frameLen, frameLen);
      }
    }
    switch (this.o.link) {
      case 'ethernet':
        return putEthernet(b, p, MAC + dst, MAC + src, EtherType.IPV4);
      case 'vlan':
        return putEthernet(b, p, MAC + dst, MAC + src, EtherType.IPV4, VLAN_IDS);
      case 'sll':
        return putSll(b, p, outgoing ? 4 : 0, MAC + src, EtherType.IPV4);
      case 'sll2':
        return putSll2(b, p, outgoing ? 4 : 0, MAC + src, EtherType.IPV4);
      case 'raw':
        return p;
    }
  }

  /** Ends the packet begun last (past the pcapng block's padding and trailer). */
  private end(): void {
    this.out.pos = this.next;
    this.stats.packets++;
  }

  /** One UDP datagram; fragmented over IPv4 when larger than the MTU. */
  udp(ts: number, outgoing: boolean, src: number, sport: number, dst: number, dport: number, payload: Uint8Array, payloadOff = 0, payloadLen = payload.length): void {
    const udpLen = 8 + payloadLen;
    const id = this.ipId = (this.ipId + 1) & 0xffff;
    const mtu = this.o.mtu;
    if (mtu > 0 && 20 + udpLen > mtu) {
      const per = fragmentStep(mtu - 20);
      // The UDP header travels in the first fragment; later ones carry the rest of the datagram.
      for (let off = 0; off < udpLen; off += per) {
        const n = Math.min(per, udpLen - off);
        let p = this.begin(ts, 20 + n, outgoing, src, dst);
        p = putIpv4(this.out.buf, p, 20 + n, id, ipv4Fragment(false, off + n < udpLen, off), 64, 17, src, dst);
        let dataFrom = off - 8;
        let len = n;
        if (off === 0) {
          p = putUdp(this.out.buf, p, sport, dport, udpLen);
          dataFrom = 0;
          len = n - 8;
        }
        this.out.buf.set(payload.subarray(payloadOff + dataFrom, payloadOff + dataFrom + len), p);
        this.end();
        this.stats.fragments++;
      }
      return;
    }
    let p = this.begin(ts, 20 + udpLen, outgoing, src, dst);
    const b = this.out.buf;
    p = putIpv4(b, p, 20 + udpLen, id, ipv4Fragment(true, false, 0), 64, 17, src, dst);
    p = putUdp(b, p, sport, dport, udpLen);
    b.set(payloadLen === payload.length && payloadOff === 0 ? payload : payload.subarray(payloadOff, payloadOff + payloadLen), p);
    this.end();
  }

  /** One TCP segment (flags: FIN 1, SYN 2, PSH 8, ACK 16). */
  tcp(ts: number, outgoing: boolean, src: number, sport: number, dst: number, dport: number, seq: number, ack: number, flags: number, payload?: Uint8Array): void {
    const len = payload?.length ?? 0;
    const ipLen = 40 + len;
    const id = this.ipId = (this.ipId + 1) & 0xffff;
    let p = this.begin(ts, ipLen, outgoing, src, dst);
    const b = this.out.buf;
    p = putIpv4(b, p, ipLen, id, ipv4Fragment(true, false, 0), 64, 6, src, dst);
    const th = p;
    p = putTcp(b, p, sport, dport, seq, ack, flags, 65535);
    if (payload) b.set(payload, p);
    putL4Checksum(b, th, 20 + len, 6, (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff));
    this.end();
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
    this.local = ipv4Number(c.local);
    this.remote = ipv4Number(c.nextHop);
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
