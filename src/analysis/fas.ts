/**
 * False answer supervision (FAS): a route that answers calls nobody answered, so that the caller pays
 * for ringing, silence or a recorded tone. No single measurement proves it; each signal below is
 * measured per route with its evidence, and a route is flagged only when the weighted signals reach a
 * score and come from at least two independent groups (docs/analysis.md explains each one).
 */
import type { CallRecord } from '../types.js';
import type { FasResult, FasSignal } from './result.js';
import { Reservoir } from './reservoir.js';
import { SparseCounts } from './quantiles.js';
import type { Classified, Stats } from './stats.js';
import type { Thresholds } from './thresholds.js';

const EXAMPLES = 5;
const SAMPLE = 64;
/** ring → answer bins. */
export const RING_BIN_MS = 100;

export class FasCounters {
  /** Answered calls whose source sees every provisional, and those of them with no 18x. */
  ringKnown = 0;
  noRinging = 0;
  /** Answered calls with INVITE and 200 times, and those answered faster than fasShortAnswerMs. */
  answerKnown = 0;
  shortAnswer = 0;
  /** Answered calls with RTP seen on either side, those whose callee side was silent/late/thin, and those with no RTP at all. */
  rtpMedia = 0;
  rtpBad = 0;
  rtpSilent = 0;
  ringbackKnown = 0;
  ringbackHit = 0;
  /** ring → answer times, 100 ms bins. */
  readonly ringAnswer = new SparseCounts();
  /** Answered durations, whole seconds (rounded). */
  readonly durations = new SparseCounts();
  readonly exNoRinging = new Reservoir(EXAMPLES);
  readonly exShortAnswer = new Reservoir(EXAMPLES);
  readonly exNoRtp = new Reservoir(EXAMPLES);
  readonly exRingback = new Reservoir(EXAMPLES);
  /** Samples of answered calls with their ring → answer bin, and with their duration in s. */
  readonly ringSample = new Reservoir(SAMPLE);
  readonly durSample = new Reservoir(SAMPLE);

  /** Counts one answered record; `h` is the hash of its Call-ID. */
  addAnswered(r: CallRecord, c: Classified, h: number, t: Thresholds): void {
    const id = r.callId;
    const ringKnown = r.ringing !== undefined || (r.provisionalsSeen ?? r.source.packet !== undefined);
    if (ringKnown) {
      this.ringKnown++;
      if (r.ringing === undefined) {
        this.noRinging++;
        this.exNoRinging.offer(id, h);
      }
    }
    if (r.answer !== undefined) {
      const delay = r.answer - r.start;
      if (delay >= 0) {
        this.answerKnown++;
        if (delay < t.fasShortAnswerMs) {
          this.shortAnswer++;
          this.exShortAnswer.offer(id, h, delay);
        }
      }
      if (r.ringing !== undefined && r.answer >= r.ringing) {
        const bin = Math.floor((r.answer - r.ringing) / RING_BIN_MS);
        this.ringAnswer.add(bin);
        this.ringSample.offer(id, h, bin);
      }
    }
    if (c.durMs >= 0) {
      const sec = Math.round(c.durMs / 1000);
      this.durations.add(sec);
      this.durSample.offer(id, h, sec);
    }
    const rtp = r.rtp;
    if (rtp) {
      if (rtp.fromCallee === 0 && rtp.fromCaller === 0) {
        this.rtpSilent++;
        this.exNoRtp.offer(id, h);
      } else {
        this.rtpMedia++;
        const first = rtp.firstFromCalleeAfterAnswer;
        if (rtp.fromCallee < t.fasNoRtpMinPackets || first === undefined || first > t.fasNoRtpWindowMs) {
          this.rtpBad++;
          this.exNoRtp.offer(id, h);
        }
      }
      if (rtp.ringbackAfterAnswer !== undefined) {
        this.ringbackKnown++;
        if (rtp.ringbackAfterAnswer >= t.fasRingbackTone) {
          this.ringbackHit++;
          this.exRingback.offer(id, h);
        }
      }
    }
  }

  merge(o: FasCounters): void {
    this.ringKnown += o.ringKnown;
    this.noRinging += o.noRinging;
    this.answerKnown += o.answerKnown;
    this.shortAnswer += o.shortAnswer;
    this.rtpMedia += o.rtpMedia;
    this.rtpBad += o.rtpBad;
    this.rtpSilent += o.rtpSilent;
    this.ringbackKnown += o.ringbackKnown;
    this.ringbackHit += o.ringbackHit;
    this.ringAnswer.merge(o.ringAnswer);
    this.durations.merge(o.durations);
    this.exNoRinging.merge(o.exNoRinging);
    this.exShortAnswer.merge(o.exShortAnswer);
    this.exNoRtp.merge(o.exNoRtp);
    this.exRingback.merge(o.exRingback);
    this.ringSample.merge(o.ringSample);
    this.durSample.merge(o.durSample);
  }

  toJSON(): unknown {
    return {
      n: [this.ringKnown, this.noRinging, this.answerKnown, this.shortAnswer, this.rtpMedia, this.rtpBad, this.rtpSilent, this.ringbackKnown, this.ringbackHit],
      ringAnswer: this.ringAnswer.toJSON(),
      durations: this.durations.toJSON(),
      ex: [this.exNoRinging, this.exShortAnswer, this.exNoRtp, this.exRingback].map((r) => r.toJSON()),
      ringSample: this.ringSample.toJSON(),
      durSample: this.durSample.toJSON(),
    };
  }

  static fromJSON(j: unknown): FasCounters {
    const o = j as { n: number[]; ringAnswer: unknown; durations: unknown; ex: unknown[]; ringSample: unknown; durSample: unknown };
    if (!o || !Array.isArray(o.n) || o.n.length !== 9 || !Array.isArray(o.ex) || o.ex.length !== 4) throw new TypeError('FasCounters: bad JSON');
    const f = new FasCounters();
    [f.ringKnown, f.noRinging, f.answerKnown, f.shortAnswer, f.rtpMedia, f.rtpBad, f.rtpSilent, f.ringbackKnown, f.ringbackHit] = o.n;
    f.ringAnswer.merge(SparseCounts.fromJSON(o.ringAnswer));
    f.durations.merge(SparseCounts.fromJSON(o.durations));
    f.exNoRinging.merge(Reservoir.fromJSON(EXAMPLES, o.ex[0]));
    f.exShortAnswer.merge(Reservoir.fromJSON(EXAMPLES, o.ex[1]));
    f.exNoRtp.merge(Reservoir.fromJSON(EXAMPLES, o.ex[2]));
    f.exRingback.merge(Reservoir.fromJSON(EXAMPLES, o.ex[3]));
    f.ringSample.merge(Reservoir.fromJSON(SAMPLE, o.ringSample));
    f.durSample.merge(Reservoir.fromJSON(SAMPLE, o.durSample));
    return f;
  }
}

/** What the route is compared with for `asr-high-acd-low`: the other routes on the same destinations. */
export interface Comparison {
  /** Other routes' ASR and ACD weighted by this route's traffic per destination. */
  asr: number | null;
  acdSec: number | null;
  /** Other routes' attempts that the comparison rests on. */
  attempts: number;
  /** 'prefix' when compared per destination prefix, 'all' when against all other routes pooled. */
  basis: 'prefix' | 'all';
}

/** Which signals measure the same thing: hits in one group count once towards fasMinGroups. */
const GROUP: Record<string, string> = {
  'no-ringing': 'setup',
  'short-pdd': 'setup',
  'ring-answer-cluster': 'ring',
  'short-calls': 'duration',
  'duration-cluster': 'duration',
  'asr-high-acd-low': 'compare',
  'no-rtp-after-answer': 'media',
  'ringback-after-answer': 'media',
};

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

export interface FasInput {
  route: string;
  counters: FasCounters;
  total: Stats;
  compare: Comparison;
  /** Whether any route in the data has RTP seen on answered calls (else silent calls prove nothing). */
  mediaSeen: boolean;
}

export function evaluateFas(inp: FasInput, t: Thresholds): FasResult {
  const f = inp.counters;
  const signals: FasSignal[] = [];
  const share = (id: string, n: number, calls: number, threshold: number, ex: string[], what: string): void => {
    const value = calls > 0 ? round4(n / calls) : null;
    const enough = calls >= t.fasMinCalls;
    const hit = enough && value !== null && value >= threshold;
    const text =
      calls === 0
        ? 'not measurable: the data has no answered calls with this information'
        : `${pct(n / calls)} of ${calls} ${what} (threshold ${pct(threshold)})${enough ? '' : `; too few calls to judge (< ${t.fasMinCalls})`}`;
    signals.push({ id, hit, value, threshold, calls, exampleCallIds: ex, text });
  };

  share('no-ringing', f.noRinging, f.ringKnown, t.fasNoRingingShare, f.exNoRinging.ids(), 'answered calls had no 180/183 before the 200 OK');
  share(
    'short-pdd',
    f.shortAnswer,
    f.answerKnown,
    t.fasShortAnswerShare,
    f.exShortAnswer.ids(),
    `answered calls were answered less than ${t.fasShortAnswerMs} ms after the INVITE`,
  );

  // Ring → answer concentrated on one value (± one 100 ms bin).
  const ranked = f.ringAnswer.ranked();
  const mode = ranked.length > 0 ? ranked[0][0] : 0;
  const near = f.ringAnswer.get(mode - 1) + f.ringAnswer.get(mode) + f.ringAnswer.get(mode + 1);
  share(
    'ring-answer-cluster',
    near,
    f.ringAnswer.total,
    t.fasRingAnswerClusterShare,
    f.ringSample.ids((v) => Math.abs(v - mode) <= 1, EXAMPLES),
    `ring → answer times were within ±${RING_BIN_MS} ms of ${((mode + 0.5) * RING_BIN_MS / 1000).toFixed(2)} s`,
  );

  let short = 0;
  for (const [sec, n] of f.durations.bins) if (sec <= t.fasShortCallSec) short += n;
  share(
    'short-calls',
    short,
    f.durations.total,
    t.fasShortCallShare,
    f.durSample.ids((v) => v <= t.fasShortCallSec, EXAMPLES),
    `answered calls lasted ${t.fasShortCallSec} s or less`,
  );

  const top = f.durations.ranked().filter(([sec]) => sec <= t.fasDurationClusterMaxSec).slice(0, 3);
  const topSet = new Set(top.map(([s]) => s));
  share(
    'duration-cluster',
    top.reduce((n, [, c]) => n + c, 0),
    f.durations.total,
    t.fasDurationClusterShare,
    f.durSample.ids((v) => topSet.has(v), EXAMPLES),
    `answered calls lasted exactly ${top.map(([s]) => `${s} s`).join(', ') || 'the most common durations'}`,
  );

  signals.push(asrHighAcdLow(inp, t));

  const silentCounts = inp.mediaSeen;
  const rtpCalls = f.rtpMedia + (silentCounts ? f.rtpSilent : 0);
  share(
    'no-rtp-after-answer',
    f.rtpBad + (silentCounts ? f.rtpSilent : 0),
    rtpCalls,
    t.fasNoRtpShare,
    f.exNoRtp.ids(),
    `answered calls with media in the capture had fewer than ${t.fasNoRtpMinPackets} RTP packets from the callee or none within ${t.fasNoRtpWindowMs / 1000} s of the 200 OK`,
  );
  share(
    'ringback-after-answer',
    f.ringbackHit,
    f.ringbackKnown,
    t.fasRingbackShare,
    f.exRingback.ids(),
    `answered calls carried a ringback tone in the callee's audio after the 200 OK`,
  );

  const weights: Record<string, number> = {
    'no-ringing': t.fasWeightNoRinging,
    'short-pdd': t.fasWeightShortPdd,
    'ring-answer-cluster': t.fasWeightRingAnswerCluster,
    'short-calls': t.fasWeightShortCalls,
    'duration-cluster': t.fasWeightDurationCluster,
    'asr-high-acd-low': t.fasWeightAsrHighAcdLow,
    'no-rtp-after-answer': t.fasWeightNoRtp,
    'ringback-after-answer': t.fasWeightRingback,
  };
  let score = 0;
  const groups = new Set<string>();
  for (const s of signals) {
    if (!s.hit) continue;
    score += weights[s.id] ?? 0;
    groups.add(GROUP[s.id] ?? s.id);
  }
  score = Math.round(score * 100) / 100;
  return { route: inp.route, flagged: score >= t.fasScore && groups.size >= t.fasMinGroups, score, signals };
}

function asrHighAcdLow(inp: FasInput, t: Thresholds): FasSignal {
  const s = inp.total;
  const cmp = inp.compare;
  const asr = s.attempts > 0 ? s.answered / s.attempts : null;
  const acd = s.durKnown > 0 ? s.durSumMs / s.durKnown / 1000 : null;
  const ex = inp.counters.durSample.ids((v) => cmp.acdSec !== null && v <= cmp.acdSec * t.fasAcdRatio, EXAMPLES);
  const base = { id: 'asr-high-acd-low', threshold: t.fasAsrRatio, calls: s.attempts, exampleCallIds: ex };
  if (asr === null || acd === null || cmp.asr === null || cmp.acdSec === null || cmp.asr === 0 || cmp.attempts < t.fasCompareMinAttempts) {
    return { ...base, hit: false, value: null, exampleCallIds: [], text: 'not measurable: no other route with enough answered traffic on the same destinations' };
  }
  const value = round4(asr / cmp.asr);
  const acdRatio = cmp.acdSec > 0 ? acd / cmp.acdSec : 1;
  const hit = s.answered >= t.fasMinCalls && value >= t.fasAsrRatio && asr >= t.fasAsrMin && acdRatio <= t.fasAcdRatio;
  const on = cmp.basis === 'prefix' ? 'other routes on the same destination prefixes' : 'all other routes';
  const text =
    `ASR ${pct(asr)} vs ${pct(cmp.asr)} on ${on} (${value.toFixed(2)}×, threshold ${t.fasAsrRatio}× and ≥ ${pct(t.fasAsrMin)}); ` +
    `ACD ${acd.toFixed(1)} s vs ${cmp.acdSec.toFixed(1)} s (${acdRatio.toFixed(2)}×, threshold ≤ ${t.fasAcdRatio}×)`;
  return { ...base, hit, value, text };
}

function round4(v: number): number {
  return Math.round(v * 10_000) / 10_000;
}
