/**
 * Packet decoder: one captured frame in, accounting out, transport payloads to the SIP layer.
 *
 * Layers are decoded in place on the reader's buffer with byte reads; no object is made per packet
 * (the payload object is reused and points into the reader's buffer; its `data` view is made only
 * when the handler reads it). Every call to `packet()` ends in exactly one accounting bucket
 * (see docs/capture.md), except parked IP fragments and out-of-order TCP segments, which are counted
 * as ignored while they wait and moved to their final bucket when they are resolved.
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import { countAnomaly, countIgnored, type InputAccounting } from '../types.js';
import { ignoredToAnomaly, uncountIgnored } from './accounting.js';
import { u16be, u32be, u32le } from './bytes.js';
import { FragResult, FragmentReassembler, fragKey, type FragSet } from './fragments.js';
import { hepVersion, newHepInfo, parseHep, type HepInfo } from './hep.js';
import { EtherType, LinkType } from './linktypes.js';
import { addrToString, ReusedPayload, type PayloadHandler, type PayloadVerdict } from './payload.js';
import { TcpReassembler, type TcpFlow, type TcpSink } from './tcp.js';

/**
 * The TCP flows a file of a chain of captures hands to the next (PacketDecoder.handOver), and what the next is
 * to call at its first TCP segment, before the flows are used: the chain's check that it follows (by then it may
 * have called `dropCarried`).
 */
export interface TcpCarry {
  tcp: TcpReassembler;
  meet(ts: number): void;
}

const USED = 0;
const IGNORED = 1;
const ANOMALY = 2;
/** Already counted (TCP and parked fragments count themselves). */
const COUNTED = 3;

const MAX_DEPTH = 8;
const EMPTY = new Uint8Array(0);

export class PacketDecoder implements TcpSink {
  private readonly p: ReusedPayload;
  private readonly src4 = new Uint8Array(4);
  private readonly dst4 = new Uint8Array(4);
  private readonly src6 = new Uint8Array(16);
  private readonly dst6 = new Uint8Array(16);
  private readonly hep: HepInfo = newHepInfo();
  private readonly frags: FragmentReassembler;
  private readonly tcp: TcpReassembler;
  private ipVer: 4 | 6 = 4;
  private no = 0;
  private ts = 0;
  private cut = false;
  private depth = 0;
  private tunneled = false;
  private reason = '';
  private detail: string | undefined = undefined;

  /** Called at the first TCP segment of a file that goes on with the flows of the one before (see TcpCarry). */
  private carryMeet: ((ts: number) => void) | null = null;

  constructor(
    private readonly file: string,
    private readonly handler: PayloadHandler,
    private readonly acc: InputAccounting,
    carried?: TcpCarry,
  ) {
    this.p = new ReusedPayload(this.src4, this.dst4, EMPTY);
    this.frags = new FragmentReassembler((set, why) => this.fragDropped(set, why));
    if (carried === undefined) this.tcp = new TcpReassembler(this);
    else {
      this.tcp = carried.tcp;
      this.tcp.adopt(this);
      this.carryMeet = carried.meet;
    }
  }

  /** Decodes one captured frame `buf[off, off + caplen)` of link type `linktype`. */
  packet(buf: Uint8Array, off: number, caplen: number, origlen: number, linktype: number, ts: number, no: number): void {
    this.acc.read++;
    this.no = no;
    this.ts = ts;
    this.cut = caplen < origlen;
    this.depth = 0;
    this.tunneled = false;
    this.detail = undefined;
    const end = off + caplen;
    // Ethernet carrying IPv4 (most packets of most captures) goes straight to the IP layer, where
    // link() would take it too: one call less per packet.
    if (linktype === LinkType.ETHERNET && caplen >= 14 && u16be(buf, off + 12) === EtherType.IPV4) this.count(this.ipv4(buf, off + 14, end));
    else this.count(this.link(linktype, buf, off, end));
  }

  /** End of capture: flush TCP streams and drop fragment sets that never completed. */
  end(): void {
    this.tcp.end();
    this.frags.end();
  }

  /**
   * End of one file of a chain of captures: fragment sets that never completed are dropped, counted in this
   * file; the TCP flows are returned open, for the next file to go on with (their parked segments are still
   * counted here when they are delivered, see tcpCountAs).
   */
  handOver(): TcpReassembler {
    this.carryMeet = null;
    this.frags.end();
    return this.tcp;
  }

  /** The TCP flows carried over from the file before are closed (it was not followed by this one, after all). */
  dropCarried(): void {
    this.carryMeet = null;
    this.tcp.end();
  }

  get openFlows(): number {
    return this.tcp.flows;
  }

  get pendingFragmentSets(): number {
    return this.frags.pending;
  }

  // ── accounting ──────────────────────────────────────────────────────────────────────────────

  /** Ignored packets of one reason in a row, added to `acc` by `flush()` (a property update per packet costs). */
  private pendReason = '';
  private pendCount = 0;

  /** Brings `acc` up to date; the reader calls it at the end of every chunk and at the end. */
  flush(): void {
    if (this.pendCount === 0) return;
    const acc = this.acc;
    acc.ignored += this.pendCount;
    acc.ignoredBy[this.pendReason] = (acc.ignoredBy[this.pendReason] ?? 0) + this.pendCount;
    this.pendCount = 0;
  }

  private count(out: number): void {
    if (out === USED) this.acc.used++;
    else if (out === IGNORED) {
      if (this.reason !== this.pendReason) {
        this.flush();
        this.pendReason = this.reason;
      }
      this.pendCount++;
    }
    else if (out === ANOMALY) countAnomaly(this.acc, this.reason, { file: this.file, packet: this.no }, this.detail);
  }

  private ignore(reason: string): number {
    this.reason = reason;
    return IGNORED;
  }

  private bad(name: string, detail?: string): number {
    this.reason = name;
    this.detail = detail;
    return ANOMALY;
  }

  /** A length that runs past the captured bytes: the snap length cut it, or the header lies. */
  private short(name: string, detail?: string): number {
    return this.cut ? this.bad('snaplen-cut', detail) : this.bad(name, detail);
  }

  // ── link layers ─────────────────────────────────────────────────────────────────────────────

  private link(lt: number, b: Uint8Array, o: number, end: number): number {
    switch (lt) {
      case LinkType.ETHERNET:
        return this.ether(b, o, end);
      case LinkType.RAW:
      case LinkType.RAW_12:
      case LinkType.RAW_14:
      case LinkType.IPV4:
      case LinkType.IPV6:
        return this.rawIp(b, o, end);
      case LinkType.LINUX_SLL:
        if (end - o < 16) return this.short('bad-link-header', 'SLL header');
        return this.ethertype(u16be(b, o + 14), b, o + 16, end);
      case LinkType.LINUX_SLL2:
        if (end - o < 20) return this.short('bad-link-header', 'SLL2 header');
        return this.ethertype(u16be(b, o), b, o + 20, end);
      case LinkType.NULL:
      case LinkType.LOOP: {
        if (end - o < 4) return this.short('bad-link-header', 'loopback header');
        // NULL: address family in the capturing host's byte order; LOOP: network order.
        let fam = u32be(b, o);
        if (lt === LinkType.NULL && fam > 0xffff) fam = u32le(b, o);
        if (fam === 2) return this.ipv4(b, o + 4, end);
        if (fam === 24 || fam === 28 || fam === 30 || fam === 10) return this.ipv6(b, o + 4, end);
        return this.ignore('not-ip');
      }
      case LinkType.PPP:
      case LinkType.PPP_HDLC:
        return this.ppp(b, o, end);
      case LinkType.PPP_ETHER:
        return this.pppoe(b, o, end);
      default:
        return this.bad('unknown-linktype', `link type ${lt}`);
    }
  }

  private ether(b: Uint8Array, o: number, end: number): number {
    if (end - o < 14) return this.short('bad-link-header', 'Ethernet header');
    let type = u16be(b, o + 12);
    o += 14;
    // 802.1Q, 802.1ad (QinQ) and the pre-standard QinQ tag types, any depth.
    while (type === EtherType.VLAN || type === EtherType.QINQ || type === EtherType.QINQ_OLD || type === EtherType.QINQ_OLD2) {
      if (end - o < 4) return this.short('bad-link-header', 'VLAN tag');
      type = u16be(b, o + 2);
      o += 4;
    }
    return this.ethertype(type, b, o, end);
  }

  private ethertype(type: number, b: Uint8Array, o: number, end: number): number {
    switch (type) {
      case EtherType.IPV4:
        return this.ipv4(b, o, end);
      case EtherType.IPV6:
        return this.ipv6(b, o, end);
      case EtherType.VLAN:
      case EtherType.QINQ:
        if (end - o < 4) return this.short('bad-link-header', 'VLAN tag');
        return this.ethertype(u16be(b, o + 2), b, o + 4, end);
      case EtherType.PPPOE_SESSION:
        return this.pppoe(b, o, end);
      case EtherType.PPP:
        return this.ppp(b, o, end);
      case EtherType.MPLS:
      case EtherType.MPLS_MC:
        return this.mpls(b, o, end);
      case EtherType.TEB:
        return this.nested() ? this.ether(b, o, end) : this.bad('tunnel-depth');
      default:
        return this.ignore('not-ip');
    }
  }

  /** PPPoE session header (RFC 2516): ver/type, code, session id, length; then PPP. */
  private pppoe(b: Uint8Array, o: number, end: number): number {
    if (end - o < 8) return this.short('bad-link-header', 'PPPoE header');
    const len = u16be(b, o + 4);
    const stop = o + 6 + len;
    if (stop > end) return this.short('bad-link-header', `PPPoE length ${len}`);
    return this.ppp(b, o + 6, stop);
  }

  /** PPP, with or without the HDLC address/control bytes, with a 1- or 2-byte protocol field. */
  private ppp(b: Uint8Array, o: number, end: number): number {
    if (end - o >= 2 && b[o] === 0xff && b[o + 1] === 0x03) o += 2;
    if (end - o < 1) return this.short('bad-link-header', 'PPP header');
    let proto: number;
    if (b[o]! & 1) {
      proto = b[o]!;
      o += 1;
    } else {
      if (end - o < 2) return this.short('bad-link-header', 'PPP header');
      proto = u16be(b, o);
      o += 2;
    }
    if (proto === 0x21) return this.ipv4(b, o, end);
    if (proto === 0x57) return this.ipv6(b, o, end);
    return this.ignore('not-ip');
  }

  private mpls(b: Uint8Array, o: number, end: number): number {
    for (;;) {
      if (end - o < 4) return this.short('bad-link-header', 'MPLS label');
      const bottom = b[o + 2]! & 1;
      o += 4;
      if (bottom) break;
    }
    return this.rawIp(b, o, end);
  }

  private rawIp(b: Uint8Array, o: number, end: number): number {
    if (end - o < 1) return this.short('bad-ip-header', 'empty packet');
    const v = b[o]! >> 4;
    if (v === 4) return this.ipv4(b, o, end);
    if (v === 6) return this.ipv6(b, o, end);
    return this.ignore('not-ip');
  }

  private nested(): boolean {
    this.tunneled = true;
    return ++this.depth <= MAX_DEPTH;
  }

  // ── IP ──────────────────────────────────────────────────────────────────────────────────────

  private ipv4(b: Uint8Array, o: number, end: number): number {
    const avail = end - o;
    if (avail < 20) return this.short('bad-ip-header', 'IPv4 header');
    const vh = b[o]!;
    if (vh >> 4 !== 4) return this.bad('bad-ip-header', `IP version ${vh >> 4} in an IPv4 frame`);
    const ihl = (vh & 15) << 2;
    if (ihl < 20) return this.bad('bad-ip-header', `IPv4 header length ${ihl}`);
    if (ihl > avail) return this.short('bad-ip-header', `IPv4 header length ${ihl}`);
    let total = u16be(b, o + 2);
    // Total length 0: segmentation offload on the capturing host; the frame is the packet.
    if (total === 0) total = avail;
    if (total < ihl) return this.bad('bad-ip-header', `IPv4 total length ${total}`);
    if (total > avail) return this.short('bad-ip-length', `IPv4 total length ${total}, ${avail} captured`);
    const proto = b[o + 9]!;
    const src = this.src4;
    const dst = this.dst4;
    src[0] = b[o + 12]!; src[1] = b[o + 13]!; src[2] = b[o + 14]!; src[3] = b[o + 15]!;
    dst[0] = b[o + 16]!; dst[1] = b[o + 17]!; dst[2] = b[o + 18]!; dst[3] = b[o + 19]!;
    this.ipVer = 4;
    const ff = u16be(b, o + 6);
    if ((ff & 0x3fff) !== 0) {
      const key = fragKey(4, src, dst, u16be(b, o + 4), proto);
      return this.fragment(key, (ff & 0x1fff) << 3, (ff & 0x2000) !== 0, b, o + ihl, o + total, proto, false);
    }
    return this.transport(proto, b, o + ihl, o + total);
  }

  private ipv6(b: Uint8Array, o: number, end: number): number {
    const avail = end - o;
    if (avail < 40) return this.short('bad-ip-header', 'IPv6 header');
    if (b[o]! >> 4 !== 6) return this.bad('bad-ip-header', `IP version ${b[o]! >> 4} in an IPv6 frame`);
    let plen = u16be(b, o + 4);
    if (plen === 0) plen = avail - 40;
    if (40 + plen > avail) return this.short('bad-ip-length', `IPv6 payload length ${plen}, ${avail - 40} captured`);
    const src = this.src6;
    const dst = this.dst6;
    for (let i = 0; i < 16; i++) {
      src[i] = b[o + 8 + i]!;
      dst[i] = b[o + 24 + i]!;
    }
    this.ipVer = 6;
    return this.ipv6Next(b[o + 6]!, b, o + 40, o + 40 + plen, false);
  }

  /** Walks IPv6 extension headers from `nh` at `p` up to the upper layer. */
  private ipv6Next(nh: number, b: Uint8Array, p: number, end: number, reassembled: boolean): number {
    for (;;) {
      switch (nh) {
        case 0: // hop-by-hop
        case 43: // routing
        case 60: // destination options
        case 135: // mobility
        case 51: { // AH (length in 4-byte units)
          if (end - p < 8) return this.short('bad-ip-header', `IPv6 extension header ${nh}`);
          const len = nh === 51 ? (b[p + 1]! + 2) << 2 : (b[p + 1]! + 1) << 3;
          if (end - p < len) return this.short('bad-ip-header', `IPv6 extension header ${nh} length ${len}`);
          nh = b[p]!;
          p += len;
          break;
        }
        case 44: { // fragment
          if (end - p < 8) return this.short('bad-ip-header', 'IPv6 fragment header');
          const next = b[p]!;
          const offField = u16be(b, p + 2);
          const id = u32be(b, p + 4);
          p += 8;
          if ((offField & 0xfff9) === 0) { // atomic fragment (RFC 6946)
            nh = next;
            break;
          }
          if (reassembled) return this.bad('bad-ip-header', 'fragment header inside a reassembled packet');
          const key = fragKey(6, this.src6, this.dst6, id, next);
          return this.fragment(key, offField & 0xfff8, (offField & 1) !== 0, b, p, end, next, true);
        }
        default:
          return this.transport(nh, b, p, end);
      }
    }
  }

  private fragment(key: string, off: number, more: boolean, b: Uint8Array, start: number, end: number, proto: number, v6: boolean): number {
    countIgnored(this.acc, 'ip-fragment');
    const r = this.frags.add(key, this.ts, this.no, off, more, b, start, end);
    if (r === FragResult.Parked) return COUNTED;
    uncountIgnored(this.acc, 'ip-fragment');
    if (r === FragResult.Bad) return this.bad('bad-ip-fragment', `offset ${off}, ${end - start} bytes`);
    const out = this.frags.out;
    return v6 ? this.ipv6Next(proto, out, 0, r, true) : this.transport(proto, out, 0, r);
  }

  private fragDropped(set: FragSet, why: string): void {
    const detail = `${set.parts.length} fragment(s), ${set.bytes} bytes, ${why}`;
    for (const packet of set.packets) ignoredToAnomaly(this.acc, 'ip-fragment', 'ip-fragment-incomplete', { file: this.file, packet }, detail);
  }

  // ── transport and tunnels ──────────────────────────────────────────────────────────────────

  private transport(proto: number, b: Uint8Array, o: number, end: number): number {
    switch (proto) {
      case 17:
        return this.udp(b, o, end);
      case 6:
        return this.tcpSegment(b, o, end);
      case 4:
        return this.nested() ? this.ipv4(b, o, end) : this.bad('tunnel-depth');
      case 41:
        return this.nested() ? this.ipv6(b, o, end) : this.bad('tunnel-depth');
      case 47:
        return this.nested() ? this.gre(b, o, end) : this.bad('tunnel-depth');
      default:
        return this.ignore('not-udp-tcp');
    }
  }

  private udp(b: Uint8Array, o: number, end: number): number {
    const avail = end - o;
    if (avail < 8) return this.short('bad-udp-length', 'UDP header');
    const ulen = u16be(b, o + 4);
    if (ulen < 8) return this.bad('bad-udp-length', `UDP length ${ulen}`);
    if (ulen > avail) return this.short('bad-udp-length', `UDP length ${ulen}, ${avail} captured`);
    const start = o + 8;
    const stop = o + ulen;
    if (stop === start) return this.ignore('not-sip');
    // VXLAN (RFC 7348) on its IANA port, as cloud traffic mirroring delivers it: I flag set, then Ethernet.
    if (u16be(b, o + 2) === 4789 && stop - start >= 8 + 14 && (b[start]! & 0x08) !== 0 && this.nested()) return this.ether(b, start + 8, stop);
    const hv = hepVersion(b, start, stop);
    if (hv !== 0 && this.depth < MAX_DEPTH) return this.hepPayload(b, start, stop, hv);
    const p = this.p;
    p.proto = 'udp';
    p.flowKey = '';
    p.srcPort = u16be(b, o);
    p.dstPort = u16be(b, o + 2);
    this.setAddrs();
    p.at(b, start, stop);
    return this.deliver();
  }

  private tcpSegment(b: Uint8Array, o: number, end: number): number {
    const avail = end - o;
    if (avail < 20) return this.short('bad-tcp-header', 'TCP header');
    const doff = (b[o + 12]! >> 4) << 2;
    if (doff < 20) return this.bad('bad-tcp-header', `TCP data offset ${doff}`);
    if (doff > avail) return this.short('bad-tcp-header', `TCP data offset ${doff}`);
    if (this.carryMeet !== null) {
      // The first TCP segment of a file that goes on with the flows of the file before: is it its sequel? (This
      // may drop the carried flows.)
      const meet = this.carryMeet;
      this.carryMeet = null;
      meet(this.ts);
    }
    const v6 = this.ipVer === 6;
    this.tcp.segment(
      this.ipVer, v6 ? this.src6 : this.src4, v6 ? this.dst6 : this.dst4,
      u16be(b, o), u16be(b, o + 2), u32be(b, o + 4), b[o + 13]!, b, o + doff, end, this.no, this.ts,
    );
    return COUNTED;
  }

  /** GRE (RFC 2784/2890, and the PPTP variant of RFC 2637 with version 1). */
  private gre(b: Uint8Array, o: number, end: number): number {
    if (end - o < 4) return this.short('bad-gre-header', 'GRE header');
    const flags = u16be(b, o);
    const ver = flags & 7;
    const proto = u16be(b, o + 2);
    let hl = 4;
    if (flags & 0xc000) hl += 4; // checksum (+ offset)
    if (flags & 0x2000) hl += 4; // key
    if (flags & 0x1000) hl += 4; // sequence
    if (ver === 1 && flags & 0x0080) hl += 4; // acknowledgement
    if (ver > 1) return this.bad('bad-gre-header', `GRE version ${ver}`);
    if (end - o < hl) return this.short('bad-gre-header', 'GRE header');
    let p = o + hl;
    if (ver === 0 && flags & 0x4000) {
      // Source route entries until the NULL SRE (RFC 1701).
      for (;;) {
        if (end - p < 4) return this.short('bad-gre-header', 'GRE routing');
        const sreLen = b[p + 3]!;
        const af = u16be(b, p);
        p += 4 + sreLen;
        if (af === 0 && sreLen === 0) break;
      }
    }
    if (proto === EtherType.ERSPAN_2) {
      if (end - p < 8) return this.short('bad-gre-header', 'ERSPAN II header');
      return this.ether(b, p + 8, end);
    }
    if (proto === EtherType.ERSPAN_3) {
      if (end - p < 12) return this.short('bad-gre-header', 'ERSPAN III header');
      const platform = b[p + 11]! & 1;
      return this.ether(b, p + 12 + (platform ? 8 : 0), end);
    }
    return this.ethertype(proto, b, p, end);
  }

  private hepPayload(b: Uint8Array, o: number, end: number, version: number): number {
    const h = this.hep;
    const err = parseHep(b, o, end, version, h);
    if (err !== '') return this.bad('bad-hep', err);
    if (h.payloadType !== -1 && h.payloadType !== 1) return this.ignore('hep-not-sip');
    this.tunneled = true;
    let data = b.subarray(h.payloadStart, h.payloadEnd);
    if (h.compressed) {
      try {
        data = data[0] === 0x1f && data[1] === 0x8b ? gunzipSync(data) : inflateSync(data);
      } catch (e) {
        return this.bad('bad-hep', `compressed payload: ${(e as Error).message}`);
      }
    }
    if (data.length === 0) return this.ignore('not-sip');
    const p = this.p;
    const v4 = h.ipVersion === 4;
    p.ipVersion = h.ipVersion;
    p.srcAddr = v4 ? h.src4 : h.src6;
    p.dstAddr = v4 ? h.dst4 : h.dst6;
    p.srcPort = h.sport;
    p.dstPort = h.dport;
    p.proto = h.proto === 6 ? 'tcp' : 'udp';
    // HEP agents send whole messages; a TCP-carried one still gets a flow key for the stream framer.
    p.flowKey = h.proto === 6 ? `hep:${addrToString(p.srcAddr)}:${h.sport}>${addrToString(p.dstAddr)}:${h.dport}` : '';
    p.whole(data);
    const ts = this.ts;
    if (h.hasTime) this.ts = h.tsSec * 1000 + h.tsUsec / 1000;
    const out = this.deliver();
    this.ts = ts;
    return out;
  }

  private setAddrs(): void {
    const p = this.p;
    if (this.ipVer === 4) {
      p.ipVersion = 4;
      p.srcAddr = this.src4;
      p.dstAddr = this.dst4;
    } else {
      p.ipVersion = 6;
      p.srcAddr = this.src6;
      p.dstAddr = this.dst6;
    }
  }

  private deliver(): number {
    const p = this.p;
    p.ts = this.ts;
    p.packet = this.no;
    p.tunneled = this.tunneled;
    p.anomaly = undefined;
    p.anomalyDetail = undefined;
    return this.verdict(this.handler.onPayload(p));
  }

  private verdict(v: PayloadVerdict): number {
    switch (v) {
      case 'sip':
        return USED;
      case 'rtp':
        return this.ignore('rtp');
      case 'sip-tls':
        return this.ignore('sip-tls');
      case 'tls':
        return this.ignore('tls');
      case 'ws-handshake':
        return this.ignore('ws-handshake');
      case 'malformed':
        return this.bad(this.p.anomaly ?? 'sip-malformed', this.p.anomalyDetail);
      default:
        return this.ignore('not-sip');
    }
  }

  // ── TcpSink ────────────────────────────────────────────────────────────────────────────────

  tcpDeliver(flow: TcpFlow, data: Uint8Array): number {
    const p = this.p;
    p.proto = 'tcp';
    p.ipVersion = flow.ver;
    p.srcAddr = flow.src;
    p.dstAddr = flow.dst;
    p.srcPort = flow.sport;
    p.dstPort = flow.dport;
    p.flowKey = flow.key;
    p.whole(data);
    this.detail = undefined;
    return this.deliver();
  }

  tcpCount(outcome: number, packet: number, parked: boolean): void {
    if (parked) uncountIgnored(this.acc, 'tcp-out-of-order');
    if (outcome === USED) this.acc.used++;
    else if (outcome === IGNORED) countIgnored(this.acc, this.reason);
    else if (outcome === ANOMALY) countAnomaly(this.acc, this.reason, { file: this.file, packet }, this.detail);
  }

  tcpCountAs(outcome: number, packet: number, by: TcpSink): void {
    const d = by as PacketDecoder;
    uncountIgnored(this.acc, 'tcp-out-of-order');
    if (outcome === USED) this.acc.used++;
    else if (outcome === IGNORED) countIgnored(this.acc, d.reason);
    else if (outcome === ANOMALY) countAnomaly(this.acc, d.reason, { file: this.file, packet }, d.detail);
  }

  tcpIgnore(reason: string, _packet: number, parked: boolean): void {
    if (parked) uncountIgnored(this.acc, 'tcp-out-of-order');
    countIgnored(this.acc, reason);
  }

  tcpFlowEnd(flow: TcpFlow): void {
    this.handler.onFlowEnd?.(flow.key);
  }
}
