/**
 * Generator of captures whose outcome is known: SIP scenarios from scenario.ts turned into packets
 * (UDP, UDP with IPv4 fragments, TCP segments with several messages per segment and messages across
 * segments, HEP3), plus G.711 RTP for answered calls, on any link type, as pcap or pcapng.
 *
 * `node --experimental-strip-types`-free: run through vitest (`test/sip/fixtures.test.ts` regenerates
 * fixtures/sip/*.pcap when SIPSCOPE_WRITE_FIXTURES=1).
 */
import * as w from '../../src/capture/writer.js';
import { LinkType } from '../../src/net/linktypes.js';
import { Call, sdp, type Ep, type Wire } from './scenario.js';

export type Carriage = 'udp' | 'udp-frag' | 'tcp' | 'hep';

export interface GenCall {
  wire: Wire[];
  carriage: Carriage;
  /** RTP to generate after the 200 OK (ms of audio per direction), with what the callee sends. */
  rtp?: { ms: number; calleeAudio: 'noise' | 'ringback'; callerMedia: Ep; calleeMedia: Ep; answerAt: number };
}

export interface Packet {
  ts: number;
  data: Uint8Array;
}

/** ITU-T G.711 μ-law encoder. */
function ulaw(sample: number): number {
  let s = Math.max(-32635, Math.min(32635, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s += 0x84;
  let exp = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exp > 0; mask >>= 1) exp--;
  return ~(sign | (exp << 4) | ((s >> (exp + 3)) & 0x0f)) & 0xff;
}

function rtpPacket(seq: number, ts: number, ssrc: number, audio: (i: number) => number, first: number): Uint8Array {
  const p = new Uint8Array(12 + 160);
  p[0] = 0x80;
  p[1] = 0; // PCMU
  p[2] = (seq >> 8) & 0xff;
  p[3] = seq & 0xff;
  new DataView(p.buffer).setUint32(4, ts >>> 0);
  new DataView(p.buffer).setUint32(8, ssrc >>> 0);
  for (let i = 0; i < 160; i++) p[12 + i] = ulaw(audio(first + i));
  return p;
}

/** Deterministic pseudo-random numbers (tests must not depend on Math.random). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return ((s >>> 8) / 0x800000) * 2 - 1;
  };
}

export interface GenOptions {
  linktype?: number;
  /** Fragment UDP datagrams bigger than this (bytes of IP payload per fragment). */
  fragmentAt?: number;
  /** TCP: bytes per segment (messages are cut and coalesced to this size). */
  tcpSegment?: number;
}

/** Turns calls into link-layer frames with timestamps, in time order. */
export function packets(calls: GenCall[], o: GenOptions = {}): Packet[] {
  const lt = o.linktype ?? LinkType.ETHERNET;
  const out: Packet[] = [];
  const ip = (ipPacket: Uint8Array): Uint8Array => w.frame(lt, ipPacket);
  let ipId = 1;
  const seqs = new Map<string, number>();
  for (const c of calls) {
    // TCP: coalesce messages of one direction that follow each other, then cut into segments.
    if (c.carriage === 'tcp') {
      const runs: Array<{ ts: number; from: Ep; to: Ep; bytes: Buffer }> = [];
      for (const m of c.wire) {
        const last = runs[runs.length - 1];
        const b = Buffer.from(m.text);
        if (last && last.from === m.from && last.to === m.to && m.ts - last.ts < 5) last.bytes = Buffer.concat([last.bytes, b]);
        else runs.push({ ts: m.ts, from: m.from, to: m.to, bytes: b });
      }
      const segSize = o.tcpSegment ?? 400;
      for (const r of runs) {
        const key = `${r.from.addr}:${r.from.port}>${r.to.addr}:${r.to.port}`;
        const back = `${r.to.addr}:${r.to.port}>${r.from.addr}:${r.from.port}`;
        if (!seqs.has(key)) {
          // Three-way handshake opened by the first sender.
          const a = 1000;
          const b = 500_000;
          out.push({ ts: r.ts - 2, data: ip(w.tcpPacket({ src: r.from.addr, dst: r.to.addr, sport: r.from.port, dport: r.to.port, seq: a - 1, flags: w.TcpFlag.SYN })) });
          out.push({ ts: r.ts - 1.5, data: ip(w.tcpPacket({ src: r.to.addr, dst: r.from.addr, sport: r.to.port, dport: r.from.port, seq: b - 1, ack: a, flags: w.TcpFlag.SYN | w.TcpFlag.ACK })) });
          out.push({ ts: r.ts - 1, data: ip(w.tcpPacket({ src: r.from.addr, dst: r.to.addr, sport: r.from.port, dport: r.to.port, seq: a, ack: b, flags: w.TcpFlag.ACK })) });
          seqs.set(key, a);
          seqs.set(back, b);
        }
        let seq = seqs.get(key)!;
        for (let off = 0; off < r.bytes.length; off += segSize) {
          const payload = r.bytes.subarray(off, Math.min(r.bytes.length, off + segSize));
          out.push({ ts: r.ts + off / 1e6, data: ip(w.tcpPacket({ src: r.from.addr, dst: r.to.addr, sport: r.from.port, dport: r.to.port, seq, ack: seqs.get(back), payload })) });
          seq += payload.length;
        }
        seqs.set(key, seq);
      }
    } else {
      for (const m of c.wire) {
        if (c.carriage === 'hep') {
          const hep = w.hep3({ src: m.from.addr, dst: m.to.addr, sport: m.from.port, dport: m.to.port, ts: m.ts, payload: m.text });
          out.push({ ts: m.ts, data: ip(w.udpPacket({ src: '192.0.2.250', dst: '192.0.2.251', sport: 40000, dport: 9060, payload: hep })) });
          continue;
        }
        const pkt = w.udpPacket({ src: m.from.addr, dst: m.to.addr, sport: m.from.port, dport: m.to.port, payload: m.text, id: ipId++ });
        if (c.carriage === 'udp-frag' && !m.from.addr.includes(':') && pkt.length - 20 > (o.fragmentAt ?? 600)) {
          for (const f of w.fragmentIpv4(pkt, o.fragmentAt ?? 600, ipId)) out.push({ ts: m.ts, data: ip(f) });
        } else {
          out.push({ ts: m.ts, data: ip(pkt) });
        }
      }
    }
    if (c.rtp) {
      const r = c.rtp;
      const rnd = lcg(r.answerAt);
      const tone = (i: number): number => {
        const t = i / 8000;
        return (t % 4) < 1 ? 6000 * Math.sin(2 * Math.PI * 425 * t) : 0; // 425 Hz, 1 s on / 3 s off
      };
      const calleeAudio = r.calleeAudio === 'ringback' ? tone : (): number => 5000 * rnd();
      const n = Math.floor(r.ms / 20);
      for (let k = 0; k < n; k++) {
        const ts = r.answerAt + 30 + k * 20;
        out.push({ ts, data: ip(w.udpPacket({ src: r.calleeMedia.addr, dst: r.callerMedia.addr, sport: r.calleeMedia.port, dport: r.callerMedia.port, payload: rtpPacket(k, k * 160, 0xbeef, calleeAudio, k * 160), id: ipId++ })) });
        out.push({ ts: ts + 5, data: ip(w.udpPacket({ src: r.callerMedia.addr, dst: r.calleeMedia.addr, sport: r.callerMedia.port, dport: r.calleeMedia.port, payload: rtpPacket(k, k * 160, 0xcafe, () => 3000 * rnd(), k * 160), id: ipId++ })) });
      }
    }
  }
  return out.sort((a, b) => a.ts - b.ts);
}

export const VENDOR_A: Ep = { addr: '10.1.1.1', port: 5060 };
export const VENDOR_B: Ep = { addr: '10.2.2.2', port: 5060 };
export const VENDOR_V6: Ep = { addr: '2001:db8::20', port: 5060 };
export const SBC: Ep = { addr: '10.0.0.5', port: 5060 };
export const SBC_V6: Ep = { addr: '2001:db8::5', port: 5060 };
export const SBC_TCP: Ep = { addr: '10.0.0.5', port: 40123 };

/** What the generated day must give per route: attempts, answered, final codes (0 = none). */
export interface Expected {
  attempts: number;
  answered: number;
  codes: Record<string, number>;
}

/**
 * A day of calls on three routes. Every outcome is known: see `EXPECTED`.
 * Times are ms from T0; each call starts 20 s after the previous one.
 */
export function carrierDay(): GenCall[] {
  const calls: GenCall[] = [];
  let t = 0;
  const next = (): number => (t += 20_000);
  const mediaA = (i: number): Ep => ({ addr: SBC.addr, port: 20000 + i * 2 });
  const mediaV = (i: number): Ep => ({ addr: VENDOR_A.addr, port: 30000 + i * 2 });

  // VendorA: answered with speech, answered but playing ringback (FAS), busy, cancelled, 407 → answered.
  for (const audio of ['noise', 'ringback'] as const) {
    const s = next();
    const i = calls.length;
    const c = new Call(`gen-ans-${audio}`, SBC, VENDOR_A, '74951110000', '4930123456');
    c.invite(s, { sdp: sdp(SBC.addr, mediaA(i).port) }).resp(s + 30, 100, 'Trying').resp(s + 900, 180, 'Ringing')
      .resp(s + 6000, 200, 'OK', { sdp: sdp(VENDOR_A.addr, mediaV(i).port) }).ack(s + 6020).bye(s + 9100, false).byeOk(s + 9120, false);
    calls.push({ wire: c.wire, carriage: 'udp', rtp: { ms: 3000, calleeAudio: audio, callerMedia: mediaA(i), calleeMedia: mediaV(i), answerAt: c.wire[3]!.ts } });
  }
  {
    const s = next();
    calls.push({ wire: new Call('gen-busy', SBC, VENDOR_A).invite(s).resp(s + 20, 100, 'Trying')
      .resp(s + 700, 486, 'Busy Here', { headers: 'Reason: Q.850;cause=17\r\n' }).ack(s + 710, { branch: 'z9hG4bK-inv1' }).wire, carriage: 'udp' });
  }
  {
    const s = next();
    calls.push({ wire: new Call('gen-cancel', SBC, VENDOR_A).invite(s).resp(s + 500, 180, 'Ringing').cancel(s + 12000)
      .resp(s + 12010, 200, 'OK', { method: 'CANCEL' }).resp(s + 12020, 487, 'Request Terminated').ack(s + 12030, { branch: 'z9hG4bK-inv1' }).wire, carriage: 'udp' });
  }
  {
    const s = next();
    calls.push({ wire: new Call('gen-auth', SBC, VENDOR_A)
      .invite(s, { cseq: 1, branch: 'z9hG4bK-g1' }).resp(s + 10, 407, 'Proxy Authentication Required', { cseq: 1, branch: 'z9hG4bK-g1', toTag: 'c' })
      .ack(s + 12, { cseq: 1, branch: 'z9hG4bK-g1', toTag: 'c' }).invite(s + 30, { cseq: 2, branch: 'z9hG4bK-g2', auth: true })
      .resp(s + 2000, 200, 'OK', { cseq: 2, branch: 'z9hG4bK-g2' }).ack(s + 2010, { cseq: 2 }).bye(s + 62000, true, { cseq: 1 }).byeOk(s + 62010, true, { cseq: 1 }).wire, carriage: 'udp' });
  }
  // VendorB: 503, 404 with retransmitted INVITEs, answered over TCP, answered with a fragmented INVITE.
  {
    const s = next();
    calls.push({ wire: new Call('gen-503', SBC, VENDOR_B).invite(s).resp(s + 40, 503, 'Service Unavailable', { headers: 'Retry-After: 30\r\n' })
      .ack(s + 45, { branch: 'z9hG4bK-inv1' }).wire, carriage: 'udp' });
  }
  {
    const s = next();
    calls.push({ wire: new Call('gen-404', SBC, VENDOR_B).invite(s).invite(s + 500).invite(s + 1500).resp(s + 1600, 404, 'Not Found')
      .resp(s + 2100, 404, 'Not Found').ack(s + 2110, { branch: 'z9hG4bK-inv1' }).wire, carriage: 'udp' });
  }
  {
    const s = next();
    calls.push({ wire: new Call('gen-tcp', SBC_TCP, { addr: VENDOR_B.addr, port: 5060 }).invite(s, { sdp: sdp(SBC.addr, 24000) })
      .resp(s + 1, 100, 'Trying').resp(s + 2, 180, 'Ringing').resp(s + 4000, 200, 'OK', { sdp: sdp(VENDOR_B.addr, 34000) })
      .ack(s + 4010).bye(s + 9000, true).byeOk(s + 9010, true).wire, carriage: 'tcp' });
  }
  {
    const s = next();
    const big = sdp(SBC.addr, 26000) + 'a=x-padding:' + 'p'.repeat(1800) + '\r\n';
    calls.push({ wire: new Call('gen-frag', SBC, VENDOR_B).invite(s, { sdp: big }).resp(s + 300, 183, 'Session Progress', { sdp: sdp(VENDOR_B.addr, 36000) })
      .resp(s + 3000, 200, 'OK', { sdp: sdp(VENDOR_B.addr, 36000) }).ack(s + 3010).bye(s + 33000, false).byeOk(s + 33010, false).wire, carriage: 'udp-frag' });
  }
  // IPv6 vendor: 480.
  {
    const s = next();
    calls.push({ wire: new Call('gen-v6', SBC_V6, VENDOR_V6).invite(s).resp(s + 100, 480, 'Temporarily Unavailable')
      .ack(s + 110, { branch: 'z9hG4bK-inv1' }).wire, carriage: 'udp' });
  }
  return calls;
}

/** An answered call seen only through HEP3 (kept apart: tshark does not decode HEP by default). */
export function hepCall(): GenCall[] {
  const s = 1000;
  return [{ wire: new Call('gen-hep', SBC_V6, VENDOR_V6).invite(s).resp(s + 200, 180, 'Ringing').resp(s + 5200, 200, 'OK')
    .ack(s + 5210).bye(s + 15200, true).byeOk(s + 15210, true).wire, carriage: 'hep' }];
}

export const EXPECTED: Record<string, Expected> = {
  [VENDOR_A.addr]: { attempts: 5, answered: 3, codes: { '200': 3, '486': 1, '487': 1 } },
  [VENDOR_B.addr]: { attempts: 4, answered: 2, codes: { '200': 2, '404': 1, '503': 1 } },
  [VENDOR_V6.addr]: { attempts: 1, answered: 0, codes: { '480': 1 } },
};

/** Wire counts of the generated day (every message, retransmissions included). */
export const EXPECTED_WIRE = {
  responses: { '100': 4, '180': 4, '183': 1, '200': 11, '404': 2, '407': 1, '480': 1, '486': 1, '487': 1, '503': 1 },
  requests: { ACK: 11, BYE: 5, CANCEL: 1, INVITE: 13 },
};
