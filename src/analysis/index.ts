/**
 * Analysis: mergeable aggregates of call records → per-route metrics, time buckets, 486 spikes,
 * false busy and FAS heuristics (definitions in docs/analysis.md).
 */
export { Aggregator, ADD_TIME_THRESHOLDS, MAX_BUCKET_STATS, type AnalysisOptions } from './aggregate.js';
export { finish, TOTAL_ROUTE, MAX_DENSE_BUCKETS, type FinishContext } from './finish.js';
export { DEFAULT_THRESHOLDS, resolveThresholds, type Thresholds, type ThresholdName } from './thresholds.js';
export { BUCKET_SIZES, BASE_BUCKET_MS, BASE_LEVELS_MS, chooseBucket, parseBucket, type BucketName } from './buckets.js';
export { normalizeNumber } from './falsebusy.js';
export { routeMetrics } from './metrics.js';
export type * from './result.js';
