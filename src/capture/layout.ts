/**
 * The byte layout of capture files and packet headers, in one place for both writers: the test
 * builders (capture/writer.ts: fresh arrays, every option) and the scenario renderer (gen/capture.ts:
 * straight into its batch buffer, no allocation per packet).
 *
 * File headers are made once per file, as arrays. Per-packet headers are put into a given buffer at
 * an offset: each `put…` writes every byte of its header (padding included) and returns the offset
 * after it. Multi-byte fields of packet headers are in network order; capture file fields are in the
 * file's byte order (`le`). MAC addresses are 48-bit numbers, IPv4 addresses 32-bit numbers.
 */
import { put16, put16be, put32, put32be, u32be } from '../net/bytes.js';
import { EtherType } from '../net/linktypes.js';
import { parseAddr } from '../net/payload.js';

// ── pcap ──────────────────────────────────────────────────────────────────────────────────────

export const DEFAULT_SNAPLEN = 262144;
export const PCAP_RECORD_LEN = 16;

/** The 24-byte pcap file header (version 2.4; nanosecond magic a1b23c4d with `nanos`). */
export function pcapHeader(le: boolean, nanos: boolean, snaplen: number, linktype: number): Uint8Array {
  const b = new Uint8Array(24);
  put32(b, 0, nanos ? 0xa1b23c4d : 0xa1b2c3d4, le);
  put16(b, 4, 2, le);
  put16(b, 6, 4, le);
  put32(b, 16, snaplen, le);
  put32(b, 20, linktype, le);
  return b;
}

/** A pcap record header: seconds, fraction (µs or ns, as the file's magic says), captured and wire lengths. */
export function putPcapRecord(b: Uint8Array, at: number, le: boolean, sec: number, frac: number, capLen: number, origLen: number): number {
  put32(b, at, sec, le);
  put32(b, at + 4, frac, le);
  put32(b, at + 8, capLen, le);
  put32(b, at + 12, origLen, le);
  return at + 16;
}

// ── pcapng ────────────────────────────────────────────────────────────────────────────────────

export interface PcapngInterface {
  linktype: number;
  snaplen?: number;
  /** Raw if_tsresol byte: 6 = µs (default), 9 = ns, 0x80|n = 2^-n s. */
  tsresol?: number;
  /** if_tsoffset in seconds. */
  tsoffset?: number;
  name?: string;
}

/** Bytes of a block whose body has `bodyLen` bytes: type, length, body padded to 4, length again. */
export function blockLength(bodyLen: number): number {
  return 12 + ((bodyLen + 3) & ~3);
}

/** Puts a block's frame (type, total length, the body's zero padding, total length again); returns where the body goes. */
export function putBlock(b: Uint8Array, at: number, le: boolean, type: number, bodyLen: number): number {
  const total = blockLength(bodyLen);
  put32(b, at, type, le);
  put32(b, at + 4, total, le);
  for (let i = at + 8 + bodyLen; i < at + total - 4; i++) b[i] = 0;
  put32(b, at + total - 4, total, le);
  return at + 8;
}

/** A Section Header Block (version 1.0, section length unknown). */
export function sectionHeaderBlock(le: boolean): Uint8Array {
  const b = new Uint8Array(blockLength(16));
  const p = putBlock(b, 0, le, 0x0a0d0d0a, 16);
  put32(b, p, 0x1a2b3c4d, le);
  put16(b, p + 4, 1, le);
  put16(b, p + 6, 0, le);
  put32(b, p + 8, 0xffffffff, le);
  put32(b, p + 12, 0xffffffff, le);
  return b;
}

/** An Interface Description Block with the options set in `i` (if_name, if_tsresol, if_tsoffset). */
export function interfaceBlock(i: PcapngInterface, le: boolean): Uint8Array {
  const opts: Array<[number, Uint8Array]> = [];
  if (i.name !== undefined) opts.push([2, new TextEncoder().encode(i.name)]);
  if (i.tsresol !== undefined) opts.push([9, Uint8Array.of(i.tsresol)]);
  if (i.tsoffset !== undefined) {
    const v = new Uint8Array(8);
    new DataView(v.buffer).setBigInt64(0, BigInt(i.tsoffset), le);
    opts.push([14, v]);
  }
  // Each option is code, length, value padded to 4; opt_endofopt closes a non-empty list.
  const bodyLen = opts.reduce((n, [, v]) => n + 4 + ((v.length + 3) & ~3), 8) + (opts.length > 0 ? 4 : 0);
  const b = new Uint8Array(blockLength(bodyLen));
  let p = putBlock(b, 0, le, 1, bodyLen);
  put16(b, p, i.linktype, le);
  put32(b, p + 4, i.snaplen ?? DEFAULT_SNAPLEN, le);
  p += 8;
  for (const [code, v] of opts) {
    put16(b, p, code, le);
    put16(b, p + 2, v.length, le);
    b.set(v, p + 4);
    p += 4 + ((v.length + 3) & ~3);
  }
  return b;
}

/**
 * Puts an Enhanced Packet Block (or with `obsolete` the Packet Block, 16-bit interface and drop
 * count) for `capLen` bytes of data: everything but the data, which goes at the offset returned.
 * The timestamp is in the interface's units, split in 32-bit halves.
 */
export function putPacketBlock(b: Uint8Array, at: number, le: boolean, obsolete: boolean, iface: number, tsHigh: number, tsLow: number, capLen: number, origLen: number): number {
  const p = putBlock(b, at, le, obsolete ? 2 : 6, 20 + capLen);
  if (obsolete) {
    put16(b, p, iface, le);
    put16(b, p + 2, 0, le);
  } else put32(b, p, iface, le);
  put32(b, p + 4, tsHigh, le);
  put32(b, p + 8, tsLow, le);
  put32(b, p + 12, capLen, le);
  put32(b, p + 16, origLen, le);
  return p + 20;
}

// ── link layers ───────────────────────────────────────────────────────────────────────────────

function putMac(b: Uint8Array, at: number, mac: number): void {
  put16be(b, at, Math.floor(mac / 2 ** 32));
  put32be(b, at + 2, mac);
}

const NO_VLANS: readonly number[] = [];

/** An Ethernet header with 802.1Q tags (outermost first; the outermost of several is typed `outerTpid`). */
export function putEthernet(b: Uint8Array, at: number, dst: number, src: number, type: number, vlans = NO_VLANS, outerTpid: number = EtherType.QINQ): number {
  putMac(b, at, dst);
  putMac(b, at + 6, src);
  let p = at + 12;
  for (let k = 0; k < vlans.length; k++) {
    put16be(b, p, k === 0 && vlans.length > 1 ? outerTpid : EtherType.VLAN);
    put16be(b, p + 2, vlans[k]! & 0xfff);
    p += 4;
  }
  put16be(b, p, type);
  return p + 2;
}

/** A Linux cooked capture v1 header (16 bytes): packet type (0 to us, 4 sent by us), an Ethernet sender address. */
export function putSll(b: Uint8Array, at: number, packetType: number, mac: number, protocol: number): number {
  put16be(b, at, packetType);
  put16be(b, at + 2, 1);
  put16be(b, at + 4, 6);
  putMac(b, at + 6, mac);
  put16be(b, at + 12, 0);
  put16be(b, at + 14, protocol);
  return at + 16;
}

/** A Linux cooked capture v2 header (20 bytes, interface index 2), fields as in `putSll`. */
export function putSll2(b: Uint8Array, at: number, packetType: number, mac: number, protocol: number): number {
  put16be(b, at, protocol);
  put16be(b, at + 2, 0);
  put32be(b, at + 4, 2);
  put16be(b, at + 8, 1);
  b[at + 10] = packetType;
  b[at + 11] = 6;
  putMac(b, at + 12, mac);
  put16be(b, at + 18, 0);
  return at + 20;
}

/** An IPv4 address text as the 32-bit number the `put…` functions take; throws on anything else. */
export function ipv4Number(text: string): number {
  const a = parseAddr(text);
  if (!a || a.length !== 4) throw new Error(`not an IPv4 address: ${text}`);
  return u32be(a, 0);
}

// ── IPv4, UDP, TCP ────────────────────────────────────────────────────────────────────────────

/** Adds the big-endian 16-bit words of b[from, to) to `acc` (an odd last byte as a high byte). */
export function sum16(b: Uint8Array, from: number, to: number, acc = 0): number {
  let i = from;
  for (; i + 1 < to; i += 2) acc += (b[i]! << 8) | b[i + 1]!;
  if (i < to) acc += b[i]! << 8;
  return acc;
}

/** The Internet checksum of a sum of 16-bit words: folded to 16 bits, complemented (RFC 1071). */
export function checksum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** The flags and fragment offset word of an IPv4 header (offset in bytes, a multiple of 8). */
export function ipv4Fragment(dontFragment: boolean, moreFragments: boolean, offset: number): number {
  return (dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | (offset >> 3);
}

/** The data bytes each fragment carries when at most `maxData` fit (a multiple of 8). */
export function fragmentStep(maxData: number): number {
  const step = maxData & ~7;
  if (step <= 0) throw new Error('fragment size below 8 bytes');
  return step;
}

/** Fills in the checksum of the IPv4 header of `len` bytes at `at`. */
export function putIpv4Checksum(b: Uint8Array, at: number, len: number): void {
  b[at + 10] = b[at + 11] = 0;
  put16be(b, at + 10, checksum(sum16(b, at, at + len)));
}

/** A 20-byte IPv4 header (TOS 0), checksum filled in; `fragment` as made by `ipv4Fragment`. */
export function putIpv4(b: Uint8Array, at: number, totalLength: number, id: number, fragment: number, ttl: number, proto: number, src: number, dst: number): number {
  b[at] = 0x45;
  b[at + 1] = 0;
  put16be(b, at + 2, totalLength);
  put16be(b, at + 4, id);
  put16be(b, at + 6, fragment);
  b[at + 8] = ttl;
  b[at + 9] = proto;
  put32be(b, at + 12, src);
  put32be(b, at + 16, dst);
  putIpv4Checksum(b, at, 20);
  return at + 20;
}

/** A UDP header (checksum 0: none; see `putL4Checksum`). */
export function putUdp(b: Uint8Array, at: number, sport: number, dport: number, length: number): number {
  put16be(b, at, sport);
  put16be(b, at + 2, dport);
  put16be(b, at + 4, length);
  put16be(b, at + 6, 0);
  return at + 8;
}

/** A 20-byte TCP header (checksum 0; see `putL4Checksum`). */
export function putTcp(b: Uint8Array, at: number, sport: number, dport: number, seq: number, ack: number, flags: number, window: number): number {
  put16be(b, at, sport);
  put16be(b, at + 2, dport);
  put32be(b, at + 4, seq);
  put32be(b, at + 8, ack);
  b[at + 12] = 5 << 4;
  b[at + 13] = flags;
  put16be(b, at + 14, window);
  put32be(b, at + 16, 0);
  return at + 20;
}

/**
 * Fills in the checksum of the UDP (proto 17) or TCP (6) segment b[at, at+len) over its
 * pseudo-header (RFC 768/793/8200); `addrSum` is the sum of the 16-bit words of both addresses.
 */
export function putL4Checksum(b: Uint8Array, at: number, len: number, proto: number, addrSum: number): void {
  const field = at + (proto === 17 ? 6 : 16);
  b[field] = b[field + 1] = 0;
  let c = checksum(sum16(b, at, at + len, addrSum + proto + (len >>> 16) + (len & 0xffff)));
  // A computed 0 is sent as ffff in UDP, where 0 means "no checksum".
  if (c === 0 && proto === 17) c = 0xffff;
  put16be(b, field, c);
}
