import { describe, expect, it } from 'vitest';
import { Aggregator, finish, type AnalysisOptions } from '../../src/analysis/index.js';
import type { CallRecord } from '../../src/types.js';
import { generate, Rng } from './gen.js';

const CTX = { inputs: [], wire: { responses: {}, requests: {} } };

function aggOf(records: readonly CallRecord[], opts: AnalysisOptions = {}): Aggregator {
  const a = new Aggregator(opts);
  for (const r of records) a.add(r);
  return a;
}

function result(a: Aggregator, opts: AnalysisOptions = {}): unknown {
  return finish(a, { ...CTX, options: { now: new Date(0), ...opts } });
}

/** Splits records into n parts at random, each part shuffled (records arrive out of order). */
function split(records: readonly CallRecord[], n: number, seed: number): CallRecord[][] {
  const rng = new Rng(seed);
  const parts: CallRecord[][] = Array.from({ length: n }, () => []);
  for (const r of records) parts[rng.int(0, n - 1)].push(r);
  for (const p of parts) {
    for (let i = p.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [p[i], p[j]] = [p[j], p[i]];
    }
  }
  return parts;
}

describe('merge and JSON', () => {
  const { records } = generate();

  for (const opts of [{}, { prefixDigits: 3 }, { bucket: '5m' as const }]) {
    it(`merge(a, b, c) of shuffled parts equals one pass over all records (${JSON.stringify(opts)})`, () => {
      const whole = result(aggOf(records, opts), opts);
      const [a, b, c] = split(records, 3, 7).map((p) => aggOf(p, opts));
      a.merge(b);
      a.merge(c);
      expect(result(a, opts)).toEqual(whole);
    });
  }

  it('with a small cap the base coarsens (5 min → 15 min → 1 h), merges still equal one pass, and buckets are never finer than the base', () => {
    const opts = { maxBucketStats: 100 };
    const whole = aggOf(records, opts);
    expect(whole.baseMs).toBe(3_600_000); // 5 routes × 26 quarter-hours is more than 100; × 7 hours is not
    const res = result(whole, { ...opts, bucket: '5m' }) as { bucketSec: number; routes: unknown; spikes: unknown[] };
    expect(res.bucketSec).toBe(3600);
    expect((result(whole, { ...opts, bucket: '1h' }) as { routes: unknown }).routes).toEqual((result(aggOf(records), { bucket: '1h' }) as { routes: unknown }).routes);
    const parts = split(records, 3, 5).map((p) => aggOf(p, opts));
    const fine = aggOf(records.slice(0, 200), opts);
    expect(fine.baseMs).toBe(300_000);
    fine.merge(parts[0]);
    fine.merge(parts[1]);
    fine.merge(parts[2]);
    const extra = aggOf(records.slice(0, 200), opts);
    const together = aggOf([...records, ...records.slice(0, 200)], opts);
    expect(result(fine, opts)).toEqual(result(together, opts));
    expect(Aggregator.fromJSON(JSON.parse(JSON.stringify(fine.toJSON()))).baseMs).toBe(fine.baseMs);
    expect(extra.baseMs).toBe(300_000);
  });

  it('toJSON → fromJSON gives the same result, also through JSON text and after merging', () => {
    const opts = { prefixDigits: 2 };
    const whole = aggOf(records, opts);
    const expected = result(whole, opts);
    const back = Aggregator.fromJSON(JSON.parse(JSON.stringify(whole.toJSON())));
    expect(result(back, opts)).toEqual(expected);
    expect(back.toJSON()).toEqual(whole.toJSON());

    const parts = split(records, 4, 11).map((p) => Aggregator.fromJSON(JSON.parse(JSON.stringify(aggOf(p, opts).toJSON()))));
    const merged = parts[0];
    for (const p of parts.slice(1)) merged.merge(p);
    expect(result(merged, opts)).toEqual(expected);
  });

  it('merging into an empty aggregator copies, and refuses aggregates built differently', () => {
    const empty = new Aggregator();
    const full = aggOf(records);
    empty.merge(full);
    expect(result(empty)).toEqual(result(full));
    expect(() => new Aggregator({ prefixDigits: 2 }).merge(new Aggregator({ prefixDigits: 3 }))).toThrow(/prefixDigits/);
    expect(() => new Aggregator().merge(new Aggregator({ thresholds: { falseBusyWindowMin: 1 } }))).toThrow(/falseBusyWindowMin/);
  });

  it('rejects JSON that is not an aggregate', () => {
    expect(() => Aggregator.fromJSON(null)).toThrow(TypeError);
    expect(() => Aggregator.fromJSON({ v: 99, routes: [] })).toThrow(TypeError);
  });
});
