/**
 * G.711 µ-law frames for generated RTP: 20 ms (160 samples) of low-level "speech" noise, and a
 * ringback tone (what a false-answer route plays after a fake 200 OK).
 */
import { Prng } from './prng.js';

/** ITU-T G.711 µ-law encoding of one 16-bit linear sample. */
export function linearToUlaw(sample: number): number {
  const BIAS = 0x84;
  const CLIP = 32635;
  let s = Math.max(-32768, Math.min(32767, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export const FRAME_SAMPLES = 160;
/** One second of frames: tones with an integer frequency repeat seamlessly. */
export const FRAMES_PER_SECOND = 50;

/** 50 frames of a sum of sine tones (Hz) at the given amplitude, 8 kHz µ-law. */
export function toneFrames(freqs: number[], amplitude: number): Buffer[] {
  const frames: Buffer[] = [];
  for (let f = 0; f < FRAMES_PER_SECOND; f++) {
    const b = Buffer.allocUnsafe(FRAME_SAMPLES);
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      const n = f * FRAME_SAMPLES + i;
      let v = 0;
      for (const hz of freqs) v += Math.sin((2 * Math.PI * hz * n) / 8000);
      b[i] = linearToUlaw((v / freqs.length) * amplitude);
    }
    frames.push(b);
  }
  return frames;
}

/** 50 frames of band-limited noise with a syllable-like envelope (not a tone). */
export function speechFrames(seed: number): Buffer[] {
  const rnd = new Prng(seed);
  const frames: Buffer[] = [];
  let prev = 0;
  for (let f = 0; f < FRAMES_PER_SECOND; f++) {
    const env = 0.2 + 0.8 * Math.abs(Math.sin((Math.PI * f) / 12));
    const b = Buffer.allocUnsafe(FRAME_SAMPLES);
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      prev = 0.7 * prev + 0.3 * (rnd.next() * 2 - 1);
      b[i] = linearToUlaw(prev * 6000 * env);
    }
    frames.push(b);
  }
  return frames;
}
