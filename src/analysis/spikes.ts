/**
 * 486 Busy Here (and 600 Busy Everywhere) spikes: a bucket where a route's busy share rises well
 * above the route's own baseline. Robust statistics, so that the spike itself and a few odd buckets
 * do not move the baseline: the baseline is the median share of the route's other buckets and the
 * spread is their median absolute deviation scaled to a standard deviation (× 1.4826), floored by
 * `spikeSpreadFloor` and by the bucket's own binomial noise √(p(1−p)/n), where p is the baseline
 * smoothed as (baseline·n + 1)/(n + 2).
 *
 * A bucket is a spike when it has at least `spikeMinAttempts` attempts, its share is at least
 * `spikeK` spreads above the baseline, and at least `spikeMinIncrease` above it in absolute terms.
 * Adjacent spike buckets are reported as one spike.
 *
 * Which buckets a route is judged on (the report's, or another round size when those hold too few
 * attempts), and why, is the route's SpikeCheck: see `judgeSpikes` in finish.ts.
 */
import { median } from './quantiles.js';
import type { Spike } from './result.js';
import type { Thresholds } from './thresholds.js';

export interface BusyBucket {
  /** Bucket index (bucket start = index × bucketSec). */
  index: number;
  attempts: number;
  c486: number;
  c600: number;
  examples: string[];
}

/** Above this many buckets the baseline includes the bucket itself (as it always has, for the same results). */
const EXACT_LEAVE_ONE_OUT = 1000;
const MAD_TO_SD = 1.4826;
const MAX_EXAMPLES = 5;

interface Judged {
  b: BusyBucket;
  share: number;
  baseline: number;
}

export function baselineOf(shares: number[]): { base: number; spread: number } {
  const base = median(shares) ?? 0;
  const mad = median(shares.map((s) => Math.abs(s - base))) ?? 0;
  return { base, spread: MAD_TO_SD * mad };
}

/**
 * The baseline of every bucket but one, for each bucket: the same numbers as baselineOf over the
 * others, in O(n log n) for all of them instead of a sort per bucket. Leaving one value out of a
 * sorted list moves its median by at most one place, so the median of the others is read off the
 * sorted whole; it takes at most three values, and for each the sorted deviations are made once and
 * the left-out bucket's deviation is skipped the same way.
 */
export function leaveOneOutBaselines(shares: readonly number[]): Array<{ base: number; spread: number }> {
  const sorted = [...shares].sort((a, b) => a - b);
  const deviations = new Map<number, number[]>();
  return shares.map((v) => {
    const base = medianWithout(sorted, lowerBound(sorted, v)) ?? 0;
    let dev = deviations.get(base);
    if (!dev) deviations.set(base, (dev = sorted.map((s) => Math.abs(s - base)).sort((a, b) => a - b)));
    const mad = medianWithout(dev, lowerBound(dev, Math.abs(v - base))) ?? 0;
    return { base, spread: MAD_TO_SD * mad };
  });
}

/** First index of a sorted array whose value is not below v. */
function lowerBound(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The median (as `median` computes it) of a sorted array without its element k; null when nothing is left. */
function medianWithout(sorted: readonly number[], k: number): number | null {
  const n = sorted.length - 1;
  if (n <= 0) return null;
  const at = (j: number): number => (j < k ? sorted[j] : sorted[j + 1]);
  const m = n >> 1;
  return n % 2 ? at(m) : (at(m - 1) + at(m)) / 2;
}

/**
 * Sizes (seconds) a route's busy share may be judged on when the report's buckets hold too few attempts:
 * round, UTC-aligned durations from 5 minutes to a day, smallest first (a spike is an event of minutes to
 * hours: a longer bucket would dilute it into the day).
 */
export const SPIKE_BUCKETS_SEC: readonly number[] = [300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/**
 * A route is judged on buckets whose judged ones (those reaching spikeMinAttempts) hold at least this share of
 * its attempts, when some size has them: a baseline made of a route's few busiest buckets (often the spike
 * itself) is no baseline.
 */
export const SPIKE_MIN_COVERAGE = 0.5;

/** Whether a bucket of this many attempts is judged (and may be part of a baseline). */
export function spikeEligible(attempts: number, t: Thresholds): boolean {
  return attempts >= t.spikeMinAttempts && attempts > 0;
}

/** Whether buckets with these attempts are enough to judge a route: one bucket and its baseline. */
export function spikeJudgeable(attempts: Iterable<number>, t: Thresholds): boolean {
  let n = 0;
  for (const a of attempts) if (spikeEligible(a, t)) n++;
  return n >= t.spikeMinBaselineBuckets + 1;
}

/** Spikes of one route; `buckets` are its non-empty buckets in any order. */
export function findSpikes(route: string, buckets: readonly BusyBucket[], bucketSec: number, t: Thresholds): Spike[] {
  const eligible = buckets.filter((b) => spikeEligible(b.attempts, t)).sort((a, b) => a.index - b.index);
  if (eligible.length < t.spikeMinBaselineBuckets + 1) return [];
  const shares = eligible.map((b) => (b.c486 + b.c600) / b.attempts);
  const whole = eligible.length > EXACT_LEAVE_ONE_OUT ? baselineOf(shares) : undefined;
  const others = whole ? undefined : leaveOneOutBaselines(shares);
  const hits: Judged[] = [];
  for (let i = 0; i < eligible.length; i++) {
    const b = eligible[i];
    const { base, spread } = whole ?? others![i];
    const share = shares[i];
    // Binomial noise of this bucket's share around the baseline; the baseline is smoothed by one
    // busy in n+2 attempts so that a zero baseline does not make a few busies look impossible.
    const p = (base * b.attempts + 1) / (b.attempts + 2);
    const noise = Math.sqrt((p * (1 - p)) / b.attempts);
    const sd = Math.max(spread, t.spikeSpreadFloor, noise);
    if (share - base >= t.spikeK * sd && share - base >= t.spikeMinIncrease) hits.push({ b, share, baseline: base });
  }
  // Adjacent spike buckets form one spike. Buckets between two spike buckets that are elevated by at
  // least spikeMinIncrease (a hysteresis: strict to start a spike, looser to continue one) join it
  // instead of splitting it in two.
  const byIndex = new Map(buckets.map((b) => [b.index, b]));
  const out: Spike[] = [];
  let run: Judged[] = [];
  const flush = (): void => {
    if (run.length === 0) return;
    out.push(merged(route, run, bucketSec));
    run = [];
  };
  for (const h of hits) {
    const prev = run.length > 0 ? run[run.length - 1] : undefined;
    if (prev && h.b.index !== prev.b.index + 1) {
      const gap = bridge(byIndex, prev.b.index, h.b.index, Math.max(prev.baseline, h.baseline) + t.spikeMinIncrease);
      if (gap) run.push(...gap.map((b) => ({ b, share: (b.c486 + b.c600) / b.attempts, baseline: prev.baseline })));
      else flush();
    }
    run.push(h);
  }
  flush();
  return out;
}

/** The buckets strictly between two spike buckets when all are elevated; else undefined. */
function bridge(byIndex: Map<number, BusyBucket>, from: number, to: number, minShare: number): BusyBucket[] | undefined {
  const gap: BusyBucket[] = [];
  for (let i = from + 1; i < to; i++) {
    const b = byIndex.get(i);
    if (!b || b.attempts === 0 || (b.c486 + b.c600) / b.attempts < minShare) return undefined;
    gap.push(b);
  }
  return gap;
}

function merged(route: string, run: Judged[], bucketSec: number): Spike {
  let c486 = 0;
  let c600 = 0;
  let attempts = 0;
  let baseSum = 0;
  const examples: string[] = [];
  for (const { b, baseline } of run) {
    c486 += b.c486;
    c600 += b.c600;
    attempts += b.attempts;
    baseSum += baseline * b.attempts;
    for (const id of b.examples) if (examples.length < MAX_EXAMPLES && !examples.includes(id)) examples.push(id);
  }
  const count = c486 + c600;
  const first = run[0].b.index;
  const last = run[run.length - 1].b.index;
  return {
    route,
    code: c600 > c486 ? 600 : 486,
    start: new Date(first * bucketSec * 1000).toISOString(),
    end: new Date((last + 1) * bucketSec * 1000).toISOString(),
    count,
    attempts,
    share: Math.round((count / attempts) * 10_000) / 10_000,
    baselineShare: Math.round((baseSum / attempts) * 10_000) / 10_000,
    exampleCallIds: examples,
  };
}
