/**
 * The contract between the packet decoders (capture/ + net/) and the SIP layer (sip/).
 *
 * The decoder calls `onPayload` once per UDP datagram payload and once per in-order chunk of a
 * reassembled TCP stream direction. The `TransportPayload` object is REUSED between calls: copy what
 * you keep. Addresses are raw bytes (4 or 16) so that RTP and other non-SIP traffic costs no strings;
 * call `addrToString` only for what you keep.
 */
export interface TransportPayload {
  /** Packet time, ms since epoch (fraction = sub-ms). */
  ts: number;
  /** 1-based packet number in the file (for TCP: the packet that completed this chunk). */
  packet: number;
  proto: 'udp' | 'tcp';
  ipVersion: 4 | 6;
  srcAddr: Uint8Array;
  dstAddr: Uint8Array;
  srcPort: number;
  dstPort: number;
  /**
   * Payload bytes (a view, valid only during the call). For a UDP datagram the view is made on first
   * read: code that looks at every datagram (RTP is most of a media capture) reads `buf[start, end)`
   * instead and costs no allocation.
   */
  readonly data: Uint8Array;
  /** The bytes the payload lies in: `data` is `buf[start, end)` (valid only during the call). */
  readonly buf: Uint8Array;
  readonly start: number;
  readonly end: number;
  /** TCP: a stable key for this flow direction (src:port>dst:port); UDP: empty string. */
  flowKey: string;
  /** True when reached through HEP/IP-in-IP/GRE (for information). */
  tunneled: boolean;
  /**
   * Set by the handler before it returns 'malformed': the anomaly name the decoder counts for the
   * packet (default `sip-malformed`). The decoder clears it before each call and does all packet
   * accounting itself, so the handler never calls countAnomaly/countIgnored for packets.
   */
  anomaly?: string;
  /** Optional detail kept with the anomaly sample (set together with `anomaly`). */
  anomalyDetail?: string;
}

/**
 * The decoder's one reused `TransportPayload`. `at()` points it at bytes inside a packet (the `data`
 * view is made only if someone asks); `whole()` at a buffer of its own (reassembled TCP, HEP).
 */
export class ReusedPayload implements TransportPayload {
  ts = 0;
  packet = 0;
  proto: 'udp' | 'tcp' = 'udp';
  ipVersion: 4 | 6 = 4;
  srcAddr: Uint8Array;
  dstAddr: Uint8Array;
  srcPort = 0;
  dstPort = 0;
  flowKey = '';
  tunneled = false;
  anomaly: string | undefined = undefined;
  anomalyDetail: string | undefined = undefined;
  buf: Uint8Array;
  start = 0;
  end = 0;
  private view: Uint8Array | undefined;

  constructor(src: Uint8Array, dst: Uint8Array, empty: Uint8Array) {
    this.srcAddr = src;
    this.dstAddr = dst;
    this.buf = empty;
    this.view = empty;
  }

  get data(): Uint8Array {
    return (this.view ??= this.buf.subarray(this.start, this.end));
  }

  at(buf: Uint8Array, start: number, end: number): void {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.view = undefined;
  }

  whole(data: Uint8Array): void {
    this.buf = data;
    this.start = 0;
    this.end = data.length;
    this.view = data;
  }
}

/**
 * What the SIP layer says about a payload, so that every packet lands in exactly one bucket:
 * 'sip' (used), 'rtp' (ignored as media, counted per call when known), 'sip-tls' (ignored: a TLS stream
 * to or from port 5061, SIP over TLS, which cannot be read), 'tls' (ignored: TLS on other ports), 'ws-handshake' (ignored: the HTTP Upgrade that opens SIP
 * over WebSocket), 'other' (ignored as not SIP), or 'malformed' (looked like SIP but could not be read: the decoder counts it as an anomaly under
 * the name the handler put in `p.anomaly`). The decoder owns all per-packet accounting.
 */
export type PayloadVerdict = 'sip' | 'rtp' | 'sip-tls' | 'tls' | 'ws-handshake' | 'other' | 'malformed';

export interface PayloadHandler {
  onPayload(p: TransportPayload): PayloadVerdict;
  /** A TCP flow was closed (FIN/RST) or the capture ended: flush partial stream state. */
  onFlowEnd?(flowKey: string): void;
}

export function addrToString(a: Uint8Array): string {
  if (a.length === 4) return `${a[0]}.${a[1]}.${a[2]}.${a[3]}`;
  // RFC 5952 text form: lower-case hex, longest run of zero groups compressed.
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((a[i]! << 8) | a[i + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/** Parses a textual IPv4 or IPv6 address into 4 or 16 bytes (the inverse of addrToString), or undefined. */
export function parseAddr(s: string): Uint8Array | undefined {
  if (s.includes(':')) return parseIpv6(s);
  // Dotted quad: four groups of 1–3 ASCII digits, each ≤ 255 (a byte loop, no split or regex).
  const out = new Uint8Array(4);
  let part = 0;
  let digits = 0;
  let v = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c >= 48 && c <= 57) {
      if (++digits > 3) return undefined;
      v = v * 10 + (c - 48);
    } else if (c === 46) {
      if (digits === 0 || v > 255 || part > 3) return undefined;
      out[part++] = v;
      digits = 0;
      v = 0;
    } else return undefined;
  }
  return part === 4 ? out : undefined;
}

function parseIpv6(s: string): Uint8Array | undefined {
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const dbl = s.indexOf('::');
  if (dbl !== s.lastIndexOf('::')) return undefined;
  const head = dbl >= 0 ? s.slice(0, dbl) : s;
  const tail = dbl >= 0 ? s.slice(dbl + 2) : '';
  const groups = (x: string): number[] | undefined => {
    if (x === '') return [];
    const out: number[] = [];
    const parts = x.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseAddr(p);
        if (!v4 || v4.length !== 4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const h = groups(head);
  const t = groups(dbl >= 0 ? tail : '');
  if (!h || !t) return undefined;
  let all: number[];
  if (dbl >= 0) {
    if (h.length + t.length > 7) return undefined;
    all = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  } else {
    if (h.length !== 8) return undefined;
    all = h;
  }
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[i * 2] = all[i]! >> 8;
    out[i * 2 + 1] = all[i]! & 0xff;
  }
  return out;
}
