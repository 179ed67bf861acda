/**
 * Strings from line bytes without churn: the names a log repeats on many lines (peers, channels, reason
 * phrases, addresses, dialled numbers) come back as the same string instance, found by a hash of the bytes.
 *
 * A fixed table of 2^bits slots: a slot holds the last string whose bytes hashed there (with its hash and a
 * copy of its bytes as 32-bit words, so that a hit is confirmed by compares four bytes a step, not string
 * reads), so memory is bounded whatever the input and a miss only costs the decoding it would have cost
 * anyway. Only ASCII text is cached; anything else is decoded each time.
 */
import { i32le } from '../net/bytes.js';

/** Case-preserving bytes of an ASCII literal. */
export function ascii(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'latin1'));
}

/** The UTF-8 text of b[s, e) (lines are Buffer views: no wrapper per call). */
export function str(b: Uint8Array, s: number, e: number): string {
  if (e <= s) return '';
  // Buffer's own decoder without toString's argument checks, called as a method (a `.call` through a
  // loaded function cost about 10 ns more per string).
  const v = b as Uint8Array & Partial<Slicers>;
  if (v.utf8Slice !== undefined) return v.utf8Slice(s, e);
  return Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('utf8');
}

/** ASCII bytes b[s, e) as text: Latin-1 decoding, the same text as UTF-8 for them and cheaper. */
function asciiStr(b: Uint8Array, s: number, e: number): string {
  const v = b as Uint8Array & Partial<Slicers>;
  if (v.latin1Slice !== undefined) return v.latin1Slice(s, e);
  return str(b, s, e);
}

interface Slicers {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}

/** Texts longer than this are decoded each time (a long text is rarely repeated, and hashing it costs). */
const MAX_CACHED = 96;
/** Words of a slot's bytes: the whole words of the longest text, and the word of its last 0–3 bytes. */
const SLOT_WORDS = MAX_CACHED / 4 + 1;

/** b[i, e) (0 to 3 bytes) as a little-endian word, missing bytes 0. */
function tailWord(b: Uint8Array, i: number, e: number): number {
  let x = 0;
  for (let j = e - 1; j >= i; j--) x = (x << 8) | b[j]!;
  return x;
}

export class ByteStrings {
  private readonly slots: Array<string | undefined>;
  /**
   * Per slot: the length of its text (0 when empty), the hash it was stored under, and its bytes as
   * little-endian words (SLOT_WORDS per slot: the whole words, then the word of the last bytes, 0 when none).
   */
  private readonly lens: Int32Array;
  private readonly hashes: Int32Array;
  private readonly words: Int32Array;
  private readonly mask: number;

  constructor(bits = 12) {
    this.slots = new Array<string | undefined>(1 << bits).fill(undefined);
    this.lens = new Int32Array(1 << bits);
    this.hashes = new Int32Array(1 << bits);
    this.words = new Int32Array((1 << bits) * SLOT_WORDS);
    this.mask = (1 << bits) - 1;
  }

  /** The UTF-8 text of b[s, e). */
  get(b: Uint8Array, s: number, e: number): string {
    const n = e - s;
    if (n <= 0) return '';
    if (n > MAX_CACHED) return str(b, s, e);
    // The hash reads the first byte and the last 12 at most (where names differ: `…-0000001a`, `…@peer`),
    // four at a time; a hit is confirmed on every byte, four a step, against the slot's own copy of its bytes
    // (no string access).
    let h = Math.imul(0x811c9dc5 ^ n, 0x01000193) ^ b[s]!;
    let i = n > 12 ? e - 12 : s;
    for (; i + 4 <= e; i += 4) h = Math.imul(h ^ i32le(b, i), 0x01000193);
    for (; i < e; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    const slot = (h ^ (h >>> 15)) & this.mask;
    const words = this.words;
    const base = slot * SLOT_WORDS;
    const whole = s + (n & ~3);
    if (this.lens[slot] === n && this.hashes[slot] === h) {
      let q = s;
      let w = base;
      while (q < whole && i32le(b, q) === words[w]) {
        q += 4;
        w++;
      }
      if (q === whole && tailWord(b, whole, e) === words[w]) return this.slots[slot]!;
    }
    // Copied into the slot while checking that the text is ASCII (anything else is decoded, not kept).
    let high = 0;
    let w = base;
    for (let q = s; q < whole; q += 4, w++) {
      const x = i32le(b, q);
      high |= x;
      words[w] = x;
    }
    const t = tailWord(b, whole, e);
    high |= t;
    words[w] = t;
    if ((high & 0x80808080) !== 0) {
      this.lens[slot] = 0;
      return str(b, s, e);
    }
    const v = asciiStr(b, s, e);
    this.slots[slot] = v;
    this.lens[slot] = n;
    this.hashes[slot] = h;
    return v;
  }
}
