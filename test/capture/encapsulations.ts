/**
 * Builds fixtures/capture/encapsulations.pcapng: one call per encapsulation, with a known outcome,
 * so that the whole pipeline can be checked on tunnels, fragments and TCP (see the truth file).
 */
import * as w from '../../src/capture/writer.js';
import { LinkType } from '../../src/net/linktypes.js';

export const ENCAP_T0 = Date.UTC(2024, 2, 5, 10, 0, 0);

export interface EncapCall {
  callId: string;
  encapsulation: string;
  caller: string;
  callee: string;
  finalCode: number;
  answered: boolean;
}

interface Leg {
  src: string;
  dst: string;
  sport: number;
  dport: number;
}

function msg(start: string, call: string, leg: Leg, cseq: string, toTag: string, body = ''): string {
  const lines = [
    start,
    `Via: SIP/2.0/UDP ${leg.src.includes(':') ? `[${leg.src}]` : leg.src}:${leg.sport};branch=z9hG4bK-${call}-${cseq.replace(' ', '')}`,
    `From: <sip:alice@${leg.src.includes(':') ? `[${leg.src}]` : leg.src}>;tag=a-${call}`,
    `To: <sip:bob@example.net>${toTag ? `;tag=${toTag}` : ''}`,
    `Call-ID: ${call}@sipscope.test`,
    `CSeq: ${cseq}`,
    'Max-Forwards: 70',
    body ? 'Content-Type: application/sdp' : '',
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].filter((l, i, a) => l !== '' || i >= a.length - 2);
  return lines.join('\r\n');
}

function sdp(addr: string, pad: number): string {
  const v = addr.includes(':') ? 'IP6' : 'IP4';
  const attrs = Array.from({ length: pad }, (_, i) => `a=x-pad${i}:${'0123456789abcdef'.repeat(4)}`).join('\r\n');
  return `v=0\r\no=- 1 1 IN ${v} ${addr}\r\ns=-\r\nc=IN ${v} ${addr}\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\n${attrs}\r\n`;
}

/** The messages of one call, caller → callee and back, ending with `final`. */
function dialog(call: string, a: Leg, final: number): { dir: 'out' | 'in'; text: string }[] {
  const back: Leg = { src: a.dst, dst: a.src, sport: a.dport, dport: a.sport };
  const ruri = `sip:bob@${a.dst.includes(':') ? `[${a.dst}]` : a.dst}`;
  const tag = `b-${call}`;
  const out: { dir: 'out' | 'in'; text: string }[] = [
    { dir: 'out', text: msg(`INVITE ${ruri} SIP/2.0`, call, a, '1 INVITE', '', sdp(a.src, 30)) },
    { dir: 'in', text: msg('SIP/2.0 100 Trying', call, a, '1 INVITE', '') },
    { dir: 'in', text: msg('SIP/2.0 180 Ringing', call, a, '1 INVITE', tag) },
  ];
  const reason = final === 200 ? 'OK' : final === 486 ? 'Busy Here' : final === 503 ? 'Service Unavailable' : 'Not Found';
  out.push({ dir: 'in', text: msg(`SIP/2.0 ${final} ${reason}`, call, a, '1 INVITE', tag, final === 200 ? sdp(a.dst, 0) : '') });
  out.push({ dir: 'out', text: msg(`ACK ${ruri} SIP/2.0`, call, a, '1 ACK', tag) });
  if (final === 200) {
    out.push({ dir: 'out', text: msg(`BYE ${ruri} SIP/2.0`, call, a, '2 BYE', tag) });
    out.push({ dir: 'in', text: msg('SIP/2.0 200 OK', call, back, '2 BYE', tag) });
  }
  return out;
}

export interface EncapFixture {
  bytes: Uint8Array;
  calls: EncapCall[];
  /** Every SIP message as the decoder must hand it on: call, text, src, dst, tunneled. */
  messages: { callId: string; text: string; src: string; dst: string; tunneled: boolean }[];
  packets: number;
}

export function buildEncapsulations(): EncapFixture {
  const calls: EncapCall[] = [];
  const messages: EncapFixture['messages'] = [];
  const eth: w.PcapngPacket[] = [];
  const raw: w.PcapngPacket[] = [];
  let t = ENCAP_T0;
  const tick = () => (t += 250);
  const add = (list: w.PcapngPacket[], data: Uint8Array, iface: number) => list.push({ ts: tick(), data, iface });

  const plan: { call: string; enc: string; leg: Leg; final: number }[] = [
    { call: 'plain', enc: 'ethernet/ipv4/udp', leg: { src: '192.0.2.1', dst: '203.0.113.10', sport: 5060, dport: 5060 }, final: 200 },
    { call: 'qinq6frag', enc: 'qinq/ipv6 fragments/udp', leg: { src: '2001:db8::1', dst: '2001:db8:10::10', sport: 5060, dport: 5060 }, final: 486 },
    { call: 'grefrag', enc: 'gre/ipv4 fragments/udp', leg: { src: '192.0.2.2', dst: '198.51.100.20', sport: 5062, dport: 5060 }, final: 200 },
    { call: 'ipiptcp', enc: 'ip-in-ip/tcp', leg: { src: '192.0.2.3', dst: '198.51.100.20', sport: 40001, dport: 5060 }, final: 503 },
    { call: 'hep3gz', enc: 'hep3 compressed', leg: { src: '192.0.2.4', dst: '203.0.113.10', sport: 5060, dport: 5060 }, final: 200 },
    { call: 'hep2', enc: 'hep2', leg: { src: '192.0.2.5', dst: '198.51.100.20', sport: 5060, dport: 5060 }, final: 404 },
    { call: 'sll6', enc: 'raw ipv6/udp (second interface, ns)', leg: { src: '2001:db8::5', dst: '2001:db8:10::10', sport: 5060, dport: 5070 }, final: 200 },
  ];
  let ipId = 100;
  const seqs = new Map<string, number>();
  for (const p of plan) {
    const answered = p.final === 200;
    calls.push({ callId: `${p.call}@sipscope.test`, encapsulation: p.enc, caller: p.leg.src, callee: p.leg.dst, finalCode: p.final, answered });
    for (const m of dialog(p.call, p.leg, p.final)) {
      const leg = m.dir === 'out' ? p.leg : { src: p.leg.dst, dst: p.leg.src, sport: p.leg.dport, dport: p.leg.sport };
      const tunneled = !['plain', 'qinq6frag', 'sll6'].includes(p.call);
      messages.push({ callId: `${p.call}@sipscope.test`, text: m.text, src: leg.src, dst: leg.dst, tunneled });
      const ip = () => w.udpPacket({ ...leg, payload: m.text, id: ipId++ });
      switch (p.call) {
        case 'plain':
          add(eth, w.ethernet(ip()), 0);
          break;
        case 'qinq6frag': {
          const frags = w.fragmentIpv6(ip(), 1200, ipId++);
          for (const f of frags.length > 1 ? [...frags].reverse() : frags) add(eth, w.ethernet(f, { vlans: [100, 200] }), 0);
          break;
        }
        case 'grefrag': {
          const frags = w.fragmentIpv4(ip(), 1000);
          const order = frags.length > 2 ? [frags[1]!, frags[0]!, ...frags.slice(2)] : frags;
          for (const f of order) add(eth, w.ethernet(w.ipv4({ src: '10.255.0.1', dst: '10.255.0.2', proto: 47, payload: w.gre(f, { key: 42 }) })), 0);
          break;
        }
        case 'ipiptcp': {
          const key = `${leg.src}>${leg.dst}`;
          let seq = seqs.get(key) ?? 1000;
          const text = new TextEncoder().encode(m.text);
          const wrap = (payload: Uint8Array) => w.ethernet(w.ipv4({ src: '10.254.0.1', dst: '10.254.0.2', proto: 4, payload }));
          const seg = (s: number, d: Uint8Array) => wrap(w.tcpPacket({ ...leg, seq: s, payload: d }));
          if (text.length > 300) {
            // Split in three, the third before the second, then the first retransmitted.
            const a = text.subarray(0, 200);
            const b = text.subarray(200, 400);
            const c = text.subarray(400);
            add(eth, seg(seq, a), 0);
            add(eth, seg(seq + 400, c), 0);
            add(eth, seg(seq + 200, b), 0);
            add(eth, seg(seq, a), 0);
          } else add(eth, seg(seq, text), 0);
          seq += text.length;
          seqs.set(key, seq);
          break;
        }
        case 'hep3gz':
        case 'hep2': {
          const hep = p.call === 'hep3gz' ? w.hep3({ ...leg, ts: t + 100, payload: m.text, compress: true }) : w.hep2({ ...leg, ts: t + 100, payload: m.text });
          add(eth, w.ethernet(w.udpPacket({ src: '10.253.0.1', dst: '10.253.0.2', sport: 9060, dport: 9060, payload: hep })), 0);
          break;
        }
        default:
          add(raw, ip(), 1);
      }
    }
  }
  // Noise every decoder must count and pass over: ARP, RTP, ICMP.
  add(eth, w.ethernet(new Uint8Array(28), { type: 0x0806 }), 0);
  const rtp = new Uint8Array(172);
  rtp[0] = 0x80;
  add(eth, w.ethernet(w.udpPacket({ src: '192.0.2.1', dst: '203.0.113.10', sport: 40000, dport: 40002, payload: rtp })), 0);
  add(eth, w.ethernet(w.ipv4({ src: '192.0.2.1', dst: '203.0.113.10', proto: 1, payload: new Uint8Array(8) })), 0);

  const all = [...eth, ...raw].sort((x, y) => x.ts - y.ts);
  const bytes = w.writePcapng([
    { interfaces: [{ linktype: LinkType.ETHERNET, name: 'eth0' }, { linktype: LinkType.RAW, tsresol: 9, name: 'tun0' }], packets: all },
  ]);
  return { bytes, calls, messages, packets: all.length };
}
