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
