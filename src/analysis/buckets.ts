/**
 * Time buckets. Records are counted in fine base buckets (5 minutes, aligned to the Unix epoch, so
 * UTC-aligned) by their start time; any reported bucket size is a whole number of base buckets and is
 * derived after the fact, so the size can be chosen once the data's span is known.
 */
import { UsageError } from '../errors.js';

export const BASE_BUCKET_MS = 5 * 60_000;
/** Base bucket sizes the aggregator coarsens through when it holds too many counters. */
export const BASE_LEVELS_MS: readonly number[] = [BASE_BUCKET_MS, 15 * 60_000, 3_600_000, 86_400_000];

export const BUCKET_SIZES = { '5m': 300, '15m': 900, '1h': 3600, '1d': 86_400 } as const;
export type BucketName = keyof typeof BUCKET_SIZES;

/** Bucket size in seconds from a name (`5m`, `15m`, `1h`, `1d`) or a number of seconds. */
export function parseBucket(b: string | number): number {
  if (typeof b === 'number') {
    if (!Number.isInteger(b) || b <= 0 || (b * 1000) % BASE_BUCKET_MS !== 0) {
      throw new UsageError(`bucket must be a positive multiple of ${BASE_BUCKET_MS / 1000} s, not ${b}`);
    }
    return b;
  }
  const sec = (BUCKET_SIZES as Record<string, number>)[b];
  if (sec === undefined) throw new UsageError(`bucket must be one of ${Object.keys(BUCKET_SIZES).join(', ')}, not '${b}'`);
  return sec;
}

/**
 * Default bucket from the data's span, aiming at no more than ~170 points per series:
 * span ≤ 6 h → 5 min (≤ 72), ≤ 24 h → 15 min (≤ 96), ≤ 7 d → 1 h (≤ 168), longer → 1 day.
 */
export function chooseBucket(spanMs: number): number {
  const h = 3_600_000;
  if (spanMs <= 6 * h) return BUCKET_SIZES['5m'];
  if (spanMs <= 24 * h) return BUCKET_SIZES['15m'];
  if (spanMs <= 7 * 24 * h) return BUCKET_SIZES['1h'];
  return BUCKET_SIZES['1d'];
}

/** The reported bucket index of a base bucket (`bucketSec` is a multiple of the base). */
export function groupOf(base: number, baseMs: number, bucketSec: number): number {
  return Math.floor(base / ((bucketSec * 1000) / baseMs));
}

/** A requested bucket size made a whole multiple of the base, at least one base. */
export function fitBucket(bucketSec: number, baseMs: number): number {
  const baseSec = baseMs / 1000;
  return Math.max(1, Math.ceil(bucketSec / baseSec)) * baseSec;
}

export function bucketStartMs(index: number, bucketSec: number): number {
  return index * bucketSec * 1000;
}
