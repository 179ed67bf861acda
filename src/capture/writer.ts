/**
 * A small pcap/pcapng writer and packet builders, for tests and generated traffic.
 *
 * Builders return fresh byte arrays and compose: `ethernet(ipv4({ ..., payload: udp({ ... }) }))`.
 * Timestamps are milliseconds since the epoch (fractions allowed), as everywhere in sipscope.
 * The byte layouts are those of capture/layout.ts, which the scenario renderer (gen/capture.ts) writes with too.
 */
import { gzipSync } from 'node:zlib';
import { renderToBuffer, type ByteOut } from '../gen/out.js';
import { put16, put16be, put32, u16be, u32be } from '../net/bytes.js';
import { EtherType, LinkType } from '../net/linktypes.js';
import { parseAddr } from '../net/payload.js';
import {
  DEFAULT_SNAPLEN, PCAP_RECORD_LEN, ipv4Number, type PcapngInterface, blockLength, fragmentStep, interfaceBlock, ipv4Fragment, pcapHeader,
  putBlock, putEthernet, putIpv4, putIpv4Checksum, putL4Checksum, putPacketBlock, putPcapRecord, putSll, putSll2, putTcp,
  putUdp, sectionHeaderBlock, sum16,
} from './layout.js';

// ── containers ────────────────────────────────────────────────────────────────────────────────

export interface CapturedPacket {
  /** ms since epoch. */
  ts: number;
  /** The captured bytes (already cut when simulating a snap length). */
  data: Uint8Array;
  /** Length on the wire; defaults to data.length. */
  origLen?: number;
}

export interface PcapOptions {
  linktype?: number;
  /** Nanosecond magic (a1b23c4d) instead of microseconds. */
  nanos?: boolean;
  bigEndian?: boolean;
  snaplen?: number;
}

/** Runs `write` into a fresh array. */
function result(write: (out: ByteOut) => void): Uint8Array {
  return new Uint8Array(renderToBuffer(write));
}

/** Splits a ms timestamp into seconds and a fraction in `perSec` units (rounded, carried). */
function split(ts: number, perSec: number): [number, number] {
  let sec = Math.floor(ts / 1000);
  let frac = Math.round((ts - sec * 1000) * (perSec / 1000));
  if (frac >= perSec) { sec += 1; frac -= perSec; }
  return [sec, frac];
}

export function writePcap(packets: Iterable<CapturedPacket>, opts: PcapOptions = {}): Uint8Array {
  const le = !opts.bigEndian;
  const perSec = opts.nanos ? 1e9 : 1e6;
  return result((out) => {
    out.bytes(pcapHeader(le, opts.nanos ?? false, opts.snaplen ?? DEFAULT_SNAPLEN, opts.linktype ?? LinkType.ETHERNET));
    for (const p of packets) {
      const [sec, frac] = split(p.ts, perSec);
      out.reserve(PCAP_RECORD_LEN + p.data.length);
      const at = putPcapRecord(out.buf, out.pos, le, sec, frac, p.data.length, p.origLen ?? p.data.length);
      out.buf.set(p.data, at);
      out.pos = at + p.data.length;
    }
  });
}

export type { PcapngInterface };

export interface PcapngPacket extends CapturedPacket {
  /** Interface index inside the section (default 0). */
  iface?: number;
  /** Enhanced (default), Simple (no timestamp, interface 0) or the obsolete Packet Block. */
  block?: 'epb' | 'spb' | 'pb';
}

export interface PcapngSection {
  bigEndian?: boolean;
  interfaces: PcapngInterface[];
  packets: PcapngPacket[];
  /** Also write blocks a reader must skip (a name resolution block, a custom block, statistics). */
  extraBlocks?: boolean;
}

function tsUnits(ts: number, iface: PcapngInterface): bigint {
  const r = iface.tsresol ?? 6;
  const ups = r & 0x80 ? 2n ** BigInt(r & 0x7f) : 10n ** BigInt(r);
  const t = ts - (iface.tsoffset ?? 0) * 1000;
  const sec = Math.floor(t / 1000);
  const subMs = t - sec * 1000;
  return BigInt(sec) * ups + BigInt(Math.round((subMs * Number(ups)) / 1000));
}

/** Appends a block with a body of `bodyLen` bytes, which `body` puts at the offset it is given. */
function block(out: ByteOut, le: boolean, type: number, bodyLen: number, body: (b: Uint8Array, at: number) => void): void {
  const total = blockLength(bodyLen);
  out.reserve(total);
  body(out.buf, putBlock(out.buf, out.pos, le, type, bodyLen));
  out.pos += total;
}

export function writePcapng(sections: PcapngSection | PcapngSection[]): Uint8Array {
  const list = Array.isArray(sections) ? sections : [sections];
  return result((out) => {
    for (const s of list) {
      const le = !s.bigEndian;
      out.bytes(sectionHeaderBlock(le));
      for (const i of s.interfaces) out.bytes(interfaceBlock(i, le));
      if (s.extraBlocks) {
        // A name resolution block (192.0.2.1 is "a") and a custom block of local use.
        block(out, le, 4, 16, (b, at) => {
          put16(b, at, 1, le);
          put16(b, at + 2, 8, le);
          b.set([192, 0, 2, 1, 0x61, 0x00, 0, 0], at + 4);
          put32(b, at + 12, 0, le);
        });
        const note = new TextEncoder().encode('a local block to skip');
        block(out, le, 0x80001234, note.length, (b, at) => b.set(note, at));
      }
      for (const p of s.packets) {
        const origLen = p.origLen ?? p.data.length;
        const kind = p.block ?? 'epb';
        if (kind === 'spb') {
          block(out, le, 3, 4 + p.data.length, (b, at) => {
            put32(b, at, origLen, le);
            b.set(p.data, at + 4);
          });
          continue;
        }
        const iface = s.interfaces[p.iface ?? 0];
        if (iface === undefined) throw new Error(`interface ${p.iface} not in section`);
        const t = tsUnits(p.ts, iface);
        out.reserve(blockLength(20 + p.data.length));
        const at = putPacketBlock(out.buf, out.pos, le, kind === 'pb', p.iface ?? 0, Number(t >> 32n), Number(t & 0xffffffffn), p.data.length, origLen);
        out.buf.set(p.data, at);
        out.pos += blockLength(20 + p.data.length);
      }
      // An Interface Statistics Block with no counters.
      if (s.extraBlocks) block(out, le, 5, 12, (b, at) => b.fill(0, at, at + 12));
    }
  });
}

// ── addresses and checksums ────────────────────────────────────────────────────────────────────

/** An IPv4 dotted quad or IPv6 text address as 4 or 16 bytes (net/payload.ts parses it); throws on anything else. */
export function parseIp(text: string): Uint8Array {
  const a = parseAddr(text);
  if (!a) throw new Error(`bad IP address ${text}`);
  return a;
}

function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function be16(v: number): Uint8Array {
  return Uint8Array.of((v >> 8) & 0xff, v & 0xff);
}

function be32(v: number): Uint8Array {
  return Uint8Array.of((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

const text = (s: string | Uint8Array): Uint8Array => (typeof s === 'string' ? new TextEncoder().encode(s) : s);

/** A fresh array: a `headerLen`-byte header that `put` writes at offset 0, then `payload`. */
function withHeader(headerLen: number, payload: Uint8Array, put: (b: Uint8Array) => void): Uint8Array {
  const out = new Uint8Array(headerLen + payload.length);
  put(out);
  out.set(payload, headerLen);
  return out;
}

// ── transport ─────────────────────────────────────────────────────────────────────────────────

export interface UdpInit {
  sport: number;
  dport: number;
  payload: string | Uint8Array;
  /** Override the length field (to build broken packets). */
  length?: number;
}

/** A UDP datagram (checksum 0: not computed). */
export function udp(u: UdpInit): Uint8Array {
  const p = text(u.payload);
  return withHeader(8, p, (b) => putUdp(b, 0, u.sport, u.dport, u.length ?? p.length + 8));
}

export const TcpFlag = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16 } as const;

export interface TcpInit {
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  /** TcpFlag bits; default ACK (PSH|ACK with a payload). */
  flags?: number;
  payload?: string | Uint8Array;
  window?: number;
}

/** A TCP segment with a 20-byte header (checksum 0). */
export function tcp(t: TcpInit): Uint8Array {
  const p = text(t.payload ?? '');
  const flags = t.flags ?? (p.length > 0 ? TcpFlag.PSH | TcpFlag.ACK : TcpFlag.ACK);
  return withHeader(20, p, (b) => putTcp(b, 0, t.sport, t.dport, t.seq, t.ack ?? 0, flags, t.window ?? 65535));
}

// ── IP ────────────────────────────────────────────────────────────────────────────────────────

export interface Ipv4Init {
  src: string;
  dst: string;
  proto: number;
  payload: Uint8Array;
  id?: number;
  ttl?: number;
  dontFragment?: boolean;
  moreFragments?: boolean;
  /** Fragment offset in bytes (a multiple of 8). */
  fragOffset?: number;
  /** Override the total length field. */
  totalLength?: number;
}

export function ipv4(i: Ipv4Init): Uint8Array {
  const fragment = ipv4Fragment(i.dontFragment ?? false, i.moreFragments ?? false, i.fragOffset ?? 0);
  const src = ipv4Number(i.src);
  const dst = ipv4Number(i.dst);
  return withHeader(20, i.payload, (b) => putIpv4(b, 0, i.totalLength ?? 20 + i.payload.length, i.id ?? 0, fragment, i.ttl ?? 64, i.proto, src, dst));
}

export interface Ipv6Ext {
  /** 0 hop-by-hop, 43 routing, 60 destination options. */
  type: 0 | 43 | 60;
  /** Length in 8-byte units after the first 8 (default 0). */
  units?: number;
}

export interface Ipv6Init {
  src: string;
  dst: string;
  nextHeader: number;
  payload: Uint8Array;
  ext?: Ipv6Ext[];
  hopLimit?: number;
  /** Override the payload length field. */
  payloadLength?: number;
}

export function ipv6(i: Ipv6Init): Uint8Array {
  const exts = i.ext ?? [];
  const parts: Uint8Array[] = [];
  for (let k = 0; k < exts.length; k++) {
    const e = exts[k]!;
    const len = ((e.units ?? 0) + 1) * 8;
    const b = new Uint8Array(len);
    b[0] = k + 1 < exts.length ? exts[k + 1]!.type : i.nextHeader;
    b[1] = e.units ?? 0;
    // PadN option filling the rest (valid for hop-by-hop and destination options).
    b[2] = 1;
    b[3] = len - 4;
    parts.push(b);
  }
  const body = cat(...parts, i.payload);
  const h = new Uint8Array(40);
  h[0] = 0x60;
  h.set(be16(i.payloadLength ?? body.length), 4);
  h[6] = exts.length > 0 ? exts[0]!.type : i.nextHeader;
  h[7] = i.hopLimit ?? 64;
  h.set(parseIp(i.src), 8);
  h.set(parseIp(i.dst), 24);
  return cat(h, body);
}

export interface IpUdpInit extends UdpInit {
  src: string;
  dst: string;
  id?: number;
}

/** Fills the UDP/TCP checksum of `seg` (IPv4 or IPv6 addresses). */
function l4Checksum(src: string, dst: string, proto: number, seg: Uint8Array): Uint8Array {
  const s = parseIp(src);
  const d = parseIp(dst);
  putL4Checksum(seg, 0, seg.length, proto, sum16(s, 0, s.length, sum16(d, 0, d.length)));
  return seg;
}

/** A UDP datagram in IPv4 or IPv6, chosen by the address form (checksum filled in). */
export function udpPacket(u: IpUdpInit): Uint8Array {
  const payload = u.length === undefined ? l4Checksum(u.src, u.dst, 17, udp(u)) : udp(u);
  return u.src.includes(':') ? ipv6({ src: u.src, dst: u.dst, nextHeader: 17, payload }) : ipv4({ src: u.src, dst: u.dst, proto: 17, payload, id: u.id });
}

export interface IpTcpInit extends TcpInit {
  src: string;
  dst: string;
  id?: number;
}

/** A TCP segment in IPv4 or IPv6, chosen by the address form (checksum filled in). */
export function tcpPacket(t: IpTcpInit): Uint8Array {
  const payload = l4Checksum(t.src, t.dst, 6, tcp(t));
  return t.src.includes(':') ? ipv6({ src: t.src, dst: t.dst, nextHeader: 6, payload }) : ipv4({ src: t.src, dst: t.dst, proto: 6, payload, id: t.id });
}

/** Splits an IPv4 packet (20-byte header) into fragments carrying at most `maxData` bytes each. */
export function fragmentIpv4(packet: Uint8Array, maxData: number, id?: number): Uint8Array[] {
  const ihl = (packet[0]! & 15) * 4;
  const data = packet.subarray(ihl);
  const step = fragmentStep(maxData);
  const out: Uint8Array[] = [];
  for (let off = 0; off < data.length; off += step) {
    const end = Math.min(off + step, data.length);
    const h = packet.slice(0, ihl);
    put16be(h, 2, ihl + end - off);
    if (id !== undefined) put16be(h, 4, id);
    put16be(h, 6, ipv4Fragment(false, end < data.length, off));
    putIpv4Checksum(h, 0, ihl);
    out.push(cat(h, data.subarray(off, end)));
  }
  return out;
}

/**
 * Splits an IPv6 packet (no extension headers) into fragments of at most `maxData` payload bytes,
 * with a Fragment header (RFC 8200 §4.5) of identification `id`.
 */
export function fragmentIpv6(packet: Uint8Array, maxData: number, id: number): Uint8Array[] {
  const nh = packet[6]!;
  const data = packet.subarray(40);
  const step = fragmentStep(maxData);
  const out: Uint8Array[] = [];
  for (let off = 0; off < data.length; off += step) {
    const end = Math.min(off + step, data.length);
    const h = packet.slice(0, 40);
    h[6] = 44;
    h.set(be16(8 + end - off), 4);
    const frag = cat(Uint8Array.of(nh, 0), be16(off | (end < data.length ? 1 : 0)), be32(id));
    out.push(cat(h, frag, data.subarray(off, end)));
  }
  return out;
}

// ── link layers ───────────────────────────────────────────────────────────────────────────────

export interface EthernetInit {
  /** EtherType of the payload (default: IPv4 or IPv6 by the version nibble). */
  type?: number;
  src?: Uint8Array;
  dst?: Uint8Array;
  /** VLAN ids, outermost first. */
  vlans?: number[];
  /** Tag type of the outermost tag when there are several (default 0x88a8, QinQ). */
  outerTpid?: number;
}

function ipEtherType(p: Uint8Array): number {
  return p[0]! >> 4 === 6 ? EtherType.IPV6 : EtherType.IPV4;
}

/** Default MACs: 02:00:00:00:00:01 sends to 02:00:00:00:00:02 (locally administered). */
const SRC_MAC = 0x0200_0000_0001;
const DST_MAC = 0x0200_0000_0002;

const macNumber = (m: Uint8Array): number => u16be(m, 0) * 2 ** 32 + u32be(m, 2);

export function ethernet(payload: Uint8Array, e: EthernetInit = {}): Uint8Array {
  const dst = e.dst ? macNumber(e.dst) : DST_MAC;
  const src = e.src ? macNumber(e.src) : SRC_MAC;
  const vlans = e.vlans ?? [];
  return withHeader(14 + 4 * vlans.length, payload, (b) => putEthernet(b, 0, dst, src, e.type ?? ipEtherType(payload), vlans, e.outerTpid));
}

/** Linux cooked capture v1 (LINKTYPE_LINUX_SLL, 113). */
export function sll(payload: Uint8Array, protocol = ipEtherType(payload)): Uint8Array {
  return withHeader(16, payload, (b) => putSll(b, 0, 0, SRC_MAC, protocol));
}

/** Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, 276). */
export function sll2(payload: Uint8Array, protocol = ipEtherType(payload)): Uint8Array {
  return withHeader(20, payload, (b) => putSll2(b, 0, 0, SRC_MAC, protocol));
}

/** BSD loopback (LINKTYPE_NULL, host byte order) or OpenBSD loopback (LINKTYPE_LOOP, network order). */
export function nullLink(payload: Uint8Array, o: { bigEndian?: boolean; family?: number } = {}): Uint8Array {
  const fam = o.family ?? (payload[0]! >> 4 === 6 ? 30 : 2);
  const h = be32(fam);
  return cat(o.bigEndian ? h : h.reverse(), payload);
}

/** A PPP frame (HDLC address/control, 2-byte protocol) carrying an IP packet. */
export function ppp(ip: Uint8Array): Uint8Array {
  return cat(Uint8Array.of(0xff, 0x03), be16(ip[0]! >> 4 === 6 ? 0x57 : 0x21), ip);
}

/** A PPPoE session frame (RFC 2516) carrying an IP packet: use as the payload of an Ethernet frame of type 0x8864. */
export function pppoe(ip: Uint8Array, session = 1): Uint8Array {
  const pppFrame = cat(be16(ip[0]! >> 4 === 6 ? 0x57 : 0x21), ip);
  return cat(Uint8Array.of(0x11, 0x00), be16(session), be16(pppFrame.length), pppFrame);
}

/** Wraps an IP packet for a link type (Ethernet, SLL, SLL2, NULL, LOOP, raw, PPP, PPPoE). */
export function frame(linktype: number, ip: Uint8Array): Uint8Array {
  switch (linktype) {
    case LinkType.ETHERNET: return ethernet(ip);
    case LinkType.LINUX_SLL: return sll(ip);
    case LinkType.LINUX_SLL2: return sll2(ip);
    case LinkType.NULL: return nullLink(ip);
    case LinkType.LOOP: return nullLink(ip, { bigEndian: true, family: ip[0]! >> 4 === 6 ? 24 : 2 });
    case LinkType.RAW: case LinkType.RAW_12: case LinkType.RAW_14: case LinkType.IPV4: case LinkType.IPV6: return ip.slice();
    case LinkType.PPP: return ppp(ip);
    case LinkType.PPP_ETHER: return pppoe(ip);
    default: throw new Error(`no builder for link type ${linktype}`);
  }
}

// ── tunnels ───────────────────────────────────────────────────────────────────────────────────

export interface GreInit {
  /** Protocol type (default IPv4/IPv6 by the payload's version nibble). */
  proto?: number;
  key?: number;
  seq?: number;
  checksum?: boolean;
}

/** A GRE header (RFC 2784/2890) and its payload: use as the payload of IP protocol 47. */
export function gre(payload: Uint8Array, g: GreInit = {}): Uint8Array {
  const flags = (g.checksum ? 0x8000 : 0) | (g.key !== undefined ? 0x2000 : 0) | (g.seq !== undefined ? 0x1000 : 0);
  const parts = [be16(flags), be16(g.proto ?? ipEtherType(payload))];
  if (g.checksum) parts.push(be32(0));
  if (g.key !== undefined) parts.push(be32(g.key));
  if (g.seq !== undefined) parts.push(be32(g.seq));
  return cat(...parts, payload);
}

/** A VXLAN header (RFC 7348) and its Ethernet frame: use as the payload of UDP to port 4789. */
export function vxlan(frame: Uint8Array, vni = 1): Uint8Array {
  return cat(Uint8Array.of(0x08, 0, 0, 0), Uint8Array.of((vni >> 16) & 0xff, (vni >> 8) & 0xff, vni & 0xff, 0), frame);
}

export interface HepInit {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  /** ms since epoch (µs precision is kept). */
  ts: number;
  payload: string | Uint8Array;
  /** IP protocol of the original packet (default 17). */
  proto?: number;
  /** HEP3 payload type (default 1, SIP). */
  payloadType?: number;
  /** HEP3: send the payload gzip'd in chunk 0x0010. */
  compress?: boolean;
  captureId?: number;
}

function chunk(type: number, value: Uint8Array): Uint8Array {
  return cat(be16(0), be16(type), be16(value.length + 6), value);
}

/** A HEP v3 packet (the payload of a UDP datagram, usually to port 9060). */
export function hep3(h: HepInit): Uint8Array {
  const v6 = h.src.includes(':');
  const [sec, usec] = split(h.ts, 1e6);
  const body = h.compress ? gzipSync(text(h.payload)) : text(h.payload);
  const chunks = cat(
    chunk(1, Uint8Array.of(v6 ? 10 : 2)),
    chunk(2, Uint8Array.of(h.proto ?? 17)),
    chunk(v6 ? 5 : 3, parseIp(h.src)),
    chunk(v6 ? 6 : 4, parseIp(h.dst)),
    chunk(7, be16(h.sport)),
    chunk(8, be16(h.dport)),
    chunk(9, be32(sec)),
    chunk(10, be32(usec)),
    chunk(11, Uint8Array.of(h.payloadType ?? 1)),
    chunk(12, be32(h.captureId ?? 2001)),
    chunk(h.compress ? 16 : 15, body),
  );
  return cat(text('HEP3'), be16(chunks.length + 6), chunks);
}

/** A HEP v1 or v2 packet (v2 adds the time, little-endian as agents send it). */
export function hep2(h: HepInit, version: 1 | 2 = 2): Uint8Array {
  const v6 = h.src.includes(':');
  const hl = (v6 ? 40 : 16) + (version === 2 ? 12 : 0);
  const parts = [Uint8Array.of(version, hl, v6 ? 10 : 2, h.proto ?? 17), be16(h.sport), be16(h.dport), parseIp(h.src), parseIp(h.dst)];
  if (version === 2) {
    const [sec, usec] = split(h.ts, 1e6);
    parts.push(be32(sec).reverse(), be32(usec).reverse(), be16(h.captureId ?? 1).reverse(), be16(0));
  }
  return cat(...parts, text(h.payload));
}
