import { describe, expect, it } from 'vitest';
import { RINGBACK_HZ, RINGBACK_WINDOW_SEC, RingbackDetector, useRingbackKernel } from '../../src/sip/rtp.js';

// The straightforward per-sample detector (filters updated on every sample, silent frames included):
// the optimised one (energy first, filters only on voiced frames, state in locals) must agree exactly.
function ulaw(b: number): number {
  const u = ~b & 0xff;
  let t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return u & 0x80 ? 0x84 - t : t - 0x84;
}
function alaw(b: number): number {
  const a = b ^ 0x55;
  const seg = (a & 0x70) >> 4;
  let v = (a & 0x0f) << 4;
  if (seg === 0) v += 8;
  else if (seg === 1) v += 0x108;
  else v = (v + 0x108) << (seg - 1);
  return a & 0x80 ? v : -v;
}
function reference(chunks: Chunk[]): { frames: number; voiced: number; tone: number } {
  const coeff = RINGBACK_HZ.map((f) => 2 * Math.cos((2 * Math.PI * f) / 8000));
  const s1 = new Float64Array(coeff.length);
  const s2 = new Float64Array(coeff.length);
  let energy = 0, n = 0, frames = 0, voiced = 0, tone = 0;
  for (const { d, pt } of chunks) {
    for (let i = 0; i < d.length && frames < RINGBACK_WINDOW_SEC * 10; i++) {
      const x = pt === 0 ? ulaw(d[i]!) : alaw(d[i]!);
      energy += x * x;
      for (let j = 0; j < coeff.length; j++) {
        const s = x + coeff[j]! * s1[j]! - s2[j]!;
        s2[j] = s1[j]!;
        s1[j] = s;
      }
      if (++n === 800) {
        frames++;
        if (energy / 800 > 100) {
          voiced++;
          let best = 0;
          for (let j = 0; j < coeff.length; j++) {
            const a = s1[j]!, b = s2[j]!;
            const p = a * a + b * b - coeff[j]! * a * b;
            if (p > best) best = p;
          }
          if ((2 * best) / (800 * energy) >= 0.5) tone++;
        }
        s1.fill(0); s2.fill(0); energy = 0; n = 0;
      }
    }
  }
  return { frames, voiced, tone };
}

type Chunk = { d: Uint8Array; pt: number };

/** 20 trials of ~26,000 samples in odd chunk sizes: tone, noise, silence and mixed frames; payload-type switches. */
function trials(): Chunk[][] {
  let seed = 12345;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 16777216;
  const out: Chunk[][] = [];
  for (let trial = 0; trial < 20; trial++) {
    const chunks: Chunk[] = [];
    const pt0 = trial % 2 === 0 ? 0 : 8;
    let t = 0;
    let kind = 0;
    let f: number = RINGBACK_HZ[0];
    while (t < 26000) {
      const len = 1 + Math.floor(rnd() * 400);
      // Every third trial switches the payload type between chunks (inside frames too).
      const pt = trial % 3 === 2 && rnd() < 0.5 ? 8 - pt0 : pt0;
      const d = new Uint8Array(len);
      for (let i = 0; i < len; i++, t++) {
        // The kind of sound changes every 1,000 samples, so frames are pure or mixed.
        if (t % 1000 === 0) {
          kind = Math.floor(rnd() * 4);
          f = RINGBACK_HZ[Math.floor(rnd() * RINGBACK_HZ.length)]!;
        }
        const v = kind === 0 ? 0 : kind === 1 ? 3000 * Math.sin((2 * Math.PI * f * t) / 8000) : kind === 2 ? (rnd() - 0.5) * 8000 : 1500 * Math.sin((2 * Math.PI * f * t) / 8000) + (rnd() - 0.5) * 3000;
        // Nearest code by search over the table (slow but exact).
        let bestB = 0, bestE = Infinity;
        for (let b = 0; b < 256; b++) {
          const e = Math.abs((pt === 0 ? ulaw(b) : alaw(b)) - v);
          if (e < bestE) { bestE = e; bestB = b; }
        }
        d[i] = bestB;
      }
      chunks.push({ d, pt });
    }
    out.push(chunks);
  }
  return out;
}

const counts = (det: RingbackDetector) => ({ frames: det.frames, voiced: det.voicedFrames, tone: det.toneFrames });

describe('RingbackDetector equals the per-sample reference', () => {
  const all = trials();
  const refs = all.map(reference);

  // 'simd' filters two voiced frames at once (WebAssembly f64x2); 'js' is the one-frame fallback.
  for (const kernel of ['simd', 'js'] as const) {
    it(`on tone, noise, silence and mixed frames, in odd chunk sizes (${kernel} kernel)`, () => {
      expect(useRingbackKernel(kernel)).toBe(true);
      try {
        let tone = 0, voiced = 0, frames = 0;
        all.forEach((chunks, i) => {
          const det = new RingbackDetector();
          for (const c of chunks) det.feed(c.d, 0, c.d.length, c.pt);
          const ref = refs[i]!;
          expect(counts(det)).toEqual(ref);
          expect(ref.frames).toBe(RINGBACK_WINDOW_SEC * 10);
          tone += ref.tone; voiced += ref.voiced; frames += ref.frames;
        });
        // All three kinds of frame occurred.
        expect(tone).toBeGreaterThan(0);
        expect(voiced).toBeGreaterThan(tone);
        expect(frames).toBeGreaterThan(voiced);
      } finally {
        useRingbackKernel('simd');
      }
    });
  }

  it('with the detectors of all trials fed chunk by chunk in turn (frames of different calls filtered together)', () => {
    const dets = all.map(() => new RingbackDetector());
    const longest = Math.max(...all.map((c) => c.length));
    for (let k = 0; k < longest; k++) {
      all.forEach((chunks, i) => {
        const c = chunks[k];
        if (c) dets[i]!.feed(c.d, 0, c.d.length, c.pt);
      });
    }
    // Read in reverse order: a detector whose frame still waits is filtered when read.
    for (let i = dets.length - 1; i >= 0; i--) expect(counts(dets[i]!)).toEqual(refs[i]);
    expect(dets.map((d) => d.result())).toEqual(refs.map((r) => (r.voiced === 0 ? 0 : r.tone / r.voiced)));
  });
});
