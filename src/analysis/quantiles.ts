/**
 * Mergeable histograms. Merging is adding counts bin by bin, so a median or p95 computed after any
 * number of merges is the same as one computed over all values at once.
 *
 * `LogHistogram` (delays in ms) has a fixed layout: integer milliseconds below 128 ms are exact;
 * above, each power of two is split into 64 bins, so a reported quantile is within 1/128 (0.8 %)
 * of the true value (the bin's midpoint is reported). Values are clamped to 2^32 − 1 ms (~50 days).
 * `SparseCounts` is a plain value → count map with a fixed bin width (durations at 1 s, ring→answer
 * at 100 ms); only bins that occur cost memory.
 */
import type { Quantiles } from './result.js';

const MAX_TABLE_BIN = 0x7ffffffe;

/**
 * Home slot of a bin: bins come in dense runs (delays of a few seconds are hundreds of adjacent bins),
 * which the identity would lay out as one long cluster that every miss walks; a multiplicative hash
 * spreads them.
 */
function slotOf(bin: number, mask: number): number {
  const h = Math.imul(bin, 0x9e3779b1);
  return (h ^ (h >>> 15)) & mask;
}

/** n zeros with fast elements (`new Array(n)` past ~100,000 would be a dictionary-mode array). */
function zeros(n: number): number[] {
  if (n <= 65_536) return new Array<number>(n).fill(0);
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(0);
  return a;
}

/**
 * value → count, keyed by an integer bin. Adding is on every record (delays, durations, codes), so the
 * bins live in a small open-addressing table of plain arrays (multiplicative hash, linear probing, at
 * most half full) rather than a Map: one probe, no second lookup to write back, nothing allocated for an
 * empty one. Bins that are not integers in 0..2^31 − 2 (only ever from odd JSON) go to a Map.
 * What callers see is order-free: `bins` is a snapshot Map, `ranked` and `toJSON` are sorted.
 */
export class SparseCounts {
  /** Slot → bin + 1 (0: empty). */
  private keys: number[] | undefined;
  private counts: number[] | undefined;
  private used = 0;
  private other: Map<number, number> | undefined;
  total = 0;

  add(bin: number, n = 1): void {
    this.total += n;
    this.addBin(bin, n);
  }

  private addBin(bin: number, n: number): void {
    if (!(bin >= 0 && bin <= MAX_TABLE_BIN && Math.floor(bin) === bin)) {
      const o = (this.other ??= new Map());
      o.set(bin, (o.get(bin) ?? 0) + n);
      return;
    }
    let keys = this.keys;
    if (keys === undefined) {
      this.keys = keys = [0, 0, 0, 0, 0, 0, 0, 0];
      this.counts = [0, 0, 0, 0, 0, 0, 0, 0];
    }
    const k = bin + 1;
    const mask = keys.length - 1;
    for (let s = slotOf(bin, mask); ; s = (s + 1) & mask) {
      const x = keys[s];
      if (x === k) {
        this.counts![s] += n;
        return;
      }
      if (x === 0) {
        keys[s] = k;
        this.counts![s] = n;
        if (++this.used * 2 > keys.length) this.grow();
        return;
      }
    }
  }

  /** The count of a bin (0 when absent). */
  get(bin: number): number {
    if (!(bin >= 0 && bin <= MAX_TABLE_BIN && Math.floor(bin) === bin)) return this.other?.get(bin) ?? 0;
    const keys = this.keys;
    if (keys === undefined) return 0;
    const k = bin + 1;
    const mask = keys.length - 1;
    for (let s = slotOf(bin, mask); ; s = (s + 1) & mask) {
      const x = keys[s];
      if (x === k) return this.counts![s];
      if (x === 0) return 0;
    }
  }

  /** Calls fn for each bin (in no particular order). */
  forEach(fn: (bin: number, n: number) => void): void {
    const keys = this.keys;
    if (keys !== undefined) {
      const counts = this.counts!;
      for (let s = 0; s < keys.length; s++) if (keys[s] !== 0) fn(keys[s] - 1, counts[s]);
    }
    if (this.other) for (const [bin, n] of this.other) fn(bin, n);
  }

  /** [bin, count] pairs (in no particular order). */
  entries(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    this.forEach((bin, n) => out.push([bin, n]));
    return out;
  }

  /** The bins and their counts (a snapshot). */
  get bins(): Map<number, number> {
    const m = new Map<number, number>();
    this.forEach((bin, n) => m.set(bin, n));
    return m;
  }

  /** Rebuilds the table with `size` slots (a power of two, more than twice the bins). */
  private grow(size = this.keys!.length * 2): void {
    const oldKeys = this.keys!;
    const oldCounts = this.counts!;
    const keys = zeros(size);
    const counts = zeros(size);
    const mask = size - 1;
    for (let i = 0; i < oldKeys.length; i++) {
      const k = oldKeys[i];
      if (k === 0) continue;
      let s = slotOf(k - 1, mask);
      while (keys[s] !== 0) s = (s + 1) & mask;
      keys[s] = k;
      counts[s] = oldCounts[i];
    }
    this.keys = keys;
    this.counts = counts;
  }

  merge(o: SparseCounts): void {
    const keys = o.keys;
    if (keys !== undefined) {
      const counts = o.counts!;
      if (this.keys === undefined) {
        // Into an empty table (grouping buckets, totals): a copy.
        this.keys = keys.slice();
        this.counts = counts.slice();
        this.used = o.used;
      } else {
        // Room for the union at once rather than doubling on the way.
        let size = this.keys.length;
        while ((this.used + o.used) * 2 > size) size *= 2;
        if (size > this.keys.length) this.grow(size);
        for (let s = 0; s < keys.length; s++) if (keys[s] !== 0) this.addBin(keys[s] - 1, counts[s]);
      }
    }
    if (o.other) for (const [bin, n] of o.other) this.addBin(bin, n);
    this.total += o.total;
  }

  /** Bins sorted by count, largest first (ties: smaller bin first). */
  ranked(): Array<[number, number]> {
    return this.entries().sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  }

  toJSON(): Array<[number, number]> {
    return this.entries().sort((a, b) => a[0] - b[0]);
  }

  static fromJSON(j: unknown): SparseCounts {
    const s = new SparseCounts();
    if (!Array.isArray(j)) throw new TypeError('SparseCounts: expected an array of [bin, count]');
    for (const pair of j) {
      if (!Array.isArray(pair) || typeof pair[0] !== 'number' || typeof pair[1] !== 'number') {
        throw new TypeError('SparseCounts: bad [bin, count] pair');
      }
      s.add(pair[0], pair[1]);
    }
    return s;
  }
}

const EXACT_BELOW = 128;
const SUB_BITS = 6; // 64 bins per power of two
const SUB = 1 << SUB_BITS;
const MAX_VALUE = 0xffffffff;

/** Bin index of a non-negative value in ms. */
export function logBin(ms: number): number {
  let x = Math.floor(ms);
  if (x < EXACT_BELOW) return x < 0 ? 0 : x;
  if (x > MAX_VALUE) x = MAX_VALUE;
  const e = 31 - Math.clz32(x); // 2^e <= x < 2^(e+1), e >= 7
  const sub = (x >>> (e - SUB_BITS)) - SUB; // 0..63
  return EXACT_BELOW + (e - 7) * SUB + sub;
}

/** Lowest integer value of a bin and its width. */
function binRange(bin: number): [number, number] {
  if (bin < EXACT_BELOW) return [bin, 1];
  const k = bin - EXACT_BELOW;
  const e = 7 + Math.floor(k / SUB);
  const sub = k % SUB;
  const width = 2 ** (e - SUB_BITS);
  return [(SUB + sub) * width, width];
}

/** The value reported for a bin: the midpoint of the integers it holds. */
export function logBinValue(bin: number): number {
  const [lo, width] = binRange(bin);
  return lo + (width - 1) / 2;
}

/** Histogram of delays in ms (PDD/SRD, SDT) with an exact count and sum. */
export class LogHistogram {
  readonly counts = new SparseCounts();
  sum = 0;

  get count(): number {
    return this.counts.total;
  }

  add(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) return;
    this.counts.add(logBin(ms));
    this.sum += ms;
  }

  merge(o: LogHistogram): void {
    this.counts.merge(o.counts);
    this.sum += o.sum;
  }

  /** Nearest-rank quantile (q in 0..1], reported at the bin's midpoint; null when empty. */
  quantile(q: number): number | null {
    return quantilesOf(this, [q])[0] ?? null;
  }

  summary(): Quantiles {
    const n = this.count;
    if (n === 0) return { count: 0, medianMs: null, p95Ms: null, meanMs: null };
    const [median, p95] = quantilesOf(this, [0.5, 0.95]);
    return { count: n, medianMs: round1(median), p95Ms: round1(p95), meanMs: round1(this.sum / n) };
  }

  toJSON(): { bins: Array<[number, number]>; sum: number } {
    return { bins: this.counts.toJSON(), sum: this.sum };
  }

  static fromJSON(j: unknown): LogHistogram {
    const o = j as { bins?: unknown; sum?: unknown } | null;
    if (!o || typeof o.sum !== 'number') throw new TypeError('LogHistogram: expected { bins, sum }');
    const h = new LogHistogram();
    h.counts.merge(SparseCounts.fromJSON(o.bins));
    h.sum = o.sum;
    return h;
  }
}

function round1(v: number | null): number | null {
  return v === null ? null : Math.round(v * 10) / 10;
}

/** Nearest-rank quantiles for ascending qs; one pass over the sorted bins. */
function quantilesOf(h: LogHistogram, qs: number[]): Array<number | null> {
  const n = h.count;
  if (n === 0) return qs.map(() => null);
  const sorted = h.counts.entries().sort((a, b) => a[0] - b[0]);
  const out: Array<number | null> = [];
  let qi = 0;
  let seen = 0;
  for (const [bin, c] of sorted) {
    seen += c;
    while (qi < qs.length && seen >= Math.max(1, Math.ceil(qs[qi] * n))) {
      out.push(logBinValue(bin));
      qi++;
    }
    if (qi === qs.length) break;
  }
  return out;
}

/** Median of a numeric array (not modified); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
