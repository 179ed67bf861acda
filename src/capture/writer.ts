/**
 * A small pcap/pcapng writer and packet builders, for tests and generated traffic.
 *
 * Builders return fresh byte arrays and compose: `ethernet(ipv4({ ..., payload: udp({ ... }) }))`.
 * Timestamps are milliseconds since the epoch (fractions allowed), as everywhere in sipscope.
 */
import { gzipSync } from 'node:zlib';
import { EtherType, LinkType } from '../net/linktypes.js';

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

class Out {
  private buf = new Uint8Array(4096);
  len = 0;
  constructor(public le: boolean) {}
  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.len++] = v & 0xff;
  }
  u16(v: number): void {
    this.room(2);
    const o = this.len;
    if (this.le) { this.buf[o] = v & 0xff; this.buf[o + 1] = (v >>> 8) & 0xff; }
    else { this.buf[o] = (v >>> 8) & 0xff; this.buf[o + 1] = v & 0xff; }
    this.len += 2;
  }
  u32(v: number): void {
    if (this.le) { this.u16(v & 0xffff); this.u16((v >>> 16) & 0xffff); }
    else { this.u16((v >>> 16) & 0xffff); this.u16(v & 0xffff); }
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  pad4(): void {
    while (this.len & 3) this.u8(0);
  }
  patch32(at: number, v: number): void {
    const save = this.len;
    this.len = at;
    this.u32(v);
    this.len = save;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Splits a ms timestamp into seconds and a fraction in `perSec` units (rounded, carried). */
function split(ts: number, perSec: number): [number, number] {
  let sec = Math.floor(ts / 1000);
  let frac = Math.round((ts - sec * 1000) * (perSec / 1000));
  if (frac >= perSec) { sec += 1; frac -= perSec; }
  return [sec, frac];
}

export function writePcap(packets: Iterable<CapturedPacket>, opts: PcapOptions = {}): Uint8Array {
  const o = new Out(!opts.bigEndian);
  o.u32(opts.nanos ? 0xa1b23c4d : 0xa1b2c3d4);
  o.u16(2);
  o.u16(4);
  o.u32(0);
  o.u32(0);
  o.u32(opts.snaplen ?? 262144);
  o.u32(opts.linktype ?? LinkType.ETHERNET);
  const perSec = opts.nanos ? 1e9 : 1e6;
  for (const p of packets) {
    const [sec, frac] = split(p.ts, perSec);
    o.u32(sec);
    o.u32(frac);
    o.u32(p.data.length);
    o.u32(p.origLen ?? p.data.length);
    o.bytes(p.data);
  }
  return o.result();
}

export interface PcapngInterface {
  linktype: number;
  snaplen?: number;
  /** Raw if_tsresol byte: 6 = µs (default), 9 = ns, 0x80|n = 2^-n s. */
  tsresol?: number;
  /** if_tsoffset in seconds. */
  tsoffset?: number;
  name?: string;
}

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

function block(o: Out, type: number, body: (o: Out) => void): void {
  const start = o.len;
  o.u32(type);
  o.u32(0);
  body(o);
  o.pad4();
  const total = o.len - start + 4;
  o.u32(total);
  o.patch32(start + 4, total);
}

function option(o: Out, code: number, value: Uint8Array): void {
  o.u16(code);
  o.u16(value.length);
  o.bytes(value);
  o.pad4();
}

export function writePcapng(sections: PcapngSection | PcapngSection[]): Uint8Array {
  const list = Array.isArray(sections) ? sections : [sections];
  const o = new Out(true);
  for (const s of list) {
    o.le = !s.bigEndian;
    block(o, 0x0a0d0d0a, (b) => {
      b.u32(0x1a2b3c4d);
      b.u16(1);
      b.u16(0);
      b.u32(0xffffffff);
      b.u32(0xffffffff);
    });
    for (const i of s.interfaces) {
      block(o, 1, (b) => {
        b.u16(i.linktype);
        b.u16(0);
        b.u32(i.snaplen ?? 262144);
        if (i.name !== undefined) option(b, 2, new TextEncoder().encode(i.name));
        if (i.tsresol !== undefined) option(b, 9, Uint8Array.of(i.tsresol));
        if (i.tsoffset !== undefined) {
          const v = new Uint8Array(8);
          new DataView(v.buffer).setBigInt64(0, BigInt(i.tsoffset), b.le);
          option(b, 14, v);
        }
        if (i.name !== undefined || i.tsresol !== undefined || i.tsoffset !== undefined) { b.u16(0); b.u16(0); }
      });
    }
    if (s.extraBlocks) {
      block(o, 4, (b) => { b.u16(1); b.u16(8); b.bytes(Uint8Array.of(192, 0, 2, 1, 0x61, 0x00, 0, 0)); b.u16(0); b.u16(0); });
      block(o, 0x80001234, (b) => { b.bytes(new TextEncoder().encode('a local block to skip')); });
    }
    for (const p of s.packets) {
      const origLen = p.origLen ?? p.data.length;
      const kind = p.block ?? 'epb';
      if (kind === 'spb') {
        block(o, 3, (b) => { b.u32(origLen); b.bytes(p.data); });
        continue;
      }
      const iface = s.interfaces[p.iface ?? 0];
      if (iface === undefined) throw new Error(`interface ${p.iface} not in section`);
      const t = tsUnits(p.ts, iface);
      block(o, kind === 'epb' ? 6 : 2, (b) => {
        if (kind === 'epb') b.u32(p.iface ?? 0);
        else { b.u16(p.iface ?? 0); b.u16(0); }
        b.u32(Number(t >> 32n));
        b.u32(Number(t & 0xffffffffn));
        b.u32(p.data.length);
        b.u32(origLen);
        b.bytes(p.data);
        b.pad4();
      });
    }
    if (s.extraBlocks) block(o, 5, (b) => { b.u32(0); b.u32(0); b.u32(0); });
  }
  return o.result();
}

// ── addresses and checksums ────────────────────────────────────────────────────────────────────

/** Parses an IPv4 dotted quad or an IPv6 text address (with `::`) into 4 or 16 bytes. */
export function parseIp(text: string): Uint8Array {
  if (!text.includes(':')) {
    const parts = text.split('.').map(Number);
    if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) throw new Error(`bad IPv4 address ${text}`);
    return Uint8Array.from(parts);
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const groups = [...h, ...Array<string>(fill).fill('0'), ...t];
  if (groups.length !== 8) throw new Error(`bad IPv6 address ${text}`);
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  });
  return out;
}

function sum16(b: Uint8Array, acc = 0): number {
  for (let i = 0; i < b.length; i += 2) acc += (b[i]! << 8) | (b[i + 1] ?? 0);
  return acc;
}

function fold(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
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
  return cat(be16(u.sport), be16(u.dport), be16(u.length ?? p.length + 8), be16(0), p);
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
  return cat(be16(t.sport), be16(t.dport), be32(t.seq >>> 0), be32((t.ack ?? 0) >>> 0), Uint8Array.of(5 << 4, flags), be16(t.window ?? 65535), be16(0), be16(0), p);
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
  const h = new Uint8Array(20);
  h[0] = 0x45;
  h.set(be16(i.totalLength ?? 20 + i.payload.length), 2);
  h.set(be16(i.id ?? 0), 4);
  const ff = (i.dontFragment ? 0x4000 : 0) | (i.moreFragments ? 0x2000 : 0) | ((i.fragOffset ?? 0) >> 3);
  h.set(be16(ff), 6);
  h[8] = i.ttl ?? 64;
  h[9] = i.proto;
  h.set(parseIp(i.src), 12);
  h.set(parseIp(i.dst), 16);
  h.set(be16(fold(sum16(h))), 10);
  return cat(h, i.payload);
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

/** Fills the UDP/TCP checksum of `seg` (at `at`) over the pseudo-header of RFC 768/793/8200. */
function l4Checksum(src: string, dst: string, proto: number, seg: Uint8Array, at: number): Uint8Array {
  const s = parseIp(src);
  const d = parseIp(dst);
  const len = seg.length;
  const pseudo = s.length === 4 ? cat(s, d, Uint8Array.of(0, proto), be16(len)) : cat(s, d, be32(len), Uint8Array.of(0, 0, 0, proto));
  let c = fold(sum16(seg, sum16(pseudo)));
  if (c === 0 && proto === 17) c = 0xffff;
  seg.set(be16(c), at);
  return seg;
}

/** A UDP datagram in IPv4 or IPv6, chosen by the address form (checksum filled in). */
export function udpPacket(u: IpUdpInit): Uint8Array {
  const payload = u.length === undefined ? l4Checksum(u.src, u.dst, 17, udp(u), 6) : udp(u);
  return u.src.includes(':') ? ipv6({ src: u.src, dst: u.dst, nextHeader: 17, payload }) : ipv4({ src: u.src, dst: u.dst, proto: 17, payload, id: u.id });
}

export interface IpTcpInit extends TcpInit {
  src: string;
  dst: string;
  id?: number;
}

/** A TCP segment in IPv4 or IPv6, chosen by the address form (checksum filled in). */
export function tcpPacket(t: IpTcpInit): Uint8Array {
  const payload = l4Checksum(t.src, t.dst, 6, tcp(t), 16);
  return t.src.includes(':') ? ipv6({ src: t.src, dst: t.dst, nextHeader: 6, payload }) : ipv4({ src: t.src, dst: t.dst, proto: 6, payload, id: t.id });
}

/** Splits an IPv4 packet (20-byte header) into fragments carrying at most `maxData` bytes each. */
export function fragmentIpv4(packet: Uint8Array, maxData: number, id?: number): Uint8Array[] {
  const ihl = (packet[0]! & 15) * 4;
  const data = packet.subarray(ihl);
  const step = maxData & ~7;
  if (step <= 0) throw new Error('fragment size below 8 bytes');
  const out: Uint8Array[] = [];
  for (let off = 0; off < data.length; off += step) {
    const end = Math.min(off + step, data.length);
    const h = packet.slice(0, ihl);
    const more = end < data.length;
    h.set(be16(ihl + end - off), 2);
    if (id !== undefined) h.set(be16(id), 4);
    h.set(be16((more ? 0x2000 : 0) | (off >> 3)), 6);
    h[10] = h[11] = 0;
    h.set(be16(fold(sum16(h))), 10);
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
  const step = maxData & ~7;
  if (step <= 0) throw new Error('fragment size below 8 bytes');
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

export function ethernet(payload: Uint8Array, e: EthernetInit = {}): Uint8Array {
  const dst = e.dst ?? Uint8Array.of(0x02, 0, 0, 0, 0, 2);
  const src = e.src ?? Uint8Array.of(0x02, 0, 0, 0, 0, 1);
  const tags: Uint8Array[] = [];
  const vlans = e.vlans ?? [];
  vlans.forEach((id, k) => {
    const tpid = k === 0 && vlans.length > 1 ? (e.outerTpid ?? EtherType.QINQ) : EtherType.VLAN;
    tags.push(cat(be16(tpid), be16(id & 0xfff)));
  });
  return cat(dst, src, ...tags, be16(e.type ?? ipEtherType(payload)), payload);
}

/** Linux cooked capture v1 (LINKTYPE_LINUX_SLL, 113). */
export function sll(payload: Uint8Array, protocol = ipEtherType(payload)): Uint8Array {
  return cat(be16(0), be16(1), be16(6), Uint8Array.of(2, 0, 0, 0, 0, 1, 0, 0), be16(protocol), payload);
}

/** Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, 276). */
export function sll2(payload: Uint8Array, protocol = ipEtherType(payload)): Uint8Array {
  return cat(be16(protocol), be16(0), be32(2), be16(1), Uint8Array.of(0, 6), Uint8Array.of(2, 0, 0, 0, 0, 1, 0, 0), payload);
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
