/**
 * The Aggregator folds CallRecords into mergeable counters: per route and 5-minute base bucket
 * (Stats), per route (FAS counters, examples), per route and destination prefix (with
 * `prefixDigits`), and a bounded per-callee memory for "false busy". `merge` adds two aggregators
 * (files, worker threads, days); `toJSON`/`fromJSON` carry one across a thread or a file.
 * Adding records in any order, in any split, and merging gives the same result as one pass.
 */
import type { CallRecord } from '../types.js';
import { baseBucketOf } from './buckets.js';
import { FalseBusyTracker, normalizeNumber } from './falsebusy.js';
import { FasCounters } from './fas.js';
import { hashId, Reservoir } from './reservoir.js';
import { classify, newClassified, Stats } from './stats.js';
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
}

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
    this.lastBase = base;
    return (this.lastStats = statsAt(this.buckets, base));
  }

  /** All the route's counters added together. */
  total(): Stats {
    const s = new Stats();
    for (const b of this.buckets.values()) s.merge(b);
    if (this.undated) s.merge(this.undated);
    return s;
  }

  merge(o: RouteAgg): void {
    for (const [k, b] of o.buckets) statsAt(this.buckets, k).merge(b);
    if (o.undated) (this.undated ??= new Stats()).merge(o.undated);
    for (const [k, r] of o.busyExamples) reservoirAt(this.busyExamples, k).merge(r);
    this.fas.merge(o.fas);
    for (const [k, s] of o.prefixes) statsAt(this.prefixes, k).merge(s);
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
  records = 0;
  /** Earliest start and latest start/answer/end seen (ms), for the span. */
  minTime = Infinity;
  maxTime = -Infinity;

  private readonly scratch = newClassified();
  private lastRoute: string | undefined;
  private lastAgg: RouteAgg | undefined;

  constructor(opts: Pick<AnalysisOptions, 'prefixDigits' | 'thresholds'> = {}) {
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
    const c = classify(r, this.scratch);
    const ra = this.route(r.route);
    this.records++;
    const dated = Number.isFinite(r.start);
    const base = dated ? baseBucketOf(r.start) : 0;
    if (dated) {
      ra.bucket(base).add(c);
      if (r.start < this.minTime) this.minTime = r.start;
      const last = r.end ?? r.answer ?? r.start;
      if (last > this.maxTime && Number.isFinite(last)) this.maxTime = last;
      if (r.start > this.maxTime) this.maxTime = r.start;
    } else {
      (ra.undated ??= new Stats()).add(c);
    }
    const busy = c.code === 486 || c.code === 600;
    if (!busy && !c.answered && this.prefixDigits === 0) return;

    const callee = r.callee !== undefined && r.callee !== '' ? normalizeNumber(r.callee) : undefined;
    if (this.prefixDigits > 0) statsAt(ra.prefixes, callee ? callee.slice(0, this.prefixDigits) : 'unknown').add(c);
    if (!busy && !c.answered) return;
    const h = hashId(r.callId);
    if (busy) {
      if (dated) reservoirAt(ra.busyExamples, base).offer(r.callId, h);
      if (callee && dated) this.falseBusy.busy(callee, r.route, r.end ?? r.start, r.callId);
    } else {
      ra.fas.addAnswered(r, c, h, this.thresholds);
      if (callee && dated) this.falseBusy.answered(callee, r.route, r.start, r.callId);
    }
  }

  merge(o: Aggregator): void {
    if (o.prefixDigits !== this.prefixDigits) throw new Error(`cannot merge aggregates with prefixDigits ${this.prefixDigits} and ${o.prefixDigits}`);
    for (const k of ADD_TIME_THRESHOLDS) {
      if (o.thresholds[k] !== this.thresholds[k]) throw new Error(`cannot merge aggregates built with different ${k}`);
    }
    for (const [name, ra] of o.routes) {
      const mine = this.routes.get(name);
      if (mine) mine.merge(ra);
      else {
        const copy = new RouteAgg();
        copy.merge(ra);
        this.routes.set(name, copy);
      }
    }
    this.falseBusy.merge(o.falseBusy);
    this.records += o.records;
    if (o.minTime < this.minTime) this.minTime = o.minTime;
    if (o.maxTime > this.maxTime) this.maxTime = o.maxTime;
  }

  toJSON(): unknown {
    const thresholds: Record<string, number> = {};
    for (const k of ADD_TIME_THRESHOLDS) thresholds[k] = this.thresholds[k];
    return {
      v: JSON_VERSION,
      prefixDigits: this.prefixDigits,
      thresholds,
      records: this.records,
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
      thresholds: Record<string, number>;
      records: number;
      minTime: number | null;
      maxTime: number | null;
      routes: Array<[string, unknown]>;
      falseBusy: unknown;
    };
    if (!o || o.v !== JSON_VERSION || !Array.isArray(o.routes)) throw new TypeError('Aggregator: not an aggregate of this version');
    const a = new Aggregator({ prefixDigits: o.prefixDigits, thresholds: o.thresholds });
    a.records = o.records;
    a.minTime = o.minTime ?? Infinity;
    a.maxTime = o.maxTime ?? -Infinity;
    for (const [k, r] of o.routes) a.routes.set(k, RouteAgg.fromJSON(r));
    a.falseBusy.merge(FalseBusyTracker.fromJSON(o.falseBusy));
    return a;
  }
}
