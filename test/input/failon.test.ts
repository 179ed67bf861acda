import { describe, expect, it } from 'vitest';
import { evaluateFailOn, parseFailOn } from '../../src/failon.js';
import { UsageError } from '../../src/errors.js';
import type { AnalysisResult, RouteMetrics } from '../../src/analysis/result.js';

const q = { count: 0, medianMs: null, p95Ms: null, meanMs: null };
function route(name: string, attempts: number, asr: number, extra: Partial<RouteMetrics> = {}): RouteMetrics {
  return {
    route: name, attempts, answered: Math.round(attempts * asr), asr, ser: asr, seer: 0.9, isa: 0, ner: 0.9, acdSec: 120, minutes: 1,
    pddSuccess: { ...q, count: 1, medianMs: 2000, p95Ms: 9000 }, pddFailure: q, sdt: q, shortUnder10s: 0, shortUnder30s: 0,
    codes: {}, codeMix: [], reroutable: 0, notReroutable: 0, codeSources: {}, ...extra,
  };
}
function result(routes: RouteMetrics[], extra: Partial<AnalysisResult> = {}): AnalysisResult {
  return {
    tool: { name: 'sipscope', version: '0' }, generatedAt: '', inputs: [], wire: { responses: {}, requests: {} }, routes, totals: routes[0]!,
    bucketSec: 300, buckets: [], spikes: [], falseBusy: [], fas: [], span: null, thresholds: {}, ...extra,
  };
}

describe('--fail-on', () => {
  it('parses every rule kind', () => {
    expect(parseFailOn('asr<35, spike,FAS,pdd>8').map((r) => r.text)).toEqual(['asr<35', 'spike', 'fas', 'pdd>8']);
  });
  it.each(['asr', 'asr<', 'foo<3', 'asr<x', ''])('refuses %j', (spec) => {
    expect(() => parseFailOn(spec)).toThrow(UsageError);
  });
  it('judges rate rules only on routes with enough attempts', () => {
    const r = result([route('thin', 5, 0.1), route('bad', 100, 0.2), route('good', 100, 0.5)]);
    const f = evaluateFailOn(r, parseFailOn('asr<35'), 20);
    expect(f.map((x) => x.route)).toEqual(['bad']);
    expect(evaluateFailOn(r, parseFailOn('asr<35'), 1).map((x) => x.route)).toEqual(['thin', 'bad']);
  });
  it('pdd uses the p95 of successful setups in seconds', () => {
    expect(evaluateFailOn(result([route('a', 100, 0.5)]), parseFailOn('pdd>8'), 1)).toHaveLength(1);
    expect(evaluateFailOn(result([route('a', 100, 0.5)]), parseFailOn('pdd>10'), 1)).toHaveLength(0);
  });
  it('the detail shows the measured value past the threshold, in its unit, on the metric\'s own base', () => {
    const detail = (spec: string, r: RouteMetrics): string[] => evaluateFailOn(result([r]), parseFailOn(spec), 1).map((x) => x.detail);
    // p95 of 7.6475 s against 7.6: two decimals, or it would read "7.6 > 7.6"; over the setups it rests on
    const pdd = route('a', 944, 0.5, { pddSuccess: { ...q, count: 548, medianMs: 3990, p95Ms: 7647.5 } });
    expect(detail('pdd>7.6', pdd)).toEqual(['p95 PDD 7.65 s > 7.6 s over 548 successful setups']);
    expect(detail('pdd>7', pdd)).toEqual(['p95 PDD 7.6 s > 7 s over 548 successful setups']);
    expect(detail('pdd>7.647', pdd)).toEqual(['p95 PDD 7.6475 s > 7.647 s over 548 successful setups']);
    // never fewer decimals than the threshold: 7.6502 against 7.65 is not "7.7"
    expect(detail('pdd>7.65', route('a', 944, 0.5, { pddSuccess: { ...q, count: 548, medianMs: 3990, p95Ms: 7650.2 } }))).toEqual(['p95 PDD 7.6502 s > 7.65 s over 548 successful setups']);
    // ASR on the attempts; 34.99 % against 35 is not "35.0 < 35"
    expect(detail('asr<35', route('a', 10_000, 0.3499))).toEqual(['ASR 34.99% < 35% over 10,000 attempts']);
    expect(detail('asr<35', route('a', 944, 0.2))).toEqual(['ASR 20.0% < 35% over 944 attempts']);
    expect(detail('asr<35', route('a', 1, 0.2))).toEqual(['ASR 20.0% < 35% over 1 attempt']);
    expect(detail('ner<95', route('a', 944, 0.5))).toEqual(['NER 90.0% < 95% over 944 attempts']);
    // SEER: attempts less those ending in 3xx (RFC 6076 §4.7)
    expect(detail('seer<95', route('a', 944, 0.5, { codes: { '200': 472, '302': 40, '486': 400, '503': 32 } }))).toEqual(['SEER 90.0% < 95% over 904 attempts not ending in 3xx (of 944)']);
    expect(detail('seer<95', route('a', 944, 0.5, { codes: { '200': 472, '486': 472 } }))).toEqual(['SEER 90.0% < 95% over 944 attempts']);
    // ACD: the mean of the answered calls with a known duration
    expect(detail('acd<120.05', route('a', 944, 0.5))).toEqual(['ACD 120.00 s < 120.05 s, the mean over the answered calls with a known duration (472 answered)']);
  });
  it.each([
    ['asr>45', /'asr>45': asr rules break when the route's ASR falls below the value: write asr<45/],
    ['seer>1', /write seer<1$/],
    ['ner > 3', /write ner<3$/],
    ['acd>60', /write acd<60$/],
    ['pdd<2', /'pdd<2': pdd rules break when the route's p95 PDD rises above the value: write pdd>2/],
    ['asr<0x10', /cannot read 'asr<0x10'/],
    ['asr<1e1', /cannot read/],
    ['asr<35%', /cannot read/],
    ['asr<-5', /cannot read/],
    ['asr<150', /asr is a percentage, from 0 to 100/],
    ['acd<>3', /cannot read/],
    ['constructor<3', /cannot read/],
  ])('refuses the undocumented form %j with a usage error that says what to write', (spec, message) => {
    expect(() => parseFailOn(spec)).toThrow(UsageError);
    expect(() => parseFailOn(spec)).toThrow(message);
  });
  it('reads plain decimal values, and names the config key when the rule came from a config file', () => {
    expect(parseFailOn('asr<35.5,acd<.5,pdd>8').map((r) => (r.kind === 'metric' ? r.value : NaN))).toEqual([35.5, 0.5, 8]);
    expect(() => parseFailOn('asr>1', 'c.json: failOn')).toThrow(/^c\.json: failOn: 'asr>1'/);
  });
  it('spike and fas break only when present/flagged', () => {
    const base = result([route('a', 100, 0.5)]);
    expect(evaluateFailOn(base, parseFailOn('spike,fas'), 1)).toEqual([]);
    const withBoth = result([route('a', 100, 0.5)], {
      spikes: [{ route: 'a', code: 486, start: 's', end: 'e', count: 30, attempts: 50, share: 0.6, baselineShare: 0.1, exampleCallIds: [] }],
      fas: [{ route: 'a', flagged: true, score: 3, signals: [] }, { route: 'b', flagged: false, score: 0, signals: [] }],
    });
    expect(evaluateFailOn(withBoth, parseFailOn('spike,fas'), 1).map((x) => `${x.rule}:${x.route}`)).toEqual(['spike:a', 'fas:a']);
  });
});
