import { describe, expect, it } from 'vitest';
import { createCaptureDecoder } from '../../src/capture/decoder.js';
import * as w from '../../src/capture/writer.js';
import { LinkType } from '../../src/net/linktypes.js';
import { TCP_MAX_PARKED_SEGMENTS } from '../../src/net/tcp.js';
import { newAccounting } from '../../src/types.js';
import { feed, RecordingHandler } from './helpers.js';
import { Prng } from '../../src/gen/prng.js';

const T0 = 1_700_000_000_000;

function sample(): Uint8Array[] {
  const sip = 'INVITE sip:1@192.0.2.2 SIP/2.0\r\nContent-Length: 0\r\n\r\n';
  const v4 = w.udpPacket({ src: '192.0.2.1', dst: '192.0.2.2', sport: 5060, dport: 5060, payload: sip });
  const v6 = w.udpPacket({ src: '2001:db8::1', dst: '2001:db8::2', sport: 5060, dport: 5060, payload: sip });
  return [
    w.ethernet(v4, { vlans: [3, 4] }),
    w.ethernet(v6),
    ...w.fragmentIpv4(w.udpPacket({ src: '192.0.2.1', dst: '192.0.2.2', sport: 5060, dport: 5060, payload: sip + 'x'.repeat(900), id: 5 }), 256).map((f) => w.ethernet(f)),
    ...w.fragmentIpv6(v6, 32, 77).map((f) => w.ethernet(f)),
    w.ethernet(w.ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 47, payload: w.gre(w.ppp(v4), { proto: 0x880b, key: 1 }) })),
    w.ethernet(w.udpPacket({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 9060, payload: w.hep3({ src: '1.1.1.1', dst: '2.2.2.2', sport: 1, dport: 2, ts: T0, payload: sip, compress: true }) })),
    w.ethernet(w.udpPacket({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 9060, payload: w.hep2({ src: '1.1.1.1', dst: '2.2.2.2', sport: 1, dport: 2, ts: T0, payload: sip }) })),
    w.ethernet(w.tcpPacket({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 5060, seq: 10, payload: sip })),
    w.ethernet(w.tcpPacket({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 5060, seq: 500, payload: sip })),
    w.ethernet(w.pppoe(v4), { type: 0x8864 }),
  ];
}

describe('robustness', () => {
  it('mutated captures never throw and every packet is counted once', () => {
    const frames = sample();
    const base = [
      w.writePcap(frames.map((data, i) => ({ ts: T0 + i, data }))),
      w.writePcapng([{ interfaces: [{ linktype: LinkType.ETHERNET }], packets: frames.map((data, i) => ({ ts: T0 + i, data })) }]),
    ];
    const g = new Prng(20240305); // replayable
    const rnd = (): number => g.next();
    for (let round = 0; round < 300; round++) {
      const src = base[round % 2]!;
      const bytes = src.slice();
      const flips = 1 + Math.floor(rnd() * 24);
      const headerLen = round % 2 === 0 ? 24 : 28; // keep the magic and byte order readable
      for (let k = 0; k < flips; k++) {
        const at = headerLen + Math.floor(rnd() * (bytes.length - headerLen));
        bytes[at] = Math.floor(rnd() * 256);
      }
      const cut = rnd() < 0.3 ? bytes.subarray(0, headerLen + Math.floor(rnd() * (bytes.length - headerLen))) : bytes;
      for (const size of [0, 1 + Math.floor(rnd() * 40)]) {
        const acc = newAccounting('fuzz', 'unknown', 'packet');
        const d = createCaptureDecoder('fuzz', new RecordingHandler(false), acc);
        feed(d, cut, size);
        expect(acc.read).toBe(acc.used + acc.ignored + acc.malformed);
        expect(acc.ignoredBy['tcp-out-of-order'] ?? 0).toBe(0);
        expect(acc.ignoredBy['ip-fragment'] ?? 0).toBeLessThanOrEqual(acc.read);
      }
    }
  });

  it('the invariant holds after every chunk, not only at the end', () => {
    const bytes = w.writePcap(sample().map((data, i) => ({ ts: T0 + i, data })));
    const acc = newAccounting('t', 'unknown', 'packet');
    const d = createCaptureDecoder('t', new RecordingHandler(false), acc);
    for (let i = 0; i < bytes.length; i += 97) {
      d.push(bytes.subarray(i, i + 97));
      expect(acc.read).toBe(acc.used + acc.ignored + acc.malformed);
    }
    d.end();
    expect(acc.read).toBe(acc.used + acc.ignored + acc.malformed);
  });

  it('TCP parking is bounded: past the limit the gap is skipped and the parked bytes are delivered', () => {
    const frames: Uint8Array[] = [w.ethernet(w.tcpPacket({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 5060, seq: 0, payload: 'SIP/2.0 100 Trying\r\n' }))];
    // A hole of 1000 bytes, then more segments than may be parked.
    for (let i = 0; i <= TCP_MAX_PARKED_SEGMENTS; i++) {
      frames.push(w.ethernet(w.tcpPacket({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 5060, seq: 1020 + i * 10, payload: '0123456789' })));
    }
    const h = new RecordingHandler();
    const acc = newAccounting('t', 'unknown', 'packet');
    feed(createCaptureDecoder('t', h, acc), w.writePcap(frames.map((data, i) => ({ ts: T0 + i, data }))));
    expect(acc.read).toBe(frames.length);
    // After the gap the stand-in handler sees digits, not a SIP start: not-sip.
    expect(acc).toMatchObject({ used: 1, ignored: frames.length - 1, ignoredBy: { 'not-sip': frames.length - 1 } });
    expect(h.seen).toHaveLength(frames.length);
    expect(h.ended.length).toBe(2); // the gap, then the end of capture
  });

  it('fragment sets beyond the limit are dropped as anomalies, oldest first', async () => {
    const { FragmentReassembler } = await import('../../src/net/fragments.js');
    const dropped: number[][] = [];
    const r = new FragmentReassembler((set) => dropped.push(set.packets), 30_000, 2);
    const data = new Uint8Array(16);
    expect(r.add('a', 0, 1, 0, true, data, 0, 16)).toBe(-1);
    expect(r.add('b', 0, 2, 0, true, data, 0, 16)).toBe(-1);
    expect(r.add('c', 0, 3, 0, true, data, 0, 16)).toBe(-1);
    expect(dropped).toEqual([[1]]);
    expect(r.add('b', 0, 4, 16, false, data, 0, 5)).toBe(21);
    expect(r.pending).toBe(1);
  });
});
