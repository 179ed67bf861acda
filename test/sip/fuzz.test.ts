/** Hostile input never throws past the SIP layer: mutated messages through scanner, framer and tracker. */
import { describe, expect, it } from 'vitest';
import { SipStreamFramer } from '../../src/sip/framer.js';
import { scanSipMessage, type MessageMeta } from '../../src/sip/scanner.js';
import { CallTracker } from '../../src/sip/tracker.js';
import { Call, sdp, A, B } from './scenario.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 0x100000000;
}

const base = new Call('fuzz-1').invite(0, { sdp: sdp(A.addr, 4000) }).resp(1, 180, 'Ringing')
  .resp(2, 200, 'OK', { sdp: sdp(B.addr, 5000), headers: 'Reason: Q.850;cause=16;text="x"\r\n' }).ack(3).bye(4, true).byeOk(5, true).wire;
const alphabet = Buffer.from(' \t\r\n:;,<>"=@\\/0123456789abcSIP.-~\x00\xff');
const meta: MessageMeta = { ts: 0, src: A.addr, srcPort: 5060, dst: B.addr, dstPort: 5060, transport: 'udp', position: { file: 'fuzz' } };

describe('fuzzed SIP', () => {
  it('10 000 mutated messages: no exception, every result is a message or null', () => {
    const rnd = lcg(7);
    const t = new CallTracker({ record: () => {} });
    let scanned = 0;
    for (let i = 0; i < 10_000; i++) {
      const src = Buffer.from(base[i % base.length]!.text);
      const b = Buffer.from(src);
      const edits = 1 + Math.floor(rnd() * 8);
      for (let k = 0; k < edits; k++) {
        const at = Math.floor(rnd() * b.length);
        b[at] = alphabet[Math.floor(rnd() * alphabet.length)]!;
      }
      const cut = rnd() < 0.3 ? Math.floor(rnd() * b.length) : b.length;
      const m = scanSipMessage(b, 0, cut, { ...meta, ts: i });
      if (m) {
        scanned++;
        expect(typeof m.callId).toBe('string');
        t.add(m);
      }
    }
    t.end();
    expect(scanned).toBeGreaterThan(5000);
  });

  it('random bytes through the stream framer in random chunks', () => {
    const rnd = lcg(11);
    const parts: Buffer[] = [];
    for (let i = 0; i < 300; i++) {
      if (rnd() < 0.5) parts.push(Buffer.from(base[i % base.length]!.text));
      else parts.push(Buffer.from(Array.from({ length: Math.floor(rnd() * 200) }, () => alphabet[Math.floor(rnd() * alphabet.length)]!)));
    }
    const stream = Buffer.concat(parts);
    let messages = 0;
    const f = new SipStreamFramer({ message: (buf, s, e) => { messages++; scanSipMessage(buf, s, e, meta); } });
    for (let i = 0; i < stream.length; ) {
      const n = 1 + Math.floor(rnd() * 300);
      f.push(stream.subarray(i, i + n));
      i += n;
    }
    f.end();
    expect(messages).toBeGreaterThan(50);
    expect(f.buffered).toBe(0);
  });
});
