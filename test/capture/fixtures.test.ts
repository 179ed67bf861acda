import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCaptureDecoder } from '../../src/capture/decoder.js';
import { newAccounting } from '../../src/types.js';
import { buildEncapsulations } from './encapsulations.js';
import { feed, RecordingHandler } from './helpers.js';

const dir = fileURLToPath(new URL('../../fixtures/capture/', import.meta.url));

describe('fixtures/capture/encapsulations.pcapng', () => {
  const fx = buildEncapsulations();

  it('the committed file is what the builder writes (set UPDATE_FIXTURES=1 to rewrite)', () => {
    const file = `${dir}encapsulations.pcapng`;
    const truth = `${dir}encapsulations.truth.json`;
    const truthText = `${JSON.stringify({ calls: fx.calls, packets: fx.packets, sipMessages: fx.messages.length }, null, 2)}\n`;
    if (process.env.UPDATE_FIXTURES === '1' || !existsSync(file)) {
      writeFileSync(file, fx.bytes);
      writeFileSync(truth, truthText);
    }
    expect(new Uint8Array(readFileSync(file))).toEqual(fx.bytes);
    expect(readFileSync(truth, 'utf8')).toBe(truthText);
  });

  for (const size of [0, 1, 7, 61]) {
    it(`decodes every message through every encapsulation (chunks of ${size || 'all'})`, () => {
      const acc = newAccounting('encapsulations.pcapng', 'unknown', 'packet');
      const h = new RecordingHandler();
      feed(createCaptureDecoder('encapsulations.pcapng', h, acc), fx.bytes, size);
      // TCP hands on in-order pieces: join consecutive pieces of one flow into messages.
      const texts: { text: string; src: string; dst: string; tunneled: boolean }[] = [];
      for (const s of h.seen) {
        if (s.text.charCodeAt(0) === 0x80) continue; // the RTP packet
        const last = texts[texts.length - 1];
        if (s.proto === 'tcp' && last && !/^(SIP\/2\.0 |[A-Z]+ sip:)/.test(s.text) && last.src === s.src) last.text += s.text;
        else texts.push({ text: s.text, src: s.src, dst: s.dst, tunneled: s.tunneled });
      }
      expect(texts).toEqual(fx.messages.map(({ text, src, dst, tunneled }) => ({ text, src, dst, tunneled })));
      expect(acc.read).toBe(fx.packets);
      expect(acc.read).toBe(acc.used + acc.ignored + acc.malformed);
      expect(acc.malformed).toBe(0);
      expect(acc.ignoredBy).toEqual({ 'not-ip': 1, rtp: 1, 'not-udp-tcp': 1, 'ip-fragment': acc.ignoredBy['ip-fragment'], 'tcp-retransmission': 1 });
      expect(acc.ignoredBy['ip-fragment']).toBeGreaterThan(0);
      expect(acc.format).toBe('pcapng');
    });
  }
});
