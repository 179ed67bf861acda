/**
 * RTP accounting for calls seen in a capture: which UDP packets go to the media addresses that the
 * call's SDP offer/answer announced, and a cheap ringback-tone detector on the callee's first seconds
 * of G.711 audio after answer (a FAS signal: "answered" calls that still play ringback).
 */

/** RFC 3550 §5.1 sanity check on `d[o, end)`: version 2, a payload type that is not RTCP (72–76 with marker). */
export function looksLikeRtp(d: Uint8Array, o = 0, end = d.length): boolean {
  const len = end - o;
  if (len < 12) return false;
  const b0 = d[o]!;
  if (b0 >> 6 !== 2) return false;
  const pt = d[o + 1]! & 0x7f;
  if (pt >= 72 && pt <= 76) return false; // RTCP SR/RR/SDES/BYE/APP
  const cc = b0 & 0x0f;
  let hl = 12 + cc * 4;
  if (b0 & 0x10) {
    if (len < hl + 4) return false;
    hl += 4 + ((d[o + hl + 2]! << 8) | d[o + hl + 3]!) * 4;
  }
  return len >= hl;
}

/** RTP payload types a stream may carry (RFC 3551 static audio/video, and the dynamic range). */
const MEDIA_PT = new Uint8Array(128);
for (const pt of [0, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 25, 26, 28, 31, 32, 33, 34]) MEDIA_PT[pt] = 1;
for (let pt = 96; pt < 128; pt++) MEDIA_PT[pt] = 1;

/**
 * RTP of no call in the capture (its SDP not seen): besides `looksLikeRtp`, a media payload type and two
 * unprivileged ports. A version-2 first byte alone (any 0x80–0xBF) also starts NetBIOS name service, DNS
 * and other datagrams, which would otherwise be counted as media.
 */
export function looksLikeStrayRtp(d: Uint8Array, srcPort: number, dstPort: number): boolean {
  return (
    srcPort >= 1024 && dstPort >= 1024 &&
    // BACnet/IP: every datagram starts 0x81 (BVLC), by design.
    srcPort !== BACNET_PORT && dstPort !== BACNET_PORT &&
    d.length >= 12 && MEDIA_PT[d[1]! & 0x7f] === 1 && looksLikeRtp(d)
  );
}

const BACNET_PORT = 47808;

/** Offset in `d` of the payload of the RTP packet `d[o, end)` (after CSRCs and header extension), or -1. */
export function rtpPayloadOffset(d: Uint8Array, o = 0, end = d.length): number {
  const b0 = d[o]!;
  let hl = 12 + (b0 & 0x0f) * 4;
  if (b0 & 0x10) {
    if (end - o < hl + 4) return -1;
    hl += 4 + ((d[o + hl + 2]! << 8) | d[o + hl + 3]!) * 4;
  }
  let stop = end;
  if (b0 & 0x20) stop -= d[end - 1]!; // padding
  return o + hl <= stop ? o + hl : -1;
}

export function sameAddr(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// G.711 decoding tables (ITU-T G.711), built once.
const ULAW = new Int16Array(256);
const ALAW = new Int16Array(256);
for (let i = 0; i < 256; i++) {
  const u = ~i & 0xff;
  let t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  ULAW[i] = u & 0x80 ? 0x84 - t : t - 0x84;
  const a = i ^ 0x55;
  const seg = (a & 0x70) >> 4;
  let v = (a & 0x0f) << 4;
  if (seg === 0) v += 8;
  else if (seg === 1) v += 0x108;
  else v = (v + 0x108) << (seg - 1);
  ALAW[i] = a & 0x80 ? v : -v;
}

/** x² of every code (exact integers < 2^31), for the frame energy without decoding. */
const ULAW_SQ = Int32Array.from(ULAW, (x) => x * x);
const ALAW_SQ = Int32Array.from(ALAW, (x) => x * x);

/** Ringback tone frequencies used around the world (Hz): 400 (UK/RU dual), 425 (EU/RU), 440/480 (NANP), 450. */
export const RINGBACK_HZ = [400, 425, 440, 450, 480] as const;
const SAMPLE_RATE = 8000;
/** 100 ms frames (even: the filter loop takes two samples at a time). */
const FRAME = 800;
/** Seconds of callee audio analysed after answer. */
export const RINGBACK_WINDOW_SEC = 3;
/** Share of a frame's energy that one ringback frequency must hold for the frame to count as tone. */
const TONE_SHARE = 0.5;
/** Frames quieter than this mean square amplitude (≈ −50 dBm0) count as silence, not tone. */
const SILENCE_MS = 100;

const COEFF = RINGBACK_HZ.map((f) => 2 * Math.cos((2 * Math.PI * f) / SAMPLE_RATE));
const [C0, C1, C2, C3, C4] = COEFF as [number, number, number, number, number];
const MAX_FRAMES = RINGBACK_WINDOW_SEC * (SAMPLE_RATE / FRAME);
/** Frame buffers of finished detectors, reused by new ones. */
const framePool: Uint8Array[] = [];
const FRAME_POOL_MAX = 256;

/**
 * Energy of a frame of G.711 bytes: a sum of integer squares (each < 2^31, the total < 2^53), so
 * every summation order gives the same exact value (two accumulators, one table read per sample).
 */
function frameEnergy(raw: Uint8Array, sq: Int32Array): number {
  let e0 = 0;
  let e1 = 0;
  for (let i = 0; i < FRAME; i += 2) {
    e0 += sq[raw[i]!]!;
    e1 += sq[raw[i + 1]!]!;
  }
  return e0 + e1;
}

/** The energy `toneShare` computed with its filters (the same exact value as `frameEnergy`). */
let sharedEnergy = 0;

/** |X(f)|² from the final Goertzel state (s1 = a, s2 = b). */
function power(a: number, b: number, c: number): number {
  return a * a + b * b - c * a * b;
}

/** 2·|X|² / (N · energy): |X(f)|² of a sinusoid of amplitude A over N samples is (A·N/2)²; its energy is A²·N/2. */
function shareOf(best: number, energy: number): number {
  return (2 * best) / (FRAME * energy);
}

/**
 * The largest share of a frame's energy held by one ringback frequency (see `shareOf`), for a frame
 * of G.711 bytes decoded by `table`, with the frame's energy left in `sharedEnergy`.
 *
 * One pass over the bytes: decode, energy and the five Goertzel filters together. The filters are
 * the plain per-sample recurrence s = x + c·s1 − s2 with the same operations in the same order (so
 * the same doubles as a per-sample update, bit for bit), written two samples per iteration with the
 * roles of the two state variables swapped instead of copied (b = x + c·a − b; a = y + c·b − a): no
 * register moves or spills. The five filters are independent dependency chains that the CPU
 * overlaps; decoding and the integer energy ride along on other execution ports.
 */
function toneShare(raw: Uint8Array, table: Int16Array): number {
  const c0 = C0, c1 = C1, c2 = C2, c3 = C3, c4 = C4;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0; // s1 per frequency (after each pair of samples)
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0; // s2 per frequency
  let e0 = 0;
  let e1 = 0;
  for (let i = 0; i < FRAME; i += 2) {
    const x = table[raw[i]!]!;
    const y = table[raw[i + 1]!]!;
    e0 += x * x;
    e1 += y * y;
    b0 = x + c0 * a0 - b0; a0 = y + c0 * b0 - a0;
    b1 = x + c1 * a1 - b1; a1 = y + c1 * b1 - a1;
    b2 = x + c2 * a2 - b2; a2 = y + c2 * b2 - a2;
    b3 = x + c3 * a3 - b3; a3 = y + c3 * b3 - a3;
    b4 = x + c4 * a4 - b4; a4 = y + c4 * b4 - a4;
  }
  const energy = e0 + e1;
  sharedEnergy = energy;
  const best = Math.max(0, power(a0, b0, c0), power(a1, b1, c1), power(a2, b2, c2), power(a3, b3, c3), power(a4, b4, c4));
  return shareOf(best, energy);
}

const S1 = new Float64Array(COEFF.length);
const S2 = new Float64Array(COEFF.length);

/**
 * `toneShare` for a frame of decoded samples (its payload type changed midway: rare), in the plain
 * per-sample form, with the frame's energy left in `sharedEnergy`.
 */
function toneShareOfSamples(x16: Int16Array): number {
  S1.fill(0);
  S2.fill(0);
  let energy = 0;
  for (let i = 0; i < FRAME; i++) {
    const x = x16[i]!;
    energy += x * x;
    for (let j = 0; j < COEFF.length; j++) {
      const s = x + COEFF[j]! * S1[j]! - S2[j]!;
      S2[j] = S1[j]!;
      S1[j] = s;
    }
  }
  sharedEnergy = energy;
  let best = 0;
  for (let j = 0; j < COEFF.length; j++) best = Math.max(best, power(S1[j]!, S2[j]!, COEFF[j]!));
  return shareOf(best, energy);
}

// ── Four frames at once: the filters in WebAssembly SIMD ────────────────────────────────────────
//
// One frame's filters are five dependency chains (multiply, add, subtract per sample), and V8's
// scalar code is bound by their latency: more chains only fit in the same time with vector
// registers. So a voiced frame waits (its bytes copied into the kernel's memory) until BATCH voiced
// frames, of any calls, have come; then one pass filters them all, two frames per f64x2 vector
// (lane 0 and lane 1) and two vectors side by side (measured: 1.1 µs a frame with one vector, 0.8 µs
// with two, no better with three). WebAssembly's f64x2 add/sub/mul round each lane exactly like a
// scalar IEEE double operation and are never fused into a multiply-add, and the operations are
// those of the scalar loop in the same order: the results are the same doubles. The energy rides
// along as f64x2 sums of squares of integers (exact: every partial sum is an integer < 2^53).
// The decoding tables hold the samples as doubles (exact: every i16 is one), so a pair of samples is
// a splat load and a lane load, with no conversion or shuffle in the loop (12% less time a frame than
// i16 tables converted per sample).

/** Frames filtered per kernel pass: two f64x2 vectors of two frames each. */
const BATCH = 4;
/** Kernel memory (bytes): the µ-law table, the A-law table (256 × f64 each), the frames, the results. */
const K_ULAW = 0;
const K_ALAW = 2048;
/** Frame f's bytes at K_FRAMES + 1024·f. */
const K_FRAMES = 4096;
/**
 * Results of frame f (vector f >> 1, lane f & 1): filter j's s1 at K_OUT + 32·(5·(f >> 1) + j) and its
 * s2 16 bytes on (two f64 lanes each); the energies of vector v at K_ENERGY + 16·v.
 */
const K_OUT = K_FRAMES + 1024 * BATCH;
const K_ENERGY = K_OUT + 32 * COEFF.length * (BATCH / 2);

interface BatchKernel {
  /** Filters the BATCH frames at K_FRAMES, frame f decoded by the table at byte `tables[f]`. */
  run(t0: number, t1: number, t2: number, t3: number): void;
  bytes: Uint8Array;
  f64: Float64Array;
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Builds the batch kernel, or undefined where WebAssembly SIMD is not available. */
function buildBatchKernel(): BatchKernel | undefined {
  const NF = COEFF.length;
  const VECS = BATCH / 2;
  const simd = (op: number): number[] => [0xfd, ...uleb(op)];
  const get = (i: number): number[] => [0x20, i];
  const set = (i: number): number[] => [0x21, i];
  const ADD = simd(240), SUB = simd(241), MUL = simd(242), STORE = simd(11);
  // Locals: params 0–3 (table of each frame), then i, the coefficients, and per vector v: x, y, the
  // energy, s1 (a) and s2 (b) of each filter.
  const I = BATCH, C = I + 1;
  const X = (v: number): number => C + NF + v * (3 + 2 * NF);
  const Y = (v: number): number => X(v) + 1;
  const E = (v: number): number => X(v) + 2;
  const A = (v: number): number => X(v) + 3;
  const B = (v: number): number => A(v) + NF;
  const locals = X(VECS) - I;
  // Address of frame f's sample at i + k in its table: table + 8·frame[i + k].
  const addrOf = (f: number, k: number): number[] => [
    ...get(I), 0x2d, 0, ...uleb(K_FRAMES + 1024 * f + k), // i32.load8_u
    0x41, 3, 0x74, ...get(f), 0x6a, // << 3, + table
  ];
  // The samples at i + k of vector v's two frames, into local `to`; energy += x·x.
  const sample = (v: number, k: number, to: number): number[] => [
    ...addrOf(2 * v + 1, k), ...addrOf(2 * v, k),
    ...simd(10), 3, 0, // v128.load64_splat: lane 0 (and 1)
    ...simd(87), 3, 0, 1, // v128.load64_lane 1
    0x22, to, // local.tee
    ...get(to), ...MUL, ...get(E(v)), ...ADD, ...set(E(v)),
  ];
  // s = x + c·s1 − s2, written into the variable that held s2 (see toneShare).
  const step = (x: number, from: number, to: number): number[] => {
    const out: number[] = [];
    for (let j = 0; j < NF; j++) out.push(...get(x), ...get(C + j), ...get(from + j), ...MUL, ...ADD, ...get(to + j), ...SUB, ...set(to + j));
    return out;
  };
  const body: number[] = [];
  for (let j = 0; j < NF; j++) {
    const c = new Uint8Array(new Float64Array([COEFF[j]!, COEFF[j]!]).buffer);
    body.push(...simd(12), ...c, ...set(C + j)); // v128.const
  }
  body.push(0x02, 0x40, 0x03, 0x40); // block, loop
  for (let v = 0; v < VECS; v++) body.push(...sample(v, 0, X(v)), ...sample(v, 1, Y(v)));
  for (let v = 0; v < VECS; v++) body.push(...step(X(v), A(v), B(v)));
  for (let v = 0; v < VECS; v++) body.push(...step(Y(v), B(v), A(v)));
  body.push(...get(I), 0x41, 2, 0x6a, 0x22, I, 0x41, ...uleb(FRAME), 0x48, 0x0d, 0, 0x0b, 0x0b); // i += 2; loop while i < FRAME
  for (let v = 0; v < VECS; v++) {
    for (let j = 0; j < NF; j++) {
      body.push(0x41, 0, ...get(A(v) + j), ...STORE, 4, ...uleb(K_OUT + 32 * (NF * v + j)));
      body.push(0x41, 0, ...get(B(v) + j), ...STORE, 4, ...uleb(K_OUT + 32 * (NF * v + j) + 16));
    }
    body.push(0x41, 0, ...get(E(v)), ...STORE, 4, ...uleb(K_ENERGY + 16 * v));
  }
  body.push(0x0b);
  const fn = [2, 1, 0x7f, ...uleb(locals - 1), 0x7b, ...body]; // locals: i (i32), the rest v128
  const section = (id: number, b: number[]): number[] => [id, ...uleb(b.length), ...b];
  const name = (t: string): number[] => [t.length, ...Array.from(t, (ch) => ch.charCodeAt(0))];
  const bin = new Uint8Array([
    0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [1, 0x60, BATCH, ...new Array<number>(BATCH).fill(0x7f), 0]), // type: (i32 × BATCH) → ()
    ...section(3, [1, 0]),
    ...section(5, [1, 0, 1]), // one page
    ...section(7, [2, ...name('run'), 0, 0, ...name('mem'), 2, 0]),
    ...section(10, [1, ...uleb(fn.length), ...fn]),
  ]);
  // The few WebAssembly members used (the compiler's library has no WebAssembly declarations).
  interface Wasm {
    Module: new (bytes: Uint8Array) => object;
    Instance: new (module: object) => { exports: Record<string, unknown> };
  }
  const wasm = (globalThis as { WebAssembly?: Wasm }).WebAssembly;
  if (wasm === undefined) return undefined;
  try {
    const inst = new wasm.Instance(new wasm.Module(bin));
    const mem = inst.exports['mem'] as { buffer: ArrayBuffer };
    const view = new DataView(mem.buffer);
    for (let i = 0; i < 256; i++) {
      view.setFloat64(K_ULAW + 8 * i, ULAW[i]!, true);
      view.setFloat64(K_ALAW + 8 * i, ALAW[i]!, true);
    }
    const f64 = new Float64Array(mem.buffer);
    // The lanes are read as doubles of the platform's byte order: little-endian only.
    if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) return undefined;
    return { run: inst.exports['run'] as BatchKernel['run'], bytes: new Uint8Array(mem.buffer), f64 };
  } catch {
    return undefined;
  }
}

const SIMD_KERNEL = buildBatchKernel();
let batchKernel = SIMD_KERNEL;

/**
 * Tests: 'simd' (the default where WebAssembly SIMD works) or 'js' (the one-frame scalar kernel, the
 * fallback). Returns whether the kernel asked for is in use.
 */
export function useRingbackKernel(kind: 'simd' | 'js'): boolean {
  RingbackDetector.flushPending();
  batchKernel = kind === 'simd' ? SIMD_KERNEL : undefined;
  return (batchKernel !== undefined) === (kind === 'simd');
}

/**
 * Goertzel detector over 100 ms frames. Feed G.711 payloads; it stops after RINGBACK_WINDOW_SEC.
 * The result is the share of the non-silent frames where a ringback frequency dominates the frame
 * energy: a ringback signal is tone bursts and silent gaps (1 s on / 4 s off, 2 s on / 4 s off…), so
 * counting only the frames that carry sound makes the measure independent of the cadence: played
 * ringback gives ≈ 1, speech ≈ 0.
 */
export class RingbackDetector {
  /**
   * The current frame's G.711 bytes, copied as they come (TypedArray#set: a memcpy, several times
   * cheaper than a byte loop). Taken from a pool on the first byte and given back once the window is
   * full or the result is taken (a typed array of this size is an off-heap allocation: too dear per
   * answered call).
   */
  private raw: Uint8Array | undefined;
  /** Frames analysed at most: the window's, or none more once the result was taken. */
  private maxFrames = MAX_FRAMES;
  /** Decoding table of the frame's bytes. */
  private table: Int16Array = ULAW;
  /** Decoded samples of a frame whose payload type changed inside it (rare), else undefined. */
  private mixed: Int16Array | undefined;
  private n = 0;
  /**
   * Whether the last frame was voiced (as far as known: a waiting frame counts as voiced). Sound and
   * silence come in runs of frames, so a frame after a voiced one goes straight to the filters (its
   * energy comes with them; wasted only on the first silent frame of a run); a frame after a silent
   * one is measured first (a table read per sample) and filtered only when voiced.
   */
  private lastVoiced = false;
  frames = 0;
  private voiced = 0;
  private tone = 0;
  /** Frames of this detector waiting for the batch kernel (see `flushPending`). */
  private pending = 0;

  /** The detectors whose frames wait in the kernel (frame f at K_FRAMES + 1024·f), and the frames' tables. */
  private static readonly waiting: RingbackDetector[] = [];
  private static readonly waitingTables = [K_ULAW, K_ULAW, K_ULAW, K_ULAW];

  /** Frames above the silence threshold. */
  get voicedFrames(): number {
    if (this.pending !== 0) RingbackDetector.flushPending();
    return this.voiced;
  }

  /** Voiced frames where a ringback frequency holds at least TONE_SHARE of the energy. */
  get toneFrames(): number {
    if (this.pending !== 0) RingbackDetector.flushPending();
    return this.tone;
  }

  get done(): boolean {
    return this.frames >= MAX_FRAMES;
  }

  /** Feeds G.711 bytes (pt 0 = PCMU, 8 = PCMA) from `off`. */
  feed(d: Uint8Array, off: number, end: number, pt: number): void {
    if (this.frames >= this.maxFrames || off >= end) return;
    const table = pt === 0 ? ULAW : ALAW;
    const raw = (this.raw ??= framePool.pop() ?? new Uint8Array(FRAME));
    let n = this.n;
    let i = off;
    while (i < end) {
      if (n === 0) {
        this.table = table;
        this.mixed = undefined;
      } else if (table !== this.table && this.mixed === undefined) {
        // The payload type changed inside the frame: decode what came so far, then continue decoded.
        const mx = new Int16Array(FRAME);
        for (let j = 0; j < n; j++) mx[j] = this.table[raw[j]!]!;
        this.mixed = mx;
      }
      const k = Math.min(end - i, FRAME - n);
      const mx = this.mixed;
      if (mx === undefined) {
        if (k >= 32) raw.set(d.subarray(i, i + k), n);
        else for (let j = 0; j < k; j++) raw[n + j] = d[i + j]!;
      } else {
        for (let j = 0; j < k; j++) mx[n + j] = table[d[i + j]!]!;
      }
      i += k;
      n += k;
      if (n === FRAME) {
        this.closeFrame(raw, mx);
        n = 0;
        this.mixed = undefined;
        if (this.frames >= MAX_FRAMES) {
          if (framePool.length < FRAME_POOL_MAX) framePool.push(raw);
          this.raw = undefined;
          break;
        }
      }
    }
    this.n = n;
  }

  /**
   * Energy first (or with the filters, after a voiced frame); the filters decide only voiced frames.
   * The frame is `raw` decoded by this.table, or the samples `mixed`.
   */
  private closeFrame(raw: Uint8Array, mixed: Int16Array | undefined): void {
    this.frames++;
    if (mixed !== undefined) {
      this.count(toneShareOfSamples(mixed), sharedEnergy);
      return;
    }
    if (!this.lastVoiced) {
      if (!(frameEnergy(raw, this.table === ULAW ? ULAW_SQ : ALAW_SQ) / FRAME > SILENCE_MS)) return;
      this.lastVoiced = true;
    }
    const k = batchKernel;
    if (k === undefined) {
      this.count(toneShare(raw, this.table), sharedEnergy);
      return;
    }
    const waiting = RingbackDetector.waiting;
    const f = waiting.length;
    k.bytes.set(raw, K_FRAMES + 1024 * f);
    RingbackDetector.waitingTables[f] = this.table === ULAW ? K_ULAW : K_ALAW;
    waiting.push(this);
    this.pending++;
    if (f + 1 === BATCH) RingbackDetector.flushPending();
  }

  /** Filters the waiting frames (fewer than BATCH: the other lanes hold whatever was there before). */
  static flushPending(): void {
    const waiting = RingbackDetector.waiting;
    const k = batchKernel;
    if (waiting.length === 0 || k === undefined) return;
    const t = RingbackDetector.waitingTables;
    k.run(t[0]!, t[1]!, t[2]!, t[3]!);
    for (let f = 0; f < waiting.length; f++) {
      const det = waiting[f]!;
      det.pending--;
      det.countFrame(k.f64, f);
    }
    waiting.length = 0;
  }

  /** Counts frame `f` of the batch kernel's pass, with the arithmetic of `toneShare`. */
  private countFrame(f64: Float64Array, f: number): void {
    const o = (K_OUT + 32 * COEFF.length * (f >> 1)) / 8 + (f & 1);
    const best = Math.max(
      0,
      power(f64[o]!, f64[o + 2]!, C0),
      power(f64[o + 4]!, f64[o + 6]!, C1),
      power(f64[o + 8]!, f64[o + 10]!, C2),
      power(f64[o + 12]!, f64[o + 14]!, C3),
      power(f64[o + 16]!, f64[o + 18]!, C4),
    );
    const energy = f64[(K_ENERGY + 16 * (f >> 1)) / 8 + (f & 1)]!;
    this.count(shareOf(best, energy), energy);
  }

  /** A filtered frame: silent (the next frame is measured first), or voiced, and tone or not. */
  private count(share: number, energy: number): void {
    if (!(energy / FRAME > SILENCE_MS)) {
      this.lastVoiced = false;
      return;
    }
    this.voiced++;
    if (share >= TONE_SHARE) this.tone++;
  }

  /**
   * Share of the non-silent analysed frames with ringback tone (0 when all were silent), or undefined
   * when no full frame was seen. Ends the analysis (the call is over): later feeds are ignored, and
   * the frame buffer goes back to the pool.
   */
  result(): number | undefined {
    const raw = this.raw;
    if (raw !== undefined) {
      if (framePool.length < FRAME_POOL_MAX) framePool.push(raw);
      this.raw = undefined;
    }
    this.maxFrames = 0;
    if (this.frames === 0) return undefined;
    if (this.pending !== 0) RingbackDetector.flushPending();
    return this.voiced === 0 ? 0 : this.tone / this.voiced;
  }
}
