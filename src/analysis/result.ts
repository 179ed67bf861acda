/**
 * The analysis result: what `analyze` returns and every renderer takes.
 * Field names are stable (they are the JSON schema in `schema/analysis.schema.json`).
 * Ratios are 0..1; times are ISO 8601 strings; durations in seconds (…Sec) or milliseconds (…Ms).
 */
import type { InputAccounting } from '../types.js';

export interface Quantiles {
  count: number;
  medianMs: number | null;
  p95Ms: number | null;
  meanMs: number | null;
}

export interface CodeShare {
  code: number;
  count: number;
  share: number;
  /** Default reason phrase from the catalogue. */
  reason: string;
  /** One-line meaning from the catalogue (en). */
  meaning: string;
  /** Whether a failure with this code should be re-routed to another vendor. */
  reroutable: boolean | null;
}

export interface RouteMetrics {
  route: string;
  attempts: number;
  answered: number;
  /** Answered / attempts (ITU-T E.411). */
  asr: number | null;
  /** RFC 6076 §4.6 SER: answered / (attempts − 3xx). */
  ser: number | null;
  /** RFC 6076 §4.7 SEER: (200,480,486,600,603) / (attempts − 3xx). */
  seer: number | null;
  /** RFC 6076 §4.8 ISA: (408,500,503,504) / attempts. */
  isa: number | null;
  /** ITU-T E.425: answer, user busy, no answer, terminal reject / attempts. */
  ner: number | null;
  /** Average answered duration in seconds. */
  acdSec: number | null;
  /** Total answered minutes. */
  minutes: number;
  /** RFC 6076 §4.3.1 SRD/PDD of successful setups (to first 18x, or 200 when first). */
  pddSuccess: Quantiles;
  /** RFC 6076 §4.3.2 failed-session setup delay (to the 4xx/5xx/6xx final, 401/402/407 excluded). */
  pddFailure: Quantiles;
  /**
   * RFC 6076 §4.4 session disconnect delay (BYE → its final response) where seen. (RFC 6076 calls this SDD;
   * its SDT, §4.5, is the session duration, summarised here by acdSec and the short-call shares.)
   */
  sdt: Quantiles;
  /** Share of answered calls shorter than 10 s and 30 s. */
  shortUnder10s: number | null;
  shortUnder30s: number | null;
  /** Final status code → attempts. `0` stands for "no final response". */
  codes: Record<string, number>;
  codeMix: CodeShare[];
  /** Failures that a switch would re-route vs not (486 is not re-routed). */
  reroutable: number;
  notReroutable: number;
  /** What the final codes rest on: sip, q850, hangup-cause, disposition. */
  codeSources: Record<string, number>;
}

export interface BucketMetrics extends RouteMetrics {
  /** Bucket start and end (ISO 8601). */
  start: string;
  end: string;
}

export interface Spike {
  route: string;
  code: number;
  start: string;
  end: string;
  count: number;
  attempts: number;
  share: number;
  baselineShare: number;
  exampleCallIds: string[];
}

/**
 * Whether, and on which buckets, a route's busy share was judged for spikes. A route is judged on the
 * result's buckets when at least `spikeMinBaselineBuckets` + 1 of them hold `spikeMinAttempts` attempts,
 * else on the smallest round size from 5 minutes to a day where enough do, else not at all: then no spike
 * can be found on it, whatever happened (docs/analysis.md, "486 Busy Here spikes").
 */
export interface SpikeCheck {
  route: string;
  judged: boolean;
  /** The bucket size (seconds) the route was judged on; null when it was not judged. */
  bucketSec: number | null;
  /** Buckets of that size with at least `spikeMinAttempts` attempts (those judged), and their attempts. */
  buckets: number;
  attemptsJudged: number;
  /** The route's attempts with a start time (those in some bucket). */
  attempts: number;
  /** Why the route was not judged, or not on the result's buckets; absent when it was judged on them. */
  reason?: string;
}

export interface FalseBusy {
  callee: string;
  busyRoute: string;
  busyAt: string;
  answeredRoute: string;
  answeredAt: string;
  busyCallId: string;
  answeredCallId: string;
}

export interface FasSignal {
  /** Stable id: `no-ringing`, `short-pdd`, `ring-answer-cluster`, `short-calls`, `duration-cluster`, `asr-high-acd-low`, `no-rtp-after-answer`, `ringback-after-answer`. */
  id: string;
  /** Whether the measured value is beyond the threshold. */
  hit: boolean;
  value: number | null;
  threshold: number;
  calls: number;
  exampleCallIds: string[];
  text: string;
}

export interface FasResult {
  route: string;
  flagged: boolean;
  score: number;
  signals: FasSignal[];
}

export interface WireStats {
  /** Status code → number of response messages on the wire (retransmissions included). */
  responses: Record<string, number>;
  /** Method → number of request messages. */
  requests: Record<string, number>;
}

export interface AnalysisResult {
  tool: { name: 'sipscope'; version: string };
  generatedAt: string;
  inputs: InputAccounting[];
  wire: WireStats;
  /** Routes sorted worst ASR first. */
  routes: RouteMetrics[];
  totals: RouteMetrics;
  /** Bucket size in seconds and the per-route buckets. */
  bucketSec: number;
  buckets: Array<{ route: string; series: BucketMetrics[] }>;
  /** With --prefix-digits: metrics per route and destination prefix. */
  prefixes?: Array<RouteMetrics & { prefix: string }>;
  spikes: Spike[];
  /** Per route (in the order of `routes`): whether its spikes were judged, on which buckets, and why not. Absent in results made before it existed. */
  spikeChecks?: SpikeCheck[];
  falseBusy: FalseBusy[];
  /** How many false-busy pairs were found (the list above keeps the earliest 500). */
  falseBusyCount?: number;
  fas: FasResult[];
  /** Time span of the data (ISO 8601), null when there were no records. */
  span: { start: string; end: string } | null;
  /**
   * With a time window (`--since`/`--until`): its bounds (ISO 8601, null when open) and the call attempts
   * left out because they started before or after it, or have no time. Absent without a window.
   */
  window?: { since: string | null; until: string | null; leftOut: { before: number; after: number; undated: number } };
  /** Thresholds in force (defaults merged with options and config). */
  thresholds: Record<string, number>;
  /** Results of --fail-on, when given. */
  failures?: Array<{ rule: string; route?: string; detail: string }>;
}
