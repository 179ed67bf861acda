import { describe, expect, it } from 'vitest';
import { Aggregator, finish, type AnalysisResult, type RouteMetrics } from '../../src/analysis/index.js';
import { CallFlag, type CallRecord } from '../../src/types.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
let seq = 0;

/** A record with sensible defaults: `rec(486)`, `rec(200, { duration: 60_000 })`. */
function rec(code: number | undefined, extra: Partial<CallRecord> = {}): CallRecord {
  const r: CallRecord = { callId: `c${++seq}`, route: 'r', start: T0, codeSource: 'sip', flags: 0, source: { file: 't' } };
  if (code !== undefined) r.finalCode = code;
  if (code !== undefined && code >= 200 && code < 300) {
    r.answer = T0 + 5000;
    r.duration = 60_000;
  }
  return { ...r, ...extra };
}

function analyse(records: CallRecord[]): AnalysisResult {
  const a = new Aggregator();
  for (const r of records) a.add(r);
  return finish(a, { inputs: [], wire: { responses: {}, requests: {} }, options: { now: new Date(0) } });
}

function route(records: CallRecord[]): RouteMetrics {
  return analyse(records).routes[0];
}

/** True when a NaN or an infinity hides anywhere in the value. */
function hasNonFinite(v: unknown): boolean {
  if (typeof v === 'number') return !Number.isFinite(v);
  if (Array.isArray(v)) return v.some(hasNonFinite);
  if (v && typeof v === 'object') return Object.values(v).some(hasNonFinite);
  return false;
}

describe('metrics edge cases', () => {
  it('no records at all: empty routes, totals of zero with nulls, not NaN', () => {
    const res = analyse([]);
    expect(res.routes).toEqual([]);
    expect(res.span).toBeNull();
    expect(res.totals).toMatchObject({ attempts: 0, answered: 0, asr: null, ser: null, seer: null, isa: null, ner: null, acdSec: null, minutes: 0 });
    expect(res.totals.pddSuccess).toEqual({ count: 0, medianMs: null, p95Ms: null, meanMs: null });
    expect(res.totals.shortUnder10s).toBeNull();
    expect(hasNonFinite(res)).toBe(false);
  });

  it('an empty bucket in a series has nulls, not NaN', () => {
    const res = analyse([rec(200), rec(486, { start: T0 + 3 * 3_600_000 })]);
    const empty = res.buckets[0].series.filter((b) => b.attempts === 0);
    expect(empty.length).toBeGreaterThan(0);
    expect(empty[0].asr).toBeNull();
    expect(hasNonFinite(res)).toBe(false);
  });

  type Row = [string, CallRecord[], Partial<Record<keyof RouteMetrics, unknown>>];
  const rows: Row[] = [
    ['all failures', [rec(486), rec(503), rec(404)], { attempts: 3, answered: 0, asr: 0, ser: 0, seer: 0.3333, acdSec: null, minutes: 0, shortUnder10s: null }],
    // RFC 6076 §4.6/4.7: 3xx leave the SER/SEER denominator, not the ASR one.
    ['3xx excluded from SER and SEER', [rec(200), rec(302), rec(301), rec(486)], { attempts: 4, asr: 0.25, ser: 0.5, seer: 1, isa: 0 }],
    ['only 3xx: SER/SEER have no denominator', [rec(302), rec(302)], { asr: 0, ser: null, seer: null, isa: 0 }],
    ['ISA counts 408, 500, 503, 504', [rec(408), rec(500), rec(503), rec(504), rec(502), rec(200)], { isa: 0.6667, seer: 0.1667 }],
    ['SEER counts 200, 480, 486, 600, 603', [rec(200), rec(480), rec(486), rec(600), rec(603), rec(404), rec(487), rec(503)], { seer: 0.625 }],
    [
      'a challenged attempt is one attempt with its final code',
      [rec(200, { flags: CallFlag.AuthChallenged }), rec(486, { flags: CallFlag.AuthChallenged }), rec(407)],
      { attempts: 3, answered: 1, asr: 0.3333, codes: { '200': 1, '486': 1, '407': 1 } },
    ],
    ['no final response is code 0', [rec(undefined, { flags: CallFlag.TimedOut }), rec(200)], { attempts: 2, answered: 1, codes: { '200': 1, '0': 1 } }],
    ['an answer time without a code counts as 200', [rec(undefined, { answer: T0 + 1000, end: T0 + 61_000 })], { answered: 1, codes: { '200': 1 }, acdSec: 60 }],
    [
      'ACD, minutes and short-call shares over answered calls with a known duration',
      [rec(200, { duration: 5000 }), rec(200, { duration: 20_000 }), rec(200, { duration: 95_000 }), rec(200, { duration: undefined, end: undefined }), rec(486)],
      { answered: 4, acdSec: 40, minutes: 2, shortUnder10s: 0.3333, shortUnder30s: 0.6667 },
    ],
    [
      'duration from answer → end when the source gave none',
      [rec(200, { duration: undefined, answer: T0 + 2000, end: T0 + 32_000 })],
      { acdSec: 30, shortUnder30s: 0 },
    ],
    [
      're-routable failures vs not (486 is not re-routed; 6xx never; 3xx and 0 are not failures)',
      [rec(503), rec(408), rec(486), rec(404), rec(603), rec(302), rec(undefined), rec(200)],
      { reroutable: 2, notReroutable: 3 },
    ],
    [
      'NER: answered, busy, no answer, reject count; by Q.850 cause where the record has one',
      [rec(200), rec(486), rec(480), rec(603), rec(503), rec(404), rec(503, { q850: 17 }), rec(486, { q850: 34 })],
      { ner: 0.625 },
    ],
    ['code sources are counted', [rec(200), rec(486, { codeSource: 'q850' }), rec(486, { codeSource: 'disposition' })], { codeSources: { sip: 1, q850: 1, disposition: 1 } }],
  ];

  it.each(rows)('%s', (_name, records, expected) => {
    const m = route(records);
    for (const [k, v] of Object.entries(expected)) expect(m[k as keyof RouteMetrics], k).toEqual(v);
  });

  it('PDD: success to the first 18x (or the 200 when first), failure to the final, 401/402/407 excluded', () => {
    const m = route([
      rec(200, { ringing: T0 + 2000, answer: T0 + 9000 }),
      rec(200, { ringing: undefined, answer: T0 + 400 }),
      rec(486, { ringing: T0 + 3000, end: T0 + 8000 }), // rang first: a successful setup (RFC 6076 §4.3.1)
      rec(486, { end: T0 + 700 }),
      rec(503, { end: T0 + 1500 }),
      rec(407, { end: T0 + 50 }),
      rec(401, { end: T0 + 50 }),
      rec(302, { end: T0 + 90 }),
      rec(undefined),
    ]);
    // Quantiles are exact to 1/128 of the value (the histogram's resolution); means are exact.
    const near = (v: number | null, want: number): void => expect(Math.abs(v! - want)).toBeLessThanOrEqual(want / 128);
    expect(m.pddSuccess.count).toBe(3);
    near(m.pddSuccess.medianMs, 2000);
    near(m.pddSuccess.p95Ms, 3000);
    expect(m.pddSuccess.meanMs).toBe(1800);
    expect(m.pddFailure.count).toBe(2);
    near(m.pddFailure.medianMs, 700);
    near(m.pddFailure.p95Ms, 1500);
    expect(m.pddFailure.meanMs).toBe(1100);
  });

  it("PDD: the source's own value wins over the times", () => {
    const m = route([rec(200, { ringing: T0 + 2000, pdd: 100 })]);
    expect(m.pddSuccess.medianMs).toBe(100);
  });

  it('SDT where the BYE and its answer were seen', () => {
    const m = route([rec(200, { sdt: 40 }), rec(200, { sdt: 60 }), rec(200)]);
    expect(m.sdt).toEqual({ count: 2, medianMs: 40, p95Ms: 60, meanMs: 50 });
  });

  it('code mix is sorted by count and annotated from the catalogue', () => {
    const m = route([rec(486), rec(486), rec(503), rec(undefined)]);
    expect(m.codeMix.map((c) => c.code)).toEqual([486, 0, 503]);
    const busy = m.codeMix[0];
    expect(busy).toMatchObject({ code: 486, count: 2, share: 0.5, reason: 'Busy Here', reroutable: false });
    expect(busy.meaning.length).toBeGreaterThan(0);
    expect(m.codeMix.find((c) => c.code === 503)!.reroutable).toBe(true);
    expect(m.codeMix.find((c) => c.code === 0)).toMatchObject({ reason: 'No final response', reroutable: null });
  });

  it('a CDR row that rang and then failed is a successful setup; one whose PDD reaches its end a failed one (RFC 6076 §4.3)', () => {
    const cdr = { provisionalsSeen: false } as const;
    const res = analyse([
      rec(480, { ...cdr, pdd: 3000, end: T0 + 40_000 }), // rang 3 s, no answer after 40 s
      rec(487, { ...cdr, pdd: 2000, end: T0 + 9_000 }), // rang, cancelled
      rec(486, { ...cdr, pdd: 700, end: T0 + 700 }), // busy at once: the PDD is the failure's own
      rec(503, { ...cdr, pdd: 900, end: T0 + 1_000 }), // within a second of the end: the same
      rec(486, { pdd: 700, end: T0 + 5_000 }), // a capture: no ringing seen means none came
    ]);
    const m = res.routes[0]!;
    expect(m.pddSuccess.count).toBe(2);
    expect(m.pddFailure.count).toBe(3);
  });

  it('records without a valid start time still count in the route totals, outside the series', () => {
    const res = analyse([rec(200), rec(486, { start: Number.NaN })]);
    expect(res.routes[0].attempts).toBe(2);
    expect(res.buckets[0].series.reduce((n, b) => n + b.attempts, 0)).toBe(1);
    expect(hasNonFinite(res)).toBe(false);
  });
});
