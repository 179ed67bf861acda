import { addrToString, type PayloadHandler, type PayloadVerdict, type TransportPayload } from '../../src/net/payload.js';

/** What a test handler saw in one delivery (copied: the decoder reuses its payload object). */
export interface Seen {
  ts: number;
  packet: number;
  proto: 'udp' | 'tcp';
  ipVersion: 4 | 6;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  text: string;
  flowKey: string;
  tunneled: boolean;
}

/** A SIP start: `SIP/2.0 ` (response) or `METHOD sip:` (request). Enough for a test stand-in. */
export function startsLikeSip(d: Uint8Array): boolean {
  return /^(?:[A-Z]{3,10} sips?:|SIP\/2\.0 )/.test(Buffer.from(d.buffer, d.byteOffset, Math.min(d.length, 16)).toString('latin1'));
}

/**
 * A small stand-in for the SIP layer: a payload that starts like SIP is 'sip', a TCP flow that once
 * started like SIP stays 'sip' until it ends, RTP-looking UDP is 'rtp', the rest 'other'.
 */
export class RecordingHandler implements PayloadHandler {
  seen: Seen[] = [];
  ended: string[] = [];
  sipFlows = new Set<string>();
  keep: boolean;

  constructor(keep = true) {
    this.keep = keep;
  }

  onPayload(p: TransportPayload): PayloadVerdict {
    if (this.keep) {
      this.seen.push({
        ts: p.ts, packet: p.packet, proto: p.proto, ipVersion: p.ipVersion, src: addrToString(p.srcAddr), dst: addrToString(p.dstAddr),
        srcPort: p.srcPort, dstPort: p.dstPort, text: Buffer.from(p.data).toString('latin1'), flowKey: p.flowKey, tunneled: p.tunneled,
      });
    }
    if (p.proto === 'tcp' && this.sipFlows.has(p.flowKey)) return 'sip';
    if (startsLikeSip(p.data)) {
      if (p.proto === 'tcp') this.sipFlows.add(p.flowKey);
      return 'sip';
    }
    if (p.proto === 'udp' && p.data.length >= 12 && (p.data[0]! & 0xc0) === 0x80) return 'rtp';
    return 'other';
  }

  onFlowEnd(flowKey: string): void {
    this.ended.push(flowKey);
    this.sipFlows.delete(flowKey);
  }
}

/** Feeds `data` in chunks of `size` bytes (0 = all at once). */
export function feed(d: { push(c: Uint8Array): void; end(): void }, data: Uint8Array, size = 0): void {
  if (size <= 0) d.push(data);
  else for (let i = 0; i < data.length; i += size) d.push(data.subarray(i, Math.min(i + size, data.length)));
  d.end();
}
