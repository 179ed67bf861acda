/**
 * The Aggregator folds CallRecords into mergeable counters: per route and base time bucket
 * (Stats), per route (FAS counters, examples), per route and destination prefix (with
 * `prefixDigits`), and a bounded per-callee memory for "false busy". `merge` adds two aggregators
 * (files, worker threads, days); `toJSON`/`fromJSON` carry one across a thread or a file.
 * Adding records in any order, in any split, and merging gives the same result as one pass.
 *
 * The base bucket is 5 minutes. When the (route, bucket) counters outnumber `maxBucketStats`
 * (weeks of data over many routes), the base is coarsened to 15 minutes, 1 hour, then 1 day by adding
 * buckets together, so memory stays bounded whatever the span; the reported buckets can then be no
 * finer than the base.
 */
import type { CallRecord } from '../types.js';
import { BASE_LEVELS_MS } from './buckets.js';
import { FalseBusyTracker, numberOffset } from './falsebusy.js';
import { FasCounters } from './fas.js';
import { hashId, Reservoir } from './reservoir.js';
import { classify, newClassified, Stats, StatsSum } from './stats.js';
import { resolveThresholds, type ThresholdName, type Thresholds } from './thresholds.js';

export interface AnalysisOptions {
  /** Reported bucket size: `5m`, `15m`, `1h`, `1d` or seconds (a multiple of 300); default from the span. */
  bucket?: '5m' | '15m' | '1h' | '1d' | number;
  /** Also group each route by the first N digits of the callee (after `+` / `00`). */
  prefixDigits?: number;
  /** Threshold overrides by name (see thresholds.ts). */
  thresholds?: Readonly<Record<string, number>>;
  /** Fixed `generatedAt` (reproducible output). */
  now?: Date;
  /** Coarsen the base bucket when there are more (route, bucket) counters than this. Default 50,000 (~65 MB). */
  maxBucketStats?: number;
  /**
   * Only call attempts that start at or after `since` and before `until` (epoch ms; either may be left out)
   * are analysed; the others, and attempts with no time when a window is set, are counted as left out.
   */
  since?: number;
  until?: number;
}

/** Call attempts left out by a time window (`since`/`until`). */
export interface LeftOut {
  before: number;
  after: number;
  /** Attempts with no time (console log excerpts): they cannot be placed in the window. */
  undated: number;
}

export const MAX_BUCKET_STATS = 50_000;
/** (route, prefix) groups kept; prefixes first seen after that are counted under OTHER_PREFIX. */
export const MAX_PREFIX_STATS = 20_000;
export const OTHER_PREFIX = 'other';

/** Thresholds applied while records are added (the rest apply in `finish`). */
export const ADD_TIME_THRESHOLDS: readonly ThresholdName[] = [
  'falseBusyWindowMin',
  'falseBusyMaxCallees',
  'fasShortAnswerMs',
  'fasNoRtpWindowMs',
  'fasNoRtpMinPackets',
  'fasRingbackTone',
];

const BUSY_EXAMPLES = 3;
const JSON_VERSION = 1;

export class RouteAgg {
  /** Base bucket index → counters. */
  readonly buckets = new Map<number, Stats>();
  /** Records whose start time is not a number. */
  undated: Stats | undefined;
  /** Base bucket index → example Call-IDs of 486/600 attempts. */
  readonly busyExamples = new Map<number, Reservoir>();
  readonly fas = new FasCounters();
  /** Destination prefix → counters (with prefixDigits). */
  readonly prefixes = new Map<string, Stats>();
  /** The bucket of the last record: consecutive records of a route mostly share one. */
  private lastBase = Number.NaN;
  private lastStats: Stats | undefined;

  bucket(base: number): Stats {
    if (base === this.lastBase && this.lastStats) return this.lastStats;
    let s = this.buckets.get(base);
    if (!s) {
      this.buckets.set(base, (s = new Stats()));
      if (this.lastStats) s.reserveLike(this.lastStats);
    }
    this.lastBase = base;
    return (this.lastStats = s);
  }

  /** The busy examples of a base bucket (the last one cached, like `bucket`). */
  private lastBusyBase = Number.NaN;
  private lastBusy: Reservoir | undefined;
  busyAt(base: number): Reservoir {
    if (base === this.lastBusyBase && this.lastBusy) return this.lastBusy;
    this.lastBusyBase = base;
    return (this.lastBusy = reservoirAt(this.busyExamples, base));
  }

  /** Re-keys the buckets to a base `factor` times coarser. */
  coarsen(factor: number): void {
    const buckets = [...this.buckets];
    const examples = [...this.busyExamples];
    this.buckets.clear();
    this.busyExamples.clear();
    for (const [k, s] of buckets) statsAt(this.buckets, Math.floor(k / factor)).merge(s);
    for (const [k, r] of examples) reservoirAt(this.busyExamples, Math.floor(k / factor)).merge(r);
    this.lastBase = Number.NaN;
    this.lastStats = undefined;
    this.lastBusyBase = Number.NaN;
    this.lastBusy = undefined;
  }

  /** All the route's counters added together (in bucket order, then the undated ones). */
  total(): Stats {
    const sum = (statsSum ??= new StatsSum());
    for (const b of this.buckets.values()) sum.add(b);
    if (this.undated) sum.add(this.undated);
    return sum.take();
  }

  /** Adds another route's counters; `factor` = this base / its base (its buckets may be finer). */
  merge(o: RouteAgg, factor = 1, prefixRoom = Infinity): void {
    for (const [k, b] of o.buckets) statsAt(this.buckets, Math.floor(k / factor)).merge(b);
    if (o.undated) (this.undated ??= new Stats()).merge(o.undated);
    for (const [k, r] of o.busyExamples) reservoirAt(this.busyExamples, Math.floor(k / factor)).merge(r);
    this.lastBase = Number.NaN;
    this.lastStats = undefined;
    this.lastBusyBase = Number.NaN;
    this.lastBusy = undefined;
    this.fas.merge(o.fas);
    for (const [k, s] of o.prefixes) {
      const known = this.prefixes.has(k);
      if (!known && prefixRoom <= 0) statsAt(this.prefixes, OTHER_PREFIX).merge(s);
      else {
        if (!known) prefixRoom--;
        statsAt(this.prefixes, k).merge(s);
      }
    }
  }

  toJSON(): unknown {
    return {
      buckets: [...this.buckets].sort((a, b) => a[0] - b[0]).map(([k, s]) => [k, s.toJSON()]),
      undated: this.undated?.toJSON() ?? null,
      busyExamples: [...this.busyExamples].sort((a, b) => a[0] - b[0]).map(([k, r]) => [k, r.toJSON()]),
      fas: this.fas.toJSON(),
      prefixes: [...this.prefixes].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, s]) => [k, s.toJSON()]),
    };
  }

  static fromJSON(j: unknown): RouteAgg {
    const o = j as { buckets: Array<[number, unknown]>; undated: unknown; busyExamples: Array<[number, unknown]>; fas: unknown; prefixes: Array<[string, unknown]> };
    if (!o || !Array.isArray(o.buckets) || !Array.isArray(o.busyExamples) || !Array.isArray(o.prefixes)) throw new TypeError('RouteAgg: bad JSON');
    const r = new RouteAgg();
    for (const [k, s] of o.buckets) r.buckets.set(k, Stats.fromJSON(s));
    if (o.undated !== null && o.undated !== undefined) r.undated = Stats.fromJSON(o.undated);
    for (const [k, e] of o.busyExamples) r.busyExamples.set(k, Reservoir.fromJSON(BUSY_EXAMPLES, e));
    r.fas.merge(FasCounters.fromJSON(o.fas));
    for (const [k, s] of o.prefixes) r.prefixes.set(k, Stats.fromJSON(s));
    return r;
  }
}

/** The sum `total` uses (one at a time). */
let statsSum: StatsSum | undefined;

function statsAt<K>(m: Map<K, Stats>, k: K): Stats {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Stats()));
  return s;
}

function reservoirAt(m: Map<number, Reservoir>, k: number): Reservoir {
  let r = m.get(k);
  if (!r) m.set(k, (r = new Reservoir(BUSY_EXAMPLES)));
  return r;
}

export class Aggregator {
  readonly thresholds: Thresholds;
  readonly prefixDigits: number;
  readonly routes = new Map<string, RouteAgg>();
  readonly falseBusy: FalseBusyTracker;
  /** The base bucket in ms (5 min, coarsened when the counters grow too many). */
  baseMs = BASE_LEVELS_MS[0];
  readonly maxBucketStats: number;
  /** (route, base bucket) counters held. */
  private bucketStats = 0;
  /** (route, prefix) groups held. */
  private prefixStats = 0;
  records = 0;
  /** The time window (`since`/`until`; −∞/+∞ when not set), and what it left out. */
  readonly since: number;
  readonly until: number;
  /** Whether a window is set (one side at least). */
  readonly windowed: boolean;
  readonly leftOut: LeftOut = { before: 0, after: 0, undated: 0 };
  /** Earliest start and latest start/answer/end seen (ms), for the span. */
  minTime = Infinity;
  maxTime = -Infinity;

  private readonly scratch = newClassified();
  private lastRoute: string | undefined;
  private lastAgg: RouteAgg | undefined;

  constructor(opts: Pick<AnalysisOptions, 'prefixDigits' | 'thresholds' | 'maxBucketStats' | 'since' | 'until'> = {}) {
    this.maxBucketStats = opts.maxBucketStats ?? MAX_BUCKET_STATS;
    this.since = opts.since ?? -Infinity;
    this.until = opts.until ?? Infinity;
    if (Number.isNaN(this.since) || Number.isNaN(this.until)) throw new TypeError('since and until must be times in ms');
    if (this.since >= this.until) throw new RangeError(`the window is empty: since ${new Date(this.since).toISOString()} is not before until ${new Date(this.until).toISOString()}`);
    this.windowed = this.since !== -Infinity || this.until !== Infinity;
    this.thresholds = resolveThresholds(opts.thresholds);
    const pd = opts.prefixDigits ?? 0;
    if (!Number.isInteger(pd) || pd < 0) throw new TypeError(`prefixDigits must be a non-negative integer, not ${pd}`);
    this.prefixDigits = pd;
    this.falseBusy = new FalseBusyTracker(this.thresholds.falseBusyWindowMin * 60_000, this.thresholds.falseBusyMaxCallees);
  }

  private route(name: string): RouteAgg {
    if (name === this.lastRoute && this.lastAgg) return this.lastAgg;
    let ra = this.routes.get(name);
    if (!ra) this.routes.set(name, (ra = new RouteAgg()));
    this.lastRoute = name;
    this.lastAgg = ra;
    return ra;
  }

  add(r: CallRecord): void {
    if (this.windowed && !this.inWindow(r.start)) return;
    const c = classify(r, this.scratch);
    const ra = this.route(r.route);
    this.records++;
    const dated = Number.isFinite(r.start);
    const base = dated ? Math.floor(r.start / this.baseMs) : 0;
    if (dated) {
      const before = ra.buckets.size;
      ra.bucket(base).add(c);
      if (ra.buckets.size !== before && ++this.bucketStats > this.maxBucketStats) this.coarsen();
      if (r.start < this.minTime) this.minTime = r.start;
      const last = r.end ?? r.answer ?? r.start;
      if (last > this.maxTime && Number.isFinite(last)) this.maxTime = last;
      if (r.start > this.maxTime) this.maxTime = r.start;
    } else {
      (ra.undated ??= new Stats()).add(c);
    }
    const busy = c.code === 486 || c.code === 600;
    if (!busy && !c.answered && this.prefixDigits === 0) return;

    const callee = r.callee;
    if (this.prefixDigits > 0) {
      // The first digits of the normalised number (normalizeNumber), without making it.
      const off = callee === undefined ? 0 : numberOffset(callee);
      this.prefixStatsOf(ra, callee !== undefined && callee.length > off ? callee.slice(off, off + this.prefixDigits) : 'unknown').add(c);
    }
    if (!busy && !c.answered) return;
    // The Call-ID's hash (for the order-free examples) comes from the false-busy memory when it copied
    // the Call-ID (most records: a callee not seen lately), else it is computed here.
    let h = -1;
    if (callee !== undefined && dated) h = this.falseBusy.record(callee, busy, r.route, busy ? (r.end ?? r.start) : r.start, r.callId);
    if (h < 0) h = hashId(r.callId);
    if (busy) {
      if (dated) ra.busyAt(Math.floor(r.start / this.baseMs)).offer(r.callId, h);
    } else {
      ra.fas.addAnswered(r, c, h, this.thresholds);
    }
  }

  /** Whether an attempt that starts at `start` is in the window; counts it as left out when not. */
  private inWindow(start: number): boolean {
    if (start >= this.since) {
      if (start < this.until) return true;
      this.leftOut.after++;
    } else if (Number.isFinite(start)) this.leftOut.before++;
    else this.leftOut.undated++;
    return false;
  }

  /** The counters of a destination prefix; past MAX_PREFIX_STATS groups, new prefixes share OTHER_PREFIX. */
  private prefixStatsOf(ra: RouteAgg, prefix: string): Stats {
    let s = ra.prefixes.get(prefix);
    if (s) return s;
    if (this.prefixStats >= MAX_PREFIX_STATS) prefix = OTHER_PREFIX;
    s = ra.prefixes.get(prefix);
    if (!s) {
      ra.prefixes.set(prefix, (s = new Stats()));
      this.prefixStats++;
    }
    return s;
  }

  /** Coarsens the base one level at a time until the counters fit (or the base is a day). */
  private coarsen(target = 0): void {
    for (;;) {
      const next = BASE_LEVELS_MS.find((ms) => ms > this.baseMs);
      if (next === undefined) return;
      if (this.baseMs >= target && this.bucketStats <= this.maxBucketStats) return;
      const factor = next / this.baseMs;
      this.bucketStats = 0;
      for (const ra of this.routes.values()) {
        ra.coarsen(factor);
        this.bucketStats += ra.buckets.size;
      }
      this.baseMs = next;
    }
  }

  merge(o: Aggregator): void {
    if (o.prefixDigits !== this.prefixDigits) throw new Error(`cannot merge aggregates with prefixDigits ${this.prefixDigits} and ${o.prefixDigits}`);
    for (const k of ADD_TIME_THRESHOLDS) {
      if (o.thresholds[k] !== this.thresholds[k]) throw new Error(`cannot merge aggregates built with different ${k}`);
    }
    if (o.since !== this.since || o.until !== this.until) throw new Error('cannot merge aggregates of different time windows');
    if (o.baseMs > this.baseMs) this.coarsen(o.baseMs);
    const factor = this.baseMs / o.baseMs;
    for (const [name, ra] of o.routes) {
      let mine = this.routes.get(name);
      if (!mine) this.routes.set(name, (mine = new RouteAgg()));
      const before = mine.prefixes.size;
      mine.merge(ra, factor, MAX_PREFIX_STATS - this.prefixStats);
      this.prefixStats += mine.prefixes.size - before;
    }
    this.lastRoute = undefined;
    this.lastAgg = undefined;
    this.bucketStats = 0;
    for (const ra of this.routes.values()) this.bucketStats += ra.buckets.size;
    if (this.bucketStats > this.maxBucketStats) this.coarsen();
    this.falseBusy.merge(o.falseBusy);
    this.records += o.records;
    this.leftOut.before += o.leftOut.before;
    this.leftOut.after += o.leftOut.after;
    this.leftOut.undated += o.leftOut.undated;
    if (o.minTime < this.minTime) this.minTime = o.minTime;
    if (o.maxTime > this.maxTime) this.maxTime = o.maxTime;
  }

  toJSON(): unknown {
    const thresholds: Record<string, number> = {};
    for (const k of ADD_TIME_THRESHOLDS) thresholds[k] = this.thresholds[k];
    return {
      v: JSON_VERSION,
      prefixDigits: this.prefixDigits,
      baseMs: this.baseMs,
      maxBucketStats: this.maxBucketStats,
      thresholds,
      records: this.records,
      // The window only when there is one (the JSON of an aggregate without one is as it always was).
      ...(this.windowed
        ? { since: Number.isFinite(this.since) ? this.since : null, until: Number.isFinite(this.until) ? this.until : null, leftOut: { ...this.leftOut } }
        : {}),
      minTime: Number.isFinite(this.minTime) ? this.minTime : null,
      maxTime: Number.isFinite(this.maxTime) ? this.maxTime : null,
      routes: [...this.routes].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, r]) => [k, r.toJSON()]),
      falseBusy: this.falseBusy.toJSON(),
    };
  }

  static fromJSON(j: unknown): Aggregator {
    const o = j as {
      v: number;
      prefixDigits: number;
      baseMs: number;
      maxBucketStats: number;
      thresholds: Record<string, number>;
      records: number;
      since?: number | null;
      until?: number | null;
      leftOut?: LeftOut;
      minTime: number | null;
      maxTime: number | null;
      routes: Array<[string, unknown]>;
      falseBusy: unknown;
    };
    if (!o || o.v !== JSON_VERSION || !Array.isArray(o.routes) || !BASE_LEVELS_MS.includes(o.baseMs)) {
      throw new TypeError('Aggregator: not an aggregate of this version');
    }
    const a = new Aggregator({
      prefixDigits: o.prefixDigits,
      thresholds: o.thresholds,
      maxBucketStats: o.maxBucketStats,
      since: o.since ?? undefined,
      until: o.until ?? undefined,
    });
    a.baseMs = o.baseMs;
    a.records = o.records;
    if (o.leftOut) Object.assign(a.leftOut, { before: o.leftOut.before, after: o.leftOut.after, undated: o.leftOut.undated });
    a.minTime = o.minTime ?? Infinity;
    a.maxTime = o.maxTime ?? -Infinity;
    for (const [k, r] of o.routes) {
      const ra = RouteAgg.fromJSON(r);
      a.routes.set(k, ra);
      a.bucketStats += ra.buckets.size;
      a.prefixStats += ra.prefixes.size;
    }
    a.falseBusy.merge(FalseBusyTracker.fromJSON(o.falseBusy));
    return a;
  }
}
