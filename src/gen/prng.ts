/**
 * Deterministic pseudo-random numbers for generated traffic: the same seed gives the same
 * scenario and therefore the same bytes in every writer (mulberry32, a 32-bit state generator:
 * fast, small, and good enough for test traffic; not for anything secret).
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks a key by weight; weights need not sum to 1. */
  weighted<K extends string | number>(table: ReadonlyArray<readonly [K, number]>): K {
    let total = 0;
    for (const [, w] of table) total += w;
    let x = this.next() * total;
    for (const [k, w] of table) {
      x -= w;
      if (x < 0) return k;
    }
    return table[table.length - 1]![0];
  }

  /** Roughly log-normal positive value with the given median (spread ≈ multiplicative sigma). */
  logNormal(median: number, sigma: number): number {
    // Box–Muller on two uniforms; 1 - next() keeps log() away from 0.
    const u = 1 - this.next();
    const v = this.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(sigma * z);
  }

  /** Lower-case hex string of n random nibbles. */
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += HEX[Math.floor(this.next() * 16)];
    return s;
  }
}

const HEX = '0123456789abcdef';
