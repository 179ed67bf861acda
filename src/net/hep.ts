/**
 * HEP (Homer Encapsulation Protocol) v1/v2 and v3, recognised by content inside UDP payloads.
 *
 * v3: "HEP3", total length (u16 BE), then chunks {vendor u16, type u16, length u16 incl. the 6-byte
 * chunk header, value}; generic chunks (vendor 0) used here: 1 family, 2 protocol, 3/4 IPv4
 * src/dst, 5/6 IPv6 src/dst, 7/8 ports, 9/10 time s/µs, 11 payload type (1 = SIP), 15 payload,
 * 16 gzip-compressed payload.
 * v1/v2: version, header length, family (2 = IPv4, 10 = IPv6), protocol, ports (BE), addresses;
 * v2 then adds time s/µs as the sender's host-order C struct (little-endian on every agent seen).
 */
import { u16be, u32be, u32le } from './bytes.js';

export interface HepInfo {
  version: number;
  ipVersion: 4 | 6;
  /** IP protocol of the original packet (17 UDP, 6 TCP, ...). */
  proto: number;
  sport: number;
  dport: number;
  /** Addresses are copied into these (4 bytes used for IPv4). */
  src4: Uint8Array;
  dst4: Uint8Array;
  src6: Uint8Array;
  dst6: Uint8Array;
  hasTime: boolean;
  tsSec: number;
  tsUsec: number;
  /** HEP payload type; -1 when the packet has none (v1/v2 carry SIP only). */
  payloadType: number;
  payloadStart: number;
  payloadEnd: number;
  compressed: boolean;
}

export function newHepInfo(): HepInfo {
  return {
    version: 0, ipVersion: 4, proto: 0, sport: 0, dport: 0,
    src4: new Uint8Array(4), dst4: new Uint8Array(4), src6: new Uint8Array(16), dst6: new Uint8Array(16),
    hasTime: false, tsSec: 0, tsUsec: 0, payloadType: -1, payloadStart: 0, payloadEnd: 0, compressed: false,
  };
}

/** Is `buf[o, end)` a HEP packet (v3 magic, or a v1/v2 header whose fields all fit)? Returns the version or 0. */
export function hepVersion(buf: Uint8Array, o: number, end: number): number {
  const n = end - o;
  if (n < 6) return 0;
  const b0 = buf[o]!;
  if (b0 === 0x48) return buf[o + 1] === 0x45 && buf[o + 2] === 0x50 && buf[o + 3] === 0x33 ? 3 : 0;
  if (b0 !== 1 && b0 !== 2) return 0;
  const hl = buf[o + 1]!;
  const fam = buf[o + 2]!;
  const proto = buf[o + 3]!;
  if (proto !== 17 && proto !== 6 && proto !== 132) return 0;
  const want = (fam === 2 ? 16 : fam === 10 ? 40 : -1000) + (b0 === 2 ? 12 : 0);
  if (hl !== want || n <= hl) return 0;
  return b0;
}

/** Parses a HEP packet into `h`. Returns '' when good, or an anomaly detail. */
export function parseHep(buf: Uint8Array, o: number, end: number, version: number, h: HepInfo): string {
  h.version = version;
  h.hasTime = false;
  h.payloadType = -1;
  h.compressed = false;
  h.payloadStart = h.payloadEnd = 0;
  if (version !== 3) {
    const hl = buf[o + 1]!;
    h.ipVersion = buf[o + 2] === 2 ? 4 : 6;
    h.proto = buf[o + 3]!;
    h.sport = u16be(buf, o + 4);
    h.dport = u16be(buf, o + 6);
    const alen = h.ipVersion === 4 ? 4 : 16;
    const s = h.ipVersion === 4 ? h.src4 : h.src6;
    const d = h.ipVersion === 4 ? h.dst4 : h.dst6;
    for (let i = 0; i < alen; i++) {
      s[i] = buf[o + 8 + i]!;
      d[i] = buf[o + 8 + alen + i]!;
    }
    if (version === 2) {
      const t = o + 8 + 2 * alen;
      h.tsSec = u32le(buf, t);
      h.tsUsec = u32le(buf, t + 4);
      h.hasTime = true;
    }
    h.payloadStart = o + hl;
    h.payloadEnd = end;
    return '';
  }
  const total = u16be(buf, o + 4);
  if (total < 6 || o + total > end) return `HEP3 length ${total} beyond ${end - o} bytes`;
  const stop = o + total;
  let p = o + 6;
  let fam = 0;
  let have = 0;
  while (p < stop) {
    if (stop - p < 6) return 'HEP3 chunk header cut';
    const vendor = u16be(buf, p);
    const type = u16be(buf, p + 2);
    const len = u16be(buf, p + 4);
    if (len < 6 || p + len > stop) return `HEP3 chunk ${type} length ${len}`;
    const v = p + 6;
    const vl = len - 6;
    if (vendor === 0) {
      switch (type) {
        case 1: if (vl >= 1) fam = buf[v]!; break;
        case 2: if (vl >= 1) h.proto = buf[v]!; break;
        case 3: if (vl === 4) { h.src4.set(buf.subarray(v, v + 4)); have |= 1; } break;
        case 4: if (vl === 4) { h.dst4.set(buf.subarray(v, v + 4)); have |= 2; } break;
        case 5: if (vl === 16) { h.src6.set(buf.subarray(v, v + 16)); have |= 4; } break;
        case 6: if (vl === 16) { h.dst6.set(buf.subarray(v, v + 16)); have |= 8; } break;
        case 7: if (vl === 2) h.sport = u16be(buf, v); break;
        case 8: if (vl === 2) h.dport = u16be(buf, v); break;
        case 9: if (vl === 4) { h.tsSec = u32be(buf, v); h.hasTime = true; } break;
        case 10: if (vl === 4) h.tsUsec = u32be(buf, v); break;
        case 11: if (vl >= 1) h.payloadType = buf[v]!; break;
        case 15: h.payloadStart = v; h.payloadEnd = v + vl; h.compressed = false; break;
        case 16: h.payloadStart = v; h.payloadEnd = v + vl; h.compressed = true; break;
        default: break;
      }
    }
    p += len;
  }
  if (fam === 10 || (fam !== 2 && (have & 12) === 12)) {
    if ((have & 12) !== 12) return 'HEP3 IPv6 addresses missing';
    h.ipVersion = 6;
  } else {
    if ((have & 3) !== 3) return 'HEP3 IPv4 addresses missing';
    h.ipVersion = 4;
  }
  if (h.payloadEnd === 0) return 'HEP3 without payload chunk';
  return '';
}
