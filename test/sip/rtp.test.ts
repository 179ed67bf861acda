import { describe, expect, it } from 'vitest';
import { parseAddr as parseIp } from '../../src/net/payload.js';
import { RingbackDetector, looksLikeRtp, looksLikeStrayRtp, rtpPayloadOffset } from '../../src/sip/rtp.js';

/** ITU-T G.711 μ-law encoder (for building test audio). */
function ulaw(sample: number): number {
  const BIAS = 0x84;
  let s = Math.max(-32635, Math.min(32635, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s += BIAS;
  let exp = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exp > 0; mask >>= 1) exp--;
  const mant = (s >> (exp + 3)) & 0x0f;
  return ~(sign | (exp << 4) | mant) & 0xff;
}

function audio(seconds: number, f: (t: number) => number): Uint8Array {
  const n = Math.round(seconds * 8000);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = ulaw(f(i / 8000));
  return out;
}

function share(a: Uint8Array): number | undefined {
  const d = new RingbackDetector();
  for (let i = 0; i < a.length; i += 160) d.feed(a, i, Math.min(a.length, i + 160), 0);
  return d.result();
}

describe('RingbackDetector', () => {
  it('425 Hz continuous tone → all frames', () => {
    expect(share(audio(3, (t) => 8000 * Math.sin(2 * Math.PI * 425 * t)))).toBe(1);
  });
  it('NANP 440+480 ringback, 2 s on 4 s off → every sounding frame is tone', () => {
    expect(share(audio(3, (t) => (t < 2 ? 4000 * (Math.sin(2 * Math.PI * 440 * t) + Math.sin(2 * Math.PI * 480 * t)) : 0)))).toBe(1);
  });
  it('EU 425 Hz ringback, 1 s on 4 s off → every sounding frame is tone', () => {
    expect(share(audio(3, (t) => (t < 1 ? 6000 * Math.sin(2 * Math.PI * 425 * t) : 0)))).toBe(1);
  });
  it('silence only → 0, not undefined', () => {
    expect(share(audio(3, () => 0))).toBe(0);
  });
  it('half speech-like noise, half 400 Hz tone → about half', () => {
    let seed = 3;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 2 - 1;
    const r = share(audio(3, (t) => (t < 1.5 ? 6000 * rnd() : 6000 * Math.sin(2 * Math.PI * 400 * t))))!;
    expect(r).toBeGreaterThan(0.4);
    expect(r).toBeLessThan(0.6);
  });
  it('speech-like noise and a 1 kHz tone are not ringback', () => {
    let seed = 1;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 2 - 1;
    expect(share(audio(3, () => 6000 * rnd()))).toBe(0);
    expect(share(audio(3, (t) => 8000 * Math.sin(2 * Math.PI * 1000 * t)))).toBe(0);
  });
  it('stops after 3 s of audio and needs one full frame', () => {
    const d = new RingbackDetector();
    const a = audio(10, (t) => 8000 * Math.sin(2 * Math.PI * 400 * t));
    d.feed(a, 0, a.length, 0);
    expect(d.frames).toBe(30);
    expect(new RingbackDetector().result()).toBeUndefined();
  });
  it('the result ends the analysis: a second result is the same, later audio is ignored', () => {
    const d = new RingbackDetector();
    const tone = audio(1.05, (t) => 8000 * Math.sin(2 * Math.PI * 425 * t));
    d.feed(tone, 0, tone.length, 0);
    expect(d.result()).toBe(1);
    const noise = audio(1, (t) => 6000 * Math.sin(2 * Math.PI * 1000 * t));
    d.feed(noise, 0, noise.length, 0);
    expect(d.frames).toBe(10);
    expect(d.result()).toBe(1);
  });
});

describe('rtp helpers', () => {
  it('looksLikeRtp', () => {
    const p = new Uint8Array(172);
    p[0] = 0x80;
    p[1] = 0x08;
    expect(looksLikeRtp(p)).toBe(true);
    p[1] = 0xc8; // RTCP SR
    expect(looksLikeRtp(p)).toBe(false);
    p[0] = 0x40;
    p[1] = 0x00;
    expect(looksLikeRtp(p)).toBe(false);
    // Inside a larger buffer: d[o, end).
    const q = new Uint8Array(200);
    q[20] = 0x80;
    q[21] = 0x00;
    expect(looksLikeRtp(q, 20, 32)).toBe(true);
    expect(looksLikeRtp(q, 20, 31)).toBe(false);
    expect(looksLikeRtp(q, 0, 200)).toBe(false);
  });
  it('rtpPayloadOffset inside a larger buffer (CSRCs, extension, padding)', () => {
    const q = new Uint8Array(100);
    const o = 10;
    q[o] = 0x80 | 0x10 | 0x01; // one CSRC, a header extension
    q[o + 12 + 4 + 3] = 1; // extension of one word
    expect(rtpPayloadOffset(q, o, 60)).toBe(o + 12 + 4 + 4 + 4);
    q[o] |= 0x20; // padding: the last byte counts it
    q[59] = 30;
    expect(rtpPayloadOffset(q, o, 60)).toBe(-1);
    q[59] = 4;
    expect(rtpPayloadOffset(q, o, 60)).toBe(o + 24);
  });
  it('parseIp', () => {
    expect(Array.from(parseIp('192.0.2.1')!)).toEqual([192, 0, 2, 1]);
    expect(parseIp('256.0.0.1')).toBeUndefined();
    expect(Array.from(parseIp('::1')!)).toEqual([...new Array(15).fill(0), 1]);
    expect(Array.from(parseIp('::ffff:10.0.0.1')!).slice(10)).toEqual([255, 255, 10, 0, 0, 1]);
    expect(parseIp('1::2::3')).toBeUndefined();
  });
});

describe('RTP of no known call (the verdict of a datagram whose SDP was not seen)', () => {
  const rtp = (pt: number): Uint8Array => Uint8Array.from([0x80, pt, 0, 1, 0, 0, 0, 160, 0x12, 0x34, 0x56, 0x78, ...new Array(160).fill(0xff)]);
  it('takes media payload types between unprivileged ports', () => {
    expect(looksLikeStrayRtp(rtp(0), 30000, 40392)).toBe(true);
    expect(looksLikeStrayRtp(rtp(8), 16384, 10000)).toBe(true);
    expect(looksLikeStrayRtp(rtp(101), 16384, 10000)).toBe(true);
  });
  it('leaves out what only starts like RTP: NetBIOS and DNS ports, unassigned payload types, BACnet/IP', () => {
    // A NetBIOS name query whose transaction id starts 0x8…: looksLikeRtp alone takes it.
    const nbns = Uint8Array.from([0x82, 0x08, 0x01, 0x10, 0, 1, 0, 0, 0, 0, 0, 0, 0x20, ...new Array(37).fill(0x41)]);
    expect(looksLikeRtp(nbns)).toBe(true);
    expect(looksLikeStrayRtp(nbns, 137, 137)).toBe(false);
    expect(looksLikeStrayRtp(rtp(0), 2829, 53)).toBe(false);
    expect(looksLikeStrayRtp(rtp(40), 30000, 40000)).toBe(false);
    expect(looksLikeStrayRtp(Uint8Array.from([0x81, 0x0a, 0, 24, 1, 0, 0x30, 1, 0x0c, 0x0c, 2, 0, 0, 1]), 47808, 47808)).toBe(false);
    expect(looksLikeStrayRtp(rtp(200 - 128), 30000, 40000)).toBe(false); // RTCP SR with the marker bit
  });
});
