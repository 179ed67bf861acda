import { describe, expect, it } from 'vitest';
import { Aggregator, finish, type AnalysisOptions, type AnalysisResult } from '../../src/analysis/index.js';
import { MAX_PREFIX_STATS, OTHER_PREFIX } from '../../src/analysis/aggregate.js';
import type { CallRecord } from '../../src/types.js';
import { ANALYSIS_SCENARIO, generate, type ScenarioSpec } from './gen.js';

const FAS_ROUTE = 'delta';
const SPIKE_ROUTE = 'gamma';
const FAS_SIGNALS = ['no-ringing', 'short-pdd', 'ring-answer-cluster', 'short-calls', 'duration-cluster', 'asr-high-acd-low', 'no-rtp-after-answer'];

function run(records: readonly CallRecord[], options: AnalysisOptions = {}): AnalysisResult {
  const agg = new Aggregator(options);
  for (const r of records) agg.add(r);
  return finish(agg, { inputs: [], wire: { responses: {}, requests: {} }, options: { now: new Date(0), ...options } });
}

function spikeWindow(spec: ScenarioSpec, bucketSec: number): [number, number] {
  const s = spec.routes.find((r) => r.name === SPIKE_ROUTE)!.spike!;
  const b = bucketSec * 1000;
  return [Math.floor((spec.start + s.fromMin * 60_000) / b) * b, Math.ceil((spec.start + s.toMin * 60_000) / b) * b];
}

describe('generated traffic: honest routes, a 486 spike, a FAS route', () => {
  const cases: Array<[number, AnalysisOptions['bucket']]> = [];
  for (const seed of [ANALYSIS_SCENARIO.seed, 1, 2, 3, 4, 5]) for (const bucket of [undefined, '5m', '1h'] as const) cases.push([seed, bucket]);

  it.each(cases)('seed %s, bucket %s: the spike is found in its window, the FAS route is flagged, nothing else', (seed, bucket) => {
    const spec = { ...ANALYSIS_SCENARIO, seed };
    const g = generate(spec);
    const res = run(g.records, { bucket });

    // Spikes: only on the spike route, all inside the planted window, covering its core.
    expect(res.spikes.length).toBeGreaterThan(0);
    const [from, to] = spikeWindow(spec, res.bucketSec);
    for (const s of res.spikes) {
      expect(s.route).toBe(SPIKE_ROUTE);
      expect(s.code).toBe(486);
      expect(Date.parse(s.start)).toBeGreaterThanOrEqual(from);
      expect(Date.parse(s.end)).toBeLessThanOrEqual(to);
      expect(s.share).toBeGreaterThan(s.baselineShare + 0.2);
      expect(s.exampleCallIds.length).toBeGreaterThan(0);
      for (const id of s.exampleCallIds) {
        const r = g.records.find((x) => x.callId === id)!;
        expect(r.route).toBe(SPIKE_ROUTE);
        expect(r.finalCode).toBe(486);
        expect(r.start).toBeGreaterThanOrEqual(Date.parse(s.start));
        expect(r.start).toBeLessThan(Date.parse(s.end));
      }
    }
    const covered = res.spikes.reduce((n, s) => n + Date.parse(s.end) - Date.parse(s.start), 0);
    expect(covered).toBeGreaterThanOrEqual(0.5 * (to - from));

    // FAS: the FAS route flagged with the right signals; every other route has no hit at all.
    const fas = res.fas.find((f) => f.route === FAS_ROUTE)!;
    expect(fas.flagged).toBe(true);
    expect(fas.signals.filter((s) => s.hit).map((s) => s.id).sort()).toEqual([...FAS_SIGNALS].sort());
    expect(res.fas[0].route).toBe(FAS_ROUTE);
    for (const f of res.fas) {
      if (f.route === FAS_ROUTE) continue;
      expect(f.flagged, f.route).toBe(false);
      expect(f.signals.filter((s) => s.hit).map((s) => `${f.route}:${s.id}`)).toEqual([]);
    }

    // False busy: exactly the planted retries.
    const found = res.falseBusy.map((f) => `${f.busyCallId}>${f.answeredCallId}`).sort();
    expect(found).toEqual(g.falseBusy.map((f) => `${f.busyCallId}>${f.answeredCallId}`).sort());
    for (const f of res.falseBusy) {
      expect(f.busyRoute).toBe(SPIKE_ROUTE);
      expect(f.answeredRoute).toBe(spec.falseBusy.retryRoute);
    }
    expect(res.falseBusyCount).toBe(g.falseBusy.length);
  });

  const g = generate();
  const res = run(g.records);

  it('counts every record once, per route and in total, as the records say', () => {
    expect(res.totals.attempts).toBe(g.records.length);
    for (const m of res.routes) {
      const mine = g.records.filter((r) => r.route === m.route);
      expect(m.attempts).toBe(mine.length);
      expect(m.answered).toBe(mine.filter((r) => r.finalCode === 200).length);
      const codes: Record<string, number> = {};
      for (const r of mine) codes[String(r.finalCode ?? 0)] = (codes[String(r.finalCode ?? 0)] ?? 0) + 1;
      expect(m.codes).toEqual(codes);
      const durations = mine.filter((r) => r.finalCode === 200).map((r) => r.duration!);
      expect(m.acdSec).toBeCloseTo(durations.reduce((a, b) => a + b, 0) / durations.length / 1000, 1);
    }
    expect(res.routes.reduce((n, r) => n + r.attempts, 0)).toBe(res.totals.attempts);
  });

  it('sorts routes worst ASR first and gives each a full bucket series over the span', () => {
    const asr = res.routes.map((r) => r.asr!);
    expect([...asr].sort((a, b) => a - b)).toEqual(asr);
    expect(res.bucketSec).toBe(900); // 6 h of calls, the last ones ending after 06:00 → > 6 h → 15 min
    const n = res.buckets[0].series.length;
    for (const b of res.buckets) {
      expect(b.series.length).toBe(n);
      expect(b.series.reduce((s, x) => s + x.attempts, 0)).toBe(res.routes.find((r) => r.route === b.route)!.attempts);
    }
    expect(res.span!.start).toBe(new Date(g.records[0].start).toISOString());
  });

  it('compares the FAS route per destination prefix with --prefix-digits', () => {
    const p = run(g.records, { prefixDigits: 4 });
    const fas = p.fas.find((f) => f.route === FAS_ROUTE)!;
    const cmp = fas.signals.find((s) => s.id === 'asr-high-acd-low')!;
    expect(cmp.hit).toBe(true);
    expect(cmp.text).toContain('same destination prefixes');
    expect(p.fas.filter((f) => f.flagged).map((f) => f.route)).toEqual([FAS_ROUTE]);
    const prefixes = new Set(p.prefixes!.map((x) => x.prefix));
    expect([...prefixes].sort()).toEqual(['3712', '4420', '7495', '7916']);
    for (const m of p.routes) {
      const rows = p.prefixes!.filter((x) => x.route === m.route);
      expect(rows.reduce((n, x) => n + x.attempts, 0)).toBe(m.attempts);
    }
  });

  it('bounds the prefix groups: past the cap new prefixes are counted under "other"', () => {
    const many = [1, 2, 3, 4].flatMap((seed) => generate({ ...ANALYSIS_SCENARIO, seed, start: ANALYSIS_SCENARIO.start + seed * 86_400_000 }).records);
    const p = run(many, { prefixDigits: 11, bucket: '1d' });
    expect(p.prefixes!.length).toBeLessThanOrEqual(MAX_PREFIX_STATS + p.routes.length);
    expect(p.prefixes!.some((x) => x.prefix === OTHER_PREFIX)).toBe(true);
    expect(p.prefixes!.reduce((n, x) => n + x.attempts, 0)).toBe(many.length);
  });

  it('reports the thresholds in force, overridable by name', () => {
    expect(res.thresholds.fasScore).toBe(3);
    const strict = run(g.records, { thresholds: { fasScore: 100 } });
    expect(strict.thresholds.fasScore).toBe(100);
    expect(strict.fas.some((f) => f.flagged)).toBe(false);
    const loose = run(g.records, { thresholds: { spikeMinIncrease: 0.9 } });
    expect(loose.spikes).toEqual([]);
  });
});
