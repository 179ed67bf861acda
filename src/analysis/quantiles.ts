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
/** Up to this many bins, `sortedTableBins` sorts by insertion. */
const SMALL_SORT = 32;
/** What `SparseCounts.sortBins` fills (quantiles are computed one histogram at a time). */
let sortedBins = new Float64Array(256);
let sortedCounts = new Float64Array(256);

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
 * bins live in a small open-addressing table (multiplicative hash, linear probing, at most half full)
 * rather than a Map: one probe, no second lookup to write back, nothing allocated for an empty one.
 * The table is one plain array with each bin's key and count side by side, so that a probe reads one
 * cache line (the tables of a day's buckets do not stay in cache) and a table is one object to reach.
 * Bins that are not integers in 0..2^31 − 2 (only ever from odd JSON) go to a Map.
 * What callers see is order-free: `bins` is a snapshot Map, `ranked` and `toJSON` are sorted.
 */
export class SparseCounts {
  /** Slot s: t[2s] = bin + 1 (0: empty), t[2s + 1] = its count. */
  private t: number[] | undefined;
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
    let t = this.t;
    if (t === undefined) this.t = t = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const k = bin + 1;
    const mask = (t.length >> 1) - 1;
    for (let s = slotOf(bin, mask); ; s = (s + 1) & mask) {
      const x = t[2 * s];
      if (x === k) {
        t[2 * s + 1] += n;
        return;
      }
      if (x === 0) {
        t[2 * s] = k;
        t[2 * s + 1] = n;
        if (++this.used * 2 > t.length >> 1) this.grow();
        return;
      }
    }
  }

  /** Bins in the table. */
  get tableBins(): number {
    return this.used;
  }

  /**
   * Sizes an empty table for `bins` bins at once (a hint: a 5-minute bucket of a busy route fills a
   * few hundred delay bins, and growing there step by step cost more than the adds).
   */
  reserve(bins: number): void {
    if (this.t !== undefined || bins <= 4) return;
    let slots = 8;
    while (bins * 2 > slots) slots *= 2;
    this.t = zeros(2 * slots);
  }

  /** The count of a bin (0 when absent). */
  get(bin: number): number {
    if (!(bin >= 0 && bin <= MAX_TABLE_BIN && Math.floor(bin) === bin)) return this.other?.get(bin) ?? 0;
    const t = this.t;
    if (t === undefined) return 0;
    const k = bin + 1;
    const mask = (t.length >> 1) - 1;
    for (let s = slotOf(bin, mask); ; s = (s + 1) & mask) {
      const x = t[2 * s];
      if (x === k) return t[2 * s + 1];
      if (x === 0) return 0;
    }
  }

  /** Calls fn for each bin (in no particular order). */
  forEach(fn: (bin: number, n: number) => void): void {
    const t = this.t;
    if (t !== undefined) for (let i = 0; i < t.length; i += 2) if (t[i] !== 0) fn(t[i] - 1, t[i + 1]);
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

  /** Rebuilds the table with `slots` slots (a power of two, more than twice the bins). */
  private grow(slots = this.t!.length): void {
    const old = this.t!;
    const t = zeros(2 * slots);
    const mask = slots - 1;
    for (let i = 0; i < old.length; i += 2) {
      const k = old[i];
      if (k === 0) continue;
      let s = slotOf(k - 1, mask);
      while (t[2 * s] !== 0) s = (s + 1) & mask;
      t[2 * s] = k;
      t[2 * s + 1] = old[i + 1];
    }
    this.t = t;
  }

  merge(o: SparseCounts): void {
    const ot = o.t;
    if (ot !== undefined) {
      if (this.t === undefined) {
        // Into an empty table (grouping buckets, totals): a copy.
        this.t = ot.slice();
        this.used = o.used;
      } else {
        // Room for the union at once rather than doubling on the way; then no insert can need a grow,
        // and the other table's keys are valid table bins: the probe loop of addBin without its checks.
        let slots = this.t.length >> 1;
        while ((this.used + o.used) * 2 > slots) slots *= 2;
        if (slots > this.t.length >> 1) this.grow(slots);
        const t = this.t;
        const mask = (t.length >> 1) - 1;
        let used = this.used;
        for (let i = 0; i < ot.length; i += 2) {
          const k = ot[i];
          if (k === 0) continue;
          for (let s = slotOf(k - 1, mask); ; s = (s + 1) & mask) {
            const x = t[2 * s];
            if (x === k) {
              t[2 * s + 1] += ot[i + 1];
              break;
            }
            if (x === 0) {
              t[2 * s] = k;
              t[2 * s + 1] = ot[i + 1];
              used++;
              break;
            }
          }
        }
        this.used = used;
      }
    }
    if (o.other) for (const [bin, n] of o.other) this.addBin(bin, n);
    this.total += o.total;
  }

  /**
   * Puts the bins in ascending order in `sortedBins[0..n)`, their counts in `sortedCounts`, and returns
   * n; −1 when some bin is outside the table (odd JSON): callers then sort `entries()`. No [bin, count]
   * pairs are made: a few bins are insertion-sorted, more by a numeric typed-array sort.
   */
  sortBins(): number {
    if (this.other !== undefined) return -1;
    const t = this.t;
    if (t === undefined) return 0;
    if (sortedBins.length < this.used) {
      sortedBins = new Float64Array(Math.max(this.used, sortedBins.length * 2));
      sortedCounts = new Float64Array(sortedBins.length);
    }
    const bins = sortedBins;
    const cs = sortedCounts;
    if (this.used > SMALL_SORT) {
      let n = 0;
      let lo = MAX_TABLE_BIN;
      let hi = -1;
      for (let i = 0; i < t.length; i += 2) {
        const k = t[i];
        if (k === 0) continue;
        bins[n++] = k - 1;
        if (k - 1 < lo) lo = k - 1;
        if (k - 1 > hi) hi = k - 1;
      }
      if (hi < DENSE_BINS && hi - lo < 8 * n) {
        // Small bins close together (delay bins are below 1,728): placed by value, read back in order.
        for (let i = 0; i < t.length; i += 2) {
          const k = t[i];
          if (k === 0) continue;
          placed[k - 1] = 1;
          placedCount[k - 1] = t[i + 1];
        }
        let j = 0;
        for (let b = lo; b <= hi; b++) {
          if (placed[b] === 0) continue;
          placed[b] = 0;
          bins[j] = b;
          cs[j++] = placedCount[b];
        }
        return n;
      }
      bins.subarray(0, n).sort();
      for (let i = 0; i < n; i++) cs[i] = this.get(bins[i]);
      return n;
    }
    let n = 0;
    for (let j = 0; j < t.length; j += 2) {
      const k = t[j];
      if (k === 0) continue;
      const bin = k - 1;
      let i = n++;
      while (i > 0 && bins[i - 1] > bin) {
        bins[i] = bins[i - 1];
        cs[i] = cs[i - 1];
        i--;
      }
      bins[i] = bin;
      cs[i] = t[j + 1];
    }
    return n;
  }

  /** Adds these counts to a running sum (see CountsSum). */
  addTo(sum: CountsSum): void {
    const t = this.t;
    if (t !== undefined) {
      for (let i = 0; i < t.length; i += 2) {
        const k = t[i];
        if (k !== 0) sum.addDense(k - 1, t[i + 1]);
      }
    }
    if (this.other) for (const [bin, n] of this.other) sum.addOther(bin, n);
    sum.total += this.total;
  }

  /** Fills an empty table from a sum (the table sized once); the sum is left empty. */
  takeFrom(sum: CountsSum): void {
    const n = sum.touched.length;
    if (n > 0) {
      let slots = 8;
      while (n * 2 > slots) slots *= 2;
      this.t = zeros(2 * slots);
      for (let i = 0; i < n; i++) this.addBin(sum.touched[i], sum.dense[sum.touched[i]]);
    }
    if (sum.other) for (const [bin, c] of sum.other) this.addBin(bin, c);
    this.total = sum.total;
    sum.clear();
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

/** Bins below this are summed in a dense array by CountsSum (delay bins are below 1,728, SIP codes below 700). */
const DENSE_BINS = 4096;
/** Scratch of `sortBins` for bins below DENSE_BINS: a flag and the count per bin (flags left all 0). */
const placed = new Uint8Array(DENSE_BINS);
const placedCount = new Float64Array(DENSE_BINS);

/**
 * A sum of many SparseCounts (a route's buckets into its total or into hourly groups): each one is
 * added bin by bin into a dense array (no probing, no table growing on the way), and `takeFrom` makes
 * one table of the result. The bins and counts are those `merge` gives; only the table's layout (which
 * nothing reads in order) differs. Reused: `takeFrom` empties it.
 */
export class CountsSum {
  /** A plain array, not a Float64Array: counts read from it stay small integers in the tables made. */
  readonly dense: number[] = zeros(DENSE_BINS);
  /** Bins present (in first-seen order) and a flag per dense bin (a bin may have a count of 0). */
  readonly touched: number[] = [];
  private readonly seen = new Uint8Array(DENSE_BINS);
  /** Bins outside the dense range or not table bins. */
  other: Map<number, number> | undefined;
  total = 0;

  /** `bin` is a table bin: an integer in 0..MAX_TABLE_BIN. */
  addDense(bin: number, n: number): void {
    if (bin >= DENSE_BINS) return this.addOther(bin, n);
    if (this.seen[bin] === 0) {
      this.seen[bin] = 1;
      this.touched.push(bin);
      this.dense[bin] = n;
    } else this.dense[bin] += n;
  }

  addOther(bin: number, n: number): void {
    const o = (this.other ??= new Map());
    o.set(bin, (o.get(bin) ?? 0) + n);
  }

  clear(): void {
    for (const b of this.touched) {
      this.seen[b] = 0;
      this.dense[b] = 0;
    }
    this.touched.length = 0;
    this.other = undefined;
    this.total = 0;
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
    let median: number | null | undefined;
    let p95: number | null | undefined;
    const nb = this.counts.sortBins();
    if (nb >= 0) {
      // quantilesOf for [0.5, 0.95] without its arrays.
      const r50 = Math.max(1, Math.ceil(0.5 * n));
      const r95 = Math.max(1, Math.ceil(0.95 * n));
      let seen = 0;
      for (let i = 0; i < nb; i++) {
        seen += sortedCounts[i];
        if (median === undefined && seen >= r50) median = logBinValue(sortedBins[i]);
        if (seen >= r95) {
          p95 = logBinValue(sortedBins[i]);
          break;
        }
      }
    } else [median, p95] = quantilesOf(this, [0.5, 0.95]);
    return { count: n, medianMs: round1(median ?? null), p95Ms: round1(p95 ?? null), meanMs: round1(this.sum / n) };
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
  const nb = h.counts.sortBins();
  if (nb >= 0) {
    const out: Array<number | null> = [];
    let qi = 0;
    let seen = 0;
    for (let i = 0; i < nb; i++) {
      seen += sortedCounts[i];
      while (qi < qs.length && seen >= Math.max(1, Math.ceil(qs[qi] * n))) {
        out.push(logBinValue(sortedBins[i]));
        qi++;
      }
      if (qi === qs.length) break;
    }
    return out;
  }
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
