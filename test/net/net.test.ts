import { describe, expect, it } from 'vitest';
import { hep2, hep3, parseIp } from '../../src/capture/writer.js';
import { i32be, i32le, u16be, u16le, u32be, u32le } from '../../src/net/bytes.js';
import { hepVersion, newHepInfo, parseHep } from '../../src/net/hep.js';
import { addrToString } from '../../src/net/payload.js';

describe('addresses', () => {
  it('prints IPv4 and RFC 5952 IPv6 text, and parses it back', () => {
    for (const [text, want] of [
      ['192.0.2.1', '192.0.2.1'],
      ['2001:db8::1', '2001:db8::1'],
      ['2001:0db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['::', '::'],
      ['::1', '::1'],
      ['fe80::', 'fe80::'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ] as const) {
      expect(addrToString(parseIp(text))).toBe(want);
    }
  });
});

describe('byte readers', () => {
  it('read both byte orders, unsigned', () => {
    const b = Uint8Array.of(0xff, 0xfe, 0x01, 0x02);
    expect(u16be(b, 0)).toBe(0xfffe);
    expect(u16le(b, 0)).toBe(0xfeff);
    expect(u32be(b, 0)).toBe(0xfffe0102);
    expect(u32le(b, 0)).toBe(0x0201feff);
  });
  it('read 32-bit words signed too (what an Int32Array holds)', () => {
    const b = Uint8Array.of(0xff, 0xfe, 0x01, 0x02);
    expect(i32be(b, 0)).toBe(0xfffe0102 - 2 ** 32);
    expect(i32le(b, 0)).toBe(0x0201feff);
    expect(new Int32Array([i32be(b, 0)])[0]).toBe(i32be(b, 0));
  });
});

describe('HEP', () => {
  const base = { src: '198.51.100.7', dst: '203.0.113.9', sport: 5070, dport: 5080, ts: 1_700_000_000_123.456, payload: 'OPTIONS sip:x SIP/2.0\r\n\r\n' };

  it('recognises v3 by magic and v1/v2 by a consistent header only', () => {
    const v3 = hep3(base);
    expect(hepVersion(v3, 0, v3.length)).toBe(3);
    const v2 = hep2(base);
    expect(hepVersion(v2, 0, v2.length)).toBe(2);
    const v1 = hep2(base, 1);
    expect(hepVersion(v1, 0, v1.length)).toBe(1);
    // RTP (version bits 10) and text are not HEP; nor is a v2 header with a wrong length byte.
    expect(hepVersion(Uint8Array.of(0x80, 0, 1, 2, 3, 4, 5, 6), 0, 8)).toBe(0);
    const bad = v2.slice();
    bad[1] = 30;
    expect(hepVersion(bad, 0, bad.length)).toBe(0);
  });

  it('reads addresses, ports, time and the payload span of v3 and v2', () => {
    const h = newHepInfo();
    const v3 = hep3(base);
    expect(parseHep(v3, 0, v3.length, 3, h)).toBe('');
    expect([addrToString(h.src4), addrToString(h.dst4), h.sport, h.dport, h.tsSec, h.tsUsec, h.payloadType]).toEqual(['198.51.100.7', '203.0.113.9', 5070, 5080, 1_700_000_000, 123456, 1]);
    expect(Buffer.from(v3.subarray(h.payloadStart, h.payloadEnd)).toString()).toBe(base.payload);
    const v2 = hep2({ ...base, src: '2001:db8::7', dst: '2001:db8::9' });
    expect(parseHep(v2, 0, v2.length, 2, h)).toBe('');
    expect([h.ipVersion, addrToString(h.src6), h.tsSec, h.tsUsec]).toEqual([6, '2001:db8::7', 1_700_000_000, 123456]);
  });

  it('names what is wrong with a broken v3 packet', () => {
    const h = newHepInfo();
    const v3 = hep3(base);
    expect(parseHep(v3, 0, v3.length - 1, 3, h)).toMatch(/length/);
    const shortChunk = hep3(base);
    shortChunk[11] = 3; // the first chunk's length, below its own 6-byte header
    expect(parseHep(shortChunk, 0, shortChunk.length, 3, h)).toBe('HEP3 chunk 1 length 3');
  });
});
