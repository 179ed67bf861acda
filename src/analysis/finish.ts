/**
 * From an Aggregator to the AnalysisResult: metrics per route, in total and per bucket; prefixes;
 * 486 spikes; false busy; FAS; span and the thresholds in force.
 */
import { UNKNOWN_ROUTE, type InputAccounting } from '../types.js';
import { VERSION } from '../version.js';
import { ADD_TIME_THRESHOLDS, type Aggregator, type AnalysisOptions, type RouteAgg } from './aggregate.js';
import { chooseBucket, fitBucket, groupOf, parseBucket } from './buckets.js';
import { evaluateFas, type Comparison } from './fas.js';
import { routeMetrics } from './metrics.js';
import { Reservoir } from './reservoir.js';
import type { AnalysisResult, BucketMetrics, FasResult, RouteMetrics, Spike, SpikeCheck, WireStats } from './result.js';
import { findSpikes, SPIKE_BUCKETS_SEC, SPIKE_MIN_COVERAGE, spikeEligible, spikeJudgeable, type BusyBucket } from './spikes.js';
import { Stats, StatsSum } from './stats.js';
import { resolveThresholds, type Thresholds } from './thresholds.js';

/** The name of the all-routes row in `totals`. */
export const TOTAL_ROUTE = 'total';
/** A series longer than this lists only its non-empty buckets. */
export const MAX_DENSE_BUCKETS = 2000;

export interface FinishContext {
  inputs: InputAccounting[];
  wire: WireStats;
  options?: AnalysisOptions;
}

export function finish(agg: Aggregator, ctx: FinishContext): AnalysisResult {
  const opts = ctx.options ?? {};
  const t = resolveThresholds(opts.thresholds);
  // What was applied while adding is what the result rests on.
  for (const k of ADD_TIME_THRESHOLDS) t[k] = agg.thresholds[k];

  const hasSpan = Number.isFinite(agg.minTime) && Number.isFinite(agg.maxTime);
  const spanMs = hasSpan ? agg.maxTime - agg.minTime : 0;
  // Never finer than the aggregate's base (coarsened for long spans).
  const bucketSec = fitBucket(opts.bucket !== undefined ? parseBucket(opts.bucket) : chooseBucket(spanMs), agg.baseMs);
  const first = hasSpan ? Math.floor(agg.minTime / (bucketSec * 1000)) : 0;
  const last = hasSpan ? Math.floor(agg.maxTime / (bucketSec * 1000)) : -1;

  // Per route: its reported buckets, its total (from them when they group base buckets), its series
  // and spikes; the series are listed in the order of the sorted routes below, and the spikes sorted.
  const names = [...agg.routes.keys()];
  const totalsByRoute = new Map<string, Stats>();
  const seriesByRoute = new Map<string, BucketMetrics[]>();
  const spikes: Spike[] = [];
  const checks = new Map<string, SpikeCheck>();
  for (const name of names) {
    const ra = agg.routes.get(name)!;
    const grouped = groupBuckets(ra, agg.baseMs, bucketSec);
    totalsByRoute.set(name, bucketSec * 1000 === agg.baseMs ? ra.total() : totalOfGroups(ra, grouped));
    seriesByRoute.set(name, series(name, grouped, bucketSec, first, last));
    const judged = judgeSpikes(name, ra, busyBuckets(grouped), agg.baseMs, bucketSec, t);
    spikes.push(...judged.spikes);
    checks.set(name, judged.check);
  }

  const routes: RouteMetrics[] = names.map((n) => routeMetrics(n, totalsByRoute.get(n)!));
  routes.sort((a, b) => (a.asr ?? 2) - (b.asr ?? 2) || b.attempts - a.attempts || (a.route < b.route ? -1 : a.route > b.route ? 1 : 0));
  const sum = new StatsSum();
  for (const s of totalsByRoute.values()) sum.add(s);
  const all = sum.take();

  const order = routes.map((r) => r.route);
  const buckets: AnalysisResult['buckets'] = order.map((name) => ({ route: name, series: seriesByRoute.get(name)! }));
  spikes.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0) || (a.route < b.route ? -1 : 1));

  const fas = fasResults(agg, order, totalsByRoute, all, t);

  const result: AnalysisResult = {
    tool: { name: 'sipscope', version: VERSION },
    generatedAt: (opts.now ?? new Date()).toISOString(),
    inputs: ctx.inputs,
    wire: ctx.wire,
    routes,
    totals: routeMetrics(TOTAL_ROUTE, all),
    bucketSec,
    buckets,
    spikes,
    spikeChecks: order.map((name) => checks.get(name)!),
    falseBusy: agg.falseBusy.results(),
    falseBusyCount: agg.falseBusy.total,
    fas,
    span: hasSpan ? { start: new Date(agg.minTime).toISOString(), end: new Date(agg.maxTime).toISOString() } : null,
    thresholds: { ...t },
  };
  if (agg.prefixDigits > 0) result.prefixes = prefixRows(agg, order);
  if (agg.windowed) {
    const iso = (t: number): string | null => (Number.isFinite(t) ? new Date(t).toISOString() : null);
    result.window = { since: iso(agg.since), until: iso(agg.until), leftOut: { ...agg.leftOut } };
  }
  return result;
}

interface Grouped {
  stats: Stats;
  examples: Reservoir;
}

let groupSum: StatsSum | undefined;
/** A placeholder until a group is summed. */
const EMPTY = new Stats();

function groupBuckets(ra: RouteAgg, baseMs: number, bucketSec: number): Map<number, Grouped> {
  const out = new Map<number, Grouped>();
  if (bucketSec * 1000 === baseMs) {
    // One base bucket per reported one: its counters and examples as they are (a merged copy would be equal).
    for (const [base, s] of ra.buckets) out.set(base, { stats: s, examples: ra.busyExamples.get(base) ?? new Reservoir(5) });
    return out;
  }
  // Each group's buckets in bucket order, then each group summed (the same as merging them in turn).
  const members = new Map<number, Stats[]>();
  for (const [base, s] of ra.buckets) {
    const g = groupOf(base, baseMs, bucketSec);
    let e = out.get(g);
    let m = members.get(g);
    if (!e || !m) {
      out.set(g, (e = { stats: EMPTY, examples: new Reservoir(5) }));
      members.set(g, (m = []));
    }
    m.push(s);
    const ex = ra.busyExamples.get(base);
    if (ex) e.examples.merge(ex);
  }
  const sum = (groupSum ??= new StatsSum());
  for (const [g, m] of members) {
    for (const s of m) sum.add(s);
    out.get(g)!.stats = sum.take();
  }
  return out;
}

/**
 * A route's total from its reported buckets when they group several base buckets: the bins summed
 * from the groups (fewer tables, just made), the counts, fractional sums and code sources added from
 * the base buckets in their order, then the undated ones — exactly `RouteAgg.total()`.
 */
function totalOfGroups(ra: RouteAgg, grouped: Map<number, Grouped>): Stats {
  const sum = (groupSum ??= new StatsSum());
  for (const b of ra.buckets.values()) sum.addScalars(b);
  for (const g of grouped.values()) sum.addBins(g.stats);
  if (ra.undated) sum.add(ra.undated);
  return sum.take();
}

function series(route: string, grouped: Map<number, Grouped>, bucketSec: number, first: number, last: number): BucketMetrics[] {
  const indices =
    last - first + 1 <= MAX_DENSE_BUCKETS
      ? Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i)
      : [...grouped.keys()].sort((a, b) => a - b);
  const empty = new Stats();
  return indices.map((i) => {
    const m = routeMetrics(route, grouped.get(i)?.stats ?? empty) as BucketMetrics;
    m.start = new Date(i * bucketSec * 1000).toISOString();
    m.end = new Date((i + 1) * bucketSec * 1000).toISOString();
    return m;
  });
}

/**
 * A route's spikes, judged on buckets chosen from its attempts alone (never from its busy shares, so the
 * choice adds no chance of a false spike); see docs/analysis.md. A size is judgeable when at least
 * spikeMinBaselineBuckets + 1 of its buckets reach spikeMinAttempts, and its coverage is the share of the
 * route's dated attempts in those buckets. The route is judged on the report's buckets when they are
 * judgeable and cover SPIKE_MIN_COVERAGE; else on the smallest size of SPIKE_BUCKETS_SEC that does (a
 * busy hour of 5-minute buckets of 16 attempts each, or three busy hours of a day, no longer hide a
 * spike); else on the judgeable size that covers most; else not at all, and the check says why. Judged
 * on a sliver of its traffic (its few busiest buckets, often the spike itself), a route's baseline would
 * be the spike and nothing would be found.
 */
function judgeSpikes(
  route: string,
  ra: RouteAgg,
  atReport: BusyBucket[],
  baseMs: number,
  bucketSec: number,
  t: Thresholds,
): { spikes: Spike[]; check: SpikeCheck } {
  let dated = 0;
  for (const b of atReport) dated += b.attempts;
  const need = Math.max(1, Math.ceil(t.spikeMinBaselineBuckets + 1));
  interface Size {
    sec: number;
    attempts: number[];
    eligible: number;
    covered: number;
    judgeable: boolean;
  }
  const size = (sec: number, attempts: number[]): Size => {
    let eligible = 0;
    let covered = 0;
    for (const a of attempts)
      if (spikeEligible(a, t)) {
        eligible++;
        covered += a;
      }
    return { sec, attempts, eligible, covered, judgeable: spikeJudgeable(attempts, t) };
  };
  const enough = (s: Size): boolean => s.judgeable && s.covered >= SPIKE_MIN_COVERAGE * dated;
  const share = (s: Size): string => `${Math.round((100 * s.covered) / Math.max(1, dated))} %`;
  const judge = (s: Size, buckets: BusyBucket[], reason?: string): { spikes: Spike[]; check: SpikeCheck } => {
    const check: SpikeCheck = { route, judged: true, bucketSec: s.sec, buckets: s.eligible, attemptsJudged: s.covered, attempts: dated };
    if (reason !== undefined) check.reason = reason;
    return { spikes: findSpikes(route, buckets, s.sec, t), check };
  };

  const report = size(bucketSec, atReport.map((b) => b.attempts));
  if (enough(report)) return judge(report, atReport);
  const why = report.judgeable
    ? `its ${sizeLabel(bucketSec)} buckets that reach spikeMinAttempts ${t.spikeMinAttempts} hold only ${share(report)} of its attempts`
    : `only ${report.eligible} of its ${sizeLabel(bucketSec)} buckets reach spikeMinAttempts ${t.spikeMinAttempts} (${need} needed)`;
  const tried: Size[] = [report];
  for (const sec of SPIKE_BUCKETS_SEC) {
    if (sec === bucketSec || (sec * 1000) % baseMs !== 0) continue;
    const s = size(sec, [...attemptsBy(ra, baseMs, sec).values()]);
    if (enough(s)) return judge(s, busyBucketsAt(ra, baseMs, sec), why);
    tried.push(s);
  }
  // None covers enough: the judgeable size that covers most (the report's first, then the smaller).
  let best: Size | undefined;
  for (const s of tried) if (s.judgeable && (!best || s.covered > best.covered)) best = s;
  if (best) {
    const note = `${why}; no size from 5 min to 1 day has judgeable buckets holding ${Math.round(SPIKE_MIN_COVERAGE * 100)} %, ${sizeLabel(best.sec)} buckets hold the most (${share(best)})`;
    return best === report ? judge(report, atReport, note) : judge(best, busyBucketsAt(ra, baseMs, best.sec), note);
  }
  // The k-th busiest bucket of each size: how far the route is from being judged.
  let far = { sec: bucketSec, attempts: 0 };
  for (const s of tried) {
    const k = s.attempts.sort((x, y) => y - x)[need - 1] ?? 0;
    if (k > far.attempts) far = { sec: s.sec, attempts: k };
  }
  const reason =
    dated === 0
      ? 'no attempt with a start time'
      : `at no size from 5 min to 1 day do ${need} buckets reach spikeMinAttempts ${t.spikeMinAttempts} (${dated} attempts in all; ` +
        `the ${ordinal(need)} busiest ${sizeLabel(far.sec)} bucket has ${far.attempts})`;
  return { spikes: [], check: { route, judged: false, bucketSec: null, buckets: 0, attemptsJudged: 0, attempts: dated, reason } };
}

function sizeLabel(sec: number): string {
  if (sec % 86400 === 0) return `${sec / 86400} day`;
  if (sec % 3600 === 0) return `${sec / 3600} h`;
  if (sec % 60 === 0) return `${sec / 60} min`;
  return `${sec} s`;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/** A route's dated attempts per bucket of `sec` seconds (a multiple of the base). */
function attemptsBy(ra: RouteAgg, baseMs: number, sec: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const [base, s] of ra.buckets) {
    if (s.attempts === 0) continue;
    const g = groupOf(base, baseMs, sec);
    out.set(g, (out.get(g) ?? 0) + s.attempts);
  }
  return out;
}

/** The busy counts of a route in buckets of `sec` seconds, from its base buckets (sums, examples merged). */
function busyBucketsAt(ra: RouteAgg, baseMs: number, sec: number): BusyBucket[] {
  const groups = new Map<number, { attempts: number; c486: number; c600: number; examples: Reservoir }>();
  for (const [base, s] of ra.buckets) {
    if (s.attempts === 0) continue;
    const index = groupOf(base, baseMs, sec);
    let g = groups.get(index);
    if (!g) groups.set(index, (g = { attempts: 0, c486: 0, c600: 0, examples: new Reservoir(5) }));
    g.attempts += s.attempts;
    g.c486 += s.count(486);
    g.c600 += s.count(600);
    const ex = ra.busyExamples.get(base);
    if (ex) g.examples.merge(ex);
  }
  return [...groups].map(([index, g]) => ({ index, attempts: g.attempts, c486: g.c486, c600: g.c600, examples: g.examples.ids() }));
}

function busyBuckets(grouped: Map<number, Grouped>): BusyBucket[] {
  const out: BusyBucket[] = [];
  for (const [index, { stats, examples }] of grouped) {
    if (stats.attempts === 0) continue;
    out.push({ index, attempts: stats.attempts, c486: stats.count(486), c600: stats.count(600), examples: examples.ids() });
  }
  return out;
}

/**
 * `all` is the routes' totals added together. FAS is a verdict on a vendor: the route UNKNOWN_ROUTE (CDR rows
 * that name no trunk and no dstchannel peer, i.e. calls the PBX answered itself: IVR, voicemail) is neither
 * judged nor one of the "other routes" a vendor is compared with (its 100 % ASR and short calls would hide a
 * vendor's). See docs/analysis.md.
 */
function fasResults(agg: Aggregator, order: string[], totals: Map<string, Stats>, all: Stats, t: Thresholds): FasResult[] {
  let mediaSeen = false;
  for (const ra of agg.routes.values()) if (ra.fas.rtpMedia > 0) mediaSeen = true;
  const local = totals.get(UNKNOWN_ROUTE);
  const vendors: Counts = local === undefined ? all : minus(all, local);
  // Per prefix, all vendor routes together (others = all − this route).
  const prefixAll = new Map<string, Stats>();
  if (agg.prefixDigits > 0) {
    for (const [name, ra] of agg.routes) {
      if (name === UNKNOWN_ROUTE) continue;
      for (const [p, s] of ra.prefixes) {
        let x = prefixAll.get(p);
        if (!x) prefixAll.set(p, (x = new Stats()));
        x.merge(s);
      }
    }
  }
  const out = order.filter((name) => name !== UNKNOWN_ROUTE).map((name) => {
    const ra = agg.routes.get(name)!;
    const total = totals.get(name)!;
    const compare = agg.prefixDigits > 0 ? comparePrefixes(ra, prefixAll) : comparePooled(total, vendors);
    return evaluateFas({ route: name, counters: ra.fas, total, compare, mediaSeen }, t);
  });
  return out.sort((a, b) => Number(b.flagged) - Number(a.flagged) || b.score - a.score || (a.route < b.route ? -1 : a.route > b.route ? 1 : 0));
}

interface Counts {
  attempts: number;
  answered: number;
  durKnown: number;
  durSumMs: number;
}

function minus(a: Counts, b: Counts): Counts {
  return { attempts: a.attempts - b.attempts, answered: a.answered - b.answered, durKnown: a.durKnown - b.durKnown, durSumMs: a.durSumMs - b.durSumMs };
}

function comparePooled(route: Stats, all: Counts): Comparison {
  const o = minus(all, route);
  return {
    asr: o.attempts > 0 ? o.answered / o.attempts : null,
    acdSec: o.durKnown > 0 ? o.durSumMs / o.durKnown / 1000 : null,
    attempts: o.attempts,
    basis: 'all',
  };
}

/** Other routes' ASR and ACD per prefix, weighted by this route's attempts (ASR) and answers (ACD) there. */
function comparePrefixes(ra: RouteAgg, prefixAll: Map<string, Stats>): Comparison {
  let wAsr = 0;
  let asrSum = 0;
  let wAcd = 0;
  let acdSum = 0;
  let attempts = 0;
  for (const [p, mine] of ra.prefixes) {
    const everyone = prefixAll.get(p);
    if (!everyone) continue;
    const o = minus(everyone, mine);
    if (o.attempts > 0) {
      wAsr += mine.attempts;
      asrSum += mine.attempts * (o.answered / o.attempts);
      attempts += o.attempts;
    }
    if (o.durKnown > 0 && mine.answered > 0) {
      wAcd += mine.answered;
      acdSum += mine.answered * (o.durSumMs / o.durKnown / 1000);
    }
  }
  return { asr: wAsr > 0 ? asrSum / wAsr : null, acdSec: wAcd > 0 ? acdSum / wAcd : null, attempts, basis: 'prefix' };
}

function prefixRows(agg: Aggregator, order: string[]): NonNullable<AnalysisResult['prefixes']> {
  const rows: NonNullable<AnalysisResult['prefixes']> = [];
  for (const name of order) {
    const ra = agg.routes.get(name)!;
    const prefixes = [...ra.prefixes].sort((a, b) => b[1].attempts - a[1].attempts || (a[0] < b[0] ? -1 : 1));
    for (const [prefix, s] of prefixes) rows.push({ ...routeMetrics(name, s), prefix });
  }
  return rows;
}
