/**
 * Mergeable counters of a set of call attempts (a route, a route in one time bucket, a route and a
 * destination prefix): everything RouteMetrics is computed from. Merging adds field by field.
 */
import type { CallRecord } from '../types.js';
import { isAnsweredCode, isNerCause, isNerEffectiveCode, NO_FINAL, rerouteKind } from './codes.js';
import { CountsSum, LogHistogram, SparseCounts } from './quantiles.js';

/** A record reduced to what the counters need; computed once per record (reused object, no allocation). */
export interface Classified {
  code: number;
  answered: boolean;
  /** ITU-T E.425 effective. */
  ner: boolean;
  reroute: 0 | 1 | 2;
  /** Answered talk time, −1 when unknown. */
  durMs: number;
  /** RFC 6076 successful / failed session setup delay, −1 when not applicable. */
  pddOk: number;
  pddFail: number;
  sdt: number;
  codeSource: string;
}

export function newClassified(): Classified {
  return { code: 0, answered: false, ner: false, reroute: 0, durMs: -1, pddOk: -1, pddFail: -1, sdt: -1, codeSource: 'none' };
}

/** RFC 6076 §4.3.2: failures measured to the final response, except authentication/payment challenges. */
function failureSrdCounts(code: number): boolean {
  return code >= 400 && code < 700 && code !== 401 && code !== 402 && code !== 407;
}

function nonNegative(v: number | undefined): number {
  return v !== undefined && v >= 0 && Number.isFinite(v) ? v : -1;
}

export function classify(r: CallRecord, c: Classified): Classified {
  // A record with an answer time but no code was answered: count it as 200 rather than "no final".
  const code = r.finalCode ?? (r.answer !== undefined ? 200 : NO_FINAL);
  const answered = isAnsweredCode(code);
  c.code = code;
  c.answered = answered;
  // E.425: with a Q.850 cause the cause decides; without, the SIP code's RFC 3398 cause does.
  c.ner = answered || (r.q850 !== undefined ? isNerCause(r.q850) : isNerEffectiveCode(code));
  c.reroute = rerouteKind(code);
  c.durMs = -1;
  if (answered) {
    c.durMs = nonNegative(r.duration ?? (r.end !== undefined && r.answer !== undefined ? r.end - r.answer : undefined));
  }
  c.pddOk = -1;
  c.pddFail = -1;
  // The 2xx or the failure's time is a setup delay only where the source could see the provisionals before
  // it (a CDR cannot: its answer time after unrecorded ringing is no PDD).
  const timed = r.provisionalsSeen !== false;
  // A PDD from the data of a source that does not see the provisionals (a CDR's PDD column), on a failed call
  // that went on for more than a second after it: a provisional came first and the call failed later (it
  // rang, then 480 or a cancel), which RFC 6076 §4.3.1 counts as a successful setup. One that reaches the
  // end is the failure's own delay (§4.3.2). (A capture knows: no ringing there means no provisional.)
  const rangThenFailed = !timed && !answered && r.ringing === undefined && r.pdd !== undefined && r.end !== undefined && r.start + r.pdd < r.end - 1000;
  if (answered || r.ringing !== undefined || rangThenFailed) {
    // RFC 6076 §4.3.1: INVITE → first non-100 provisional, or the 2xx when it comes first.
    let first = r.ringing;
    if (timed && r.answer !== undefined && (first === undefined || r.answer < first)) first = r.answer;
    c.pddOk = nonNegative(r.pdd ?? (first !== undefined ? first - r.start : undefined));
  } else if (failureSrdCounts(code)) {
    c.pddFail = nonNegative(r.pdd ?? (timed && r.end !== undefined ? r.end - r.start : undefined));
  }
  c.sdt = nonNegative(r.sdt);
  c.codeSource = r.codeSource;
  return c;
}

export class Stats {
  attempts = 0;
  answered = 0;
  ner = 0;
  reroutable = 0;
  notReroutable = 0;
  /** Answered attempts whose duration is known, their sum, and how many were short. */
  durKnown = 0;
  durSumMs = 0;
  under10 = 0;
  under30 = 0;
  /** Final code → attempts. */
  readonly codeCounts = new SparseCounts();
  private readonly sourceCounts = new Map<string, number>();
  /** A run of records with the same code source is counted here and folded into the map on change. */
  private lastSource = '';
  private lastSourceCount = 0;

  private flushSource(): void {
    if (this.lastSourceCount > 0) this.sourceCounts.set(this.lastSource, (this.sourceCounts.get(this.lastSource) ?? 0) + this.lastSourceCount);
    this.lastSourceCount = 0;
  }

  /** What the codes rest on → attempts. */
  get sources(): Map<string, number> {
    this.flushSource();
    return this.sourceCounts;
  }
  readonly pddOk = new LogHistogram();
  readonly pddFail = new LogHistogram();
  readonly sdt = new LogHistogram();

  add(c: Classified): void {
    this.attempts++;
    this.codeCounts.add(c.code);
    const src = c.codeSource;
    if (src === this.lastSource) this.lastSourceCount++;
    else {
      this.flushSource();
      this.lastSource = src;
      this.lastSourceCount = 1;
    }
    if (c.answered) {
      this.answered++;
      if (c.durMs >= 0) {
        this.durKnown++;
        this.durSumMs += c.durMs;
        if (c.durMs < 10_000) this.under10++;
        if (c.durMs < 30_000) this.under30++;
      }
    }
    if (c.ner) this.ner++;
    if (c.reroute === 1) this.reroutable++;
    else if (c.reroute === 2) this.notReroutable++;
    if (c.pddOk >= 0) this.pddOk.add(c.pddOk);
    if (c.pddFail >= 0) this.pddFail.add(c.pddFail);
    if (c.sdt >= 0) this.sdt.add(c.sdt);
  }

  /** Sizes the empty tables for as many bins as `o` has (a route's next bucket is much like its last). */
  reserveLike(o: Stats): void {
    this.codeCounts.reserve(o.codeCounts.tableBins);
    this.pddOk.counts.reserve(o.pddOk.counts.tableBins);
    this.pddFail.counts.reserve(o.pddFail.counts.tableBins);
    this.sdt.counts.reserve(o.sdt.counts.tableBins);
  }

  merge(o: Stats): void {
    this.mergeScalars(o);
    this.codeCounts.merge(o.codeCounts);
    this.pddOk.counts.merge(o.pddOk.counts);
    this.pddFail.counts.merge(o.pddFail.counts);
    this.sdt.counts.merge(o.sdt.counts);
  }

  /** Everything `merge` adds but the code and delay bins: the counts, sums and code sources. */
  mergeScalars(o: Stats): void {
    this.attempts += o.attempts;
    this.answered += o.answered;
    this.ner += o.ner;
    this.reroutable += o.reroutable;
    this.notReroutable += o.notReroutable;
    this.durKnown += o.durKnown;
    this.durSumMs += o.durSumMs;
    this.under10 += o.under10;
    this.under30 += o.under30;
    const mine = this.sources;
    for (const [k, n] of o.sources) mine.set(k, (mine.get(k) ?? 0) + n);
    this.pddOk.sum += o.pddOk.sum;
    this.pddFail.sum += o.pddFail.sum;
    this.sdt.sum += o.sdt.sum;
  }

  /** Final code → attempts (a snapshot). */
  get codes(): Map<number, number> {
    return this.codeCounts.bins;
  }

  count(code: number): number {
    return this.codeCounts.get(code);
  }

  toJSON(): StatsJSON {
    return {
      n: [this.attempts, this.answered, this.ner, this.reroutable, this.notReroutable, this.durKnown, this.durSumMs, this.under10, this.under30],
      codes: this.codeCounts.toJSON(),
      sources: [...this.sources].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
      pddOk: this.pddOk.toJSON(),
      pddFail: this.pddFail.toJSON(),
      sdt: this.sdt.toJSON(),
    };
  }

  static fromJSON(j: unknown): Stats {
    const o = j as StatsJSON;
    if (!o || !Array.isArray(o.n) || o.n.length !== 9 || !Array.isArray(o.codes) || !Array.isArray(o.sources)) {
      throw new TypeError('Stats: bad JSON');
    }
    const s = new Stats();
    [s.attempts, s.answered, s.ner, s.reroutable, s.notReroutable, s.durKnown, s.durSumMs, s.under10, s.under30] = o.n;
    for (const [k, n] of new Map<number, number>(o.codes)) s.codeCounts.add(k, n);
    for (const [k, n] of o.sources) s.sources.set(k, n);
    s.pddOk.merge(LogHistogram.fromJSON(o.pddOk));
    s.pddFail.merge(LogHistogram.fromJSON(o.pddFail));
    s.sdt.merge(LogHistogram.fromJSON(o.sdt));
    return s;
  }
}

export interface StatsJSON {
  n: number[];
  codes: Array<[number, number]>;
  sources: Array<[string, number]>;
  pddOk: unknown;
  pddFail: unknown;
  sdt: unknown;
}

/**
 * Many Stats added together (a route's buckets into its total or into reported buckets): the same
 * Stats as merging them one after the other in the same order (counts, code sources, and the
 * fractional sums added in that order), with the code and delay bins summed densely (CountsSum)
 * instead of merged table into table. Reusable: `take` returns the sum and starts a new one.
 */
export class StatsSum {
  private s = new Stats();
  private readonly codes = new CountsSum();
  private readonly pddOk = new CountsSum();
  private readonly pddFail = new CountsSum();
  private readonly sdt = new CountsSum();

  add(o: Stats): void {
    this.addScalars(o);
    this.addBins(o);
  }

  /** What `Stats.mergeScalars` adds (order matters: fractional sums, code-source order). */
  addScalars(o: Stats): void {
    this.s.mergeScalars(o);
  }

  /** The code and delay bins (order-free: integer counts). */
  addBins(o: Stats): void {
    o.codeCounts.addTo(this.codes);
    o.pddOk.counts.addTo(this.pddOk);
    o.pddFail.counts.addTo(this.pddFail);
    o.sdt.counts.addTo(this.sdt);
  }

  take(): Stats {
    const s = this.s;
    s.codeCounts.takeFrom(this.codes);
    s.pddOk.counts.takeFrom(this.pddOk);
    s.pddFail.counts.takeFrom(this.pddFail);
    s.sdt.counts.takeFrom(this.sdt);
    this.s = new Stats();
    return s;
  }
}
