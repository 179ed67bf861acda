/** The faster paths give exactly what the plain definitions give. */
import { describe, expect, it } from 'vitest';
import { baselineOf, leaveOneOutBaselines } from '../../src/analysis/spikes.js';
import { CountsSum, LogHistogram, logBinValue, SparseCounts } from '../../src/analysis/quantiles.js';
import { FalseBusyTracker } from '../../src/analysis/falsebusy.js';
import { hashId } from '../../src/analysis/reservoir.js';
import { Stats, StatsSum } from '../../src/analysis/stats.js';
import { routeMetrics } from '../../src/analysis/metrics.js';
import { Aggregator, finish } from '../../src/analysis/index.js';
import { generate, Rng } from './gen.js';

describe('spike baselines', () => {
  it('leave-one-out baselines equal baselineOf over the other buckets, ties and odd/even counts included', () => {
    const rng = new Rng(42);
    for (let trial = 0; trial < 300; trial++) {
      const n = rng.int(1, 40);
      const coarse = rng.chance(0.5);
      const shares = Array.from({ length: n }, () => (coarse ? rng.int(0, 4) / 20 : rng.int(0, 1000) / rng.int(20, 500)));
      const fast = leaveOneOutBaselines(shares);
      shares.forEach((_, i) => {
        const others = shares.filter((_, j) => j !== i);
        const slow = others.length === 0 ? { base: 0, spread: 0 } : baselineOf(others);
        expect(fast[i]).toEqual(slow);
      });
    }
  });
});

describe('SparseCounts', () => {
  it('counts like a Map, odd bins included', () => {
    const rng = new Rng(7);
    const s = new SparseCounts();
    const m = new Map<number, number>();
    const odd = [-1, 0.5, 2 ** 31, Number.NaN, -0];
    for (let i = 0; i < 5000; i++) {
      const bin = i % 50 === 0 ? odd[rng.int(0, odd.length - 1)] : rng.int(0, 3000);
      const n = rng.int(1, 3);
      s.add(bin, n);
      const k = Object.is(bin, -0) ? 0 : bin;
      m.set(k, (m.get(k) ?? 0) + n);
    }
    const byText = (x: Map<number, number>): Record<string, number> => Object.fromEntries([...x].map(([k, n]) => [String(k), n]));
    expect(byText(s.bins)).toEqual(byText(m));
    expect(s.bins.size).toBe(m.size);
    for (const [k, n] of m) expect(s.get(k)).toBe(n);
    expect(s.get(123_456)).toBe(0);
    expect(s.total).toBe([...m.values()].reduce((a, b) => a + b, 0));
    const t = new SparseCounts(); // JSON has no NaN
    s.forEach((bin, n) => (Number.isNaN(bin) ? undefined : t.add(bin, n)));
    expect(SparseCounts.fromJSON(JSON.parse(JSON.stringify(t.toJSON()))).toJSON()).toEqual(t.toJSON());
  });
});

describe('SparseCounts reserved', () => {
  it('a table sized in advance counts the same as one grown step by step', () => {
    const rng = new Rng(12);
    for (const reserveFor of [0, 3, 5, 64, 1000]) {
      const a = new SparseCounts();
      const b = new SparseCounts();
      b.reserve(reserveFor);
      for (let i = 0; i < 700; i++) {
        const bin = rng.int(0, 900);
        a.add(bin);
        b.add(bin);
      }
      expect(b.toJSON()).toEqual(a.toJSON());
      expect(b.total).toBe(a.total);
      expect(b.tableBins).toBe(a.tableBins);
    }
  });
});

describe('false busy tracker storage', () => {
  it('numbers with + / 00 prefixes and non-ASCII text are one callee and come back as the same strings', () => {
    const f = new FalseBusyTracker(600_000, 1000);
    f.record('+74951234567', true, 'a', 1000, 'b-\u00e9\u{1F600}');
    f.record('0074951234567', false, 'b', 2000, 'a-1');
    f.record('\u0436\u0436', true, 'a', 1000, 'b2');
    f.record('\u0436\u0436', false, 'b', 1500, 'a2');
    f.record('+', false, 'b', 1500, 'ignored');
    const r = f.results();
    expect(r.map((x) => [x.callee, x.busyCallId, x.answeredCallId])).toEqual([
      ['74951234567', 'b-\u00e9\u{1F600}', 'a-1'],
      ['\u0436\u0436', 'b2', 'a2'],
    ]);
    const back = FalseBusyTracker.fromJSON(JSON.parse(JSON.stringify(f.toJSON())));
    expect(back.toJSON()).toEqual(f.toJSON());
  });

  it('an answer or a busy on no known route (a PBX voicemail row) makes no pair', () => {
    const f = new FalseBusyTracker(600_000, 1000);
    // Master.csv: extension 3323 busy, then the same call answered by voicemail (no trunk): not a retry.
    f.record('3323', true, '3323', 1000, '1543608885.597');
    f.record('3323', false, 'unknown', 1000, '1543608885.597');
    f.record('5004', true, 'unknown', 1000, 'x1');
    f.record('5004', false, 'vendor-b', 2000, 'x2');
    expect(f.results()).toEqual([]);
    // A failover on the same channel (one uniqueid) through another trunk is one.
    f.record('7495', true, 'vendor-a', 1000, 'c1');
    f.record('7495', false, 'vendor-b', 9000, 'c1');
    expect(f.results().map((x) => [x.busyRoute, x.answeredRoute])).toEqual([['vendor-a', 'vendor-b']]);
  });

  it('a full cap of pairs keeps the earliest ones whatever the arrival order', () => {
    const mk = (order: number[]): unknown => {
      const f = new FalseBusyTracker(600_000, 100_000);
      for (const i of order) {
        f.busy(`n${i}`, 'x', i * 1000, `b${i}`);
        f.answered(`n${i}`, 'y', i * 1000 + 5, `a${i}`);
      }
      return [f.results(), f.total];
    };
    const fwd = Array.from({ length: 800 }, (_, i) => i);
    const rng = new Rng(3);
    const shuffled = [...fwd];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    const a = mk(fwd) as [Array<{ busyCallId: string }>, number];
    expect(a[1]).toBe(800);
    expect(a[0].length).toBe(500);
    expect(a[0][499].busyCallId).toBe('b499');
    expect(mk(shuffled)).toEqual(a);
    expect(mk([...fwd].reverse())).toEqual(a);
  });
});

describe('sums of many counters', () => {
  /** Random counts: dense small bins, bins past the dense range, odd bins, zero counts. */
  function randomCounts(rng: Rng, c: SparseCounts): void {
    const k = rng.int(0, 60);
    for (let i = 0; i < k; i++) {
      const r = rng.int(0, 99);
      const bin = r < 70 ? rng.int(0, 300) : r < 85 ? rng.int(4000, 5000) : r < 95 ? rng.int(0, 2 ** 31 - 2) : [-1, 0.5, 2 ** 31, -0][rng.int(0, 3)];
      c.add(bin, rng.int(0, 9) === 0 ? 0 : rng.int(1, 5));
    }
  }

  it('CountsSum gives the bins, counts and total that merging one after the other gives, and is reusable', () => {
    const rng = new Rng(21);
    const sum = new CountsSum();
    for (let trial = 0; trial < 200; trial++) {
      const parts = Array.from({ length: rng.int(0, 12) }, () => {
        const c = new SparseCounts();
        randomCounts(rng, c);
        return c;
      });
      const merged = new SparseCounts();
      for (const p of parts) merged.merge(p);
      for (const p of parts) p.addTo(sum);
      const summed = new SparseCounts();
      summed.takeFrom(sum);
      expect(summed.toJSON()).toEqual(merged.toJSON());
      expect(summed.total).toBe(merged.total);
      expect(summed.ranked()).toEqual(merged.ranked());
      for (const [bin, n] of merged.entries()) expect(summed.get(bin)).toBe(n);
    }
  });

  it('StatsSum equals merging the same Stats in the same order (fractional sums and code-source order included)', () => {
    const rng = new Rng(5);
    const sources = ['sip', 'q850', 'disposition', 'hangup-cause'];
    const sum = new StatsSum();
    for (let trial = 0; trial < 100; trial++) {
      const parts = Array.from({ length: rng.int(1, 15) }, () => {
        const s = new Stats();
        const n = rng.int(0, 40);
        for (let i = 0; i < n; i++) {
          const answered = rng.chance(0.5);
          s.add({
            code: answered ? 200 : [486, 404, 0, 503, 302, 999][rng.int(0, 5)],
            answered,
            ner: rng.chance(0.5),
            reroute: rng.int(0, 2) as 0 | 1 | 2,
            durMs: answered ? rng.uniform(0, 300_000) : -1,
            pddOk: answered ? rng.uniform(0, 20_000) : -1,
            pddFail: answered ? -1 : rng.uniform(0, 5e9),
            sdt: rng.chance(0.3) ? rng.uniform(0, 500) : -1,
            codeSource: sources[rng.int(0, 3)],
          });
        }
        return s;
      });
      const merged = new Stats();
      for (const p of parts) merged.merge(p);
      for (const p of parts) sum.add(p);
      const summed = sum.take();
      expect(summed.toJSON()).toEqual(merged.toJSON());
      expect(routeMetrics('r', summed)).toEqual(routeMetrics('r', merged));
      expect([...summed.sources]).toEqual([...merged.sources]);
    }
  });

  it('delay quantiles from sorted bins equal the nearest rank over the sorted [bin, count] pairs', () => {
    const rng = new Rng(8);
    for (let trial = 0; trial < 300; trial++) {
      const h = new LogHistogram();
      const n = rng.int(0, trial < 150 ? 40 : 3000);
      for (let i = 0; i < n; i++) h.add(rng.chance(0.5) ? rng.int(0, 200) : rng.uniform(0, 60_000));
      const sorted = h.counts.entries().sort((a, b) => a[0] - b[0]);
      const rank = (q: number): number | null => {
        let seen = 0;
        for (const [bin, c] of sorted) if ((seen += c) >= Math.max(1, Math.ceil(q * n))) return logBinValue(bin);
        return null;
      };
      const r1 = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10);
      const s = h.summary();
      expect(s.count).toBe(n);
      expect(s.medianMs).toBe(r1(rank(0.5)));
      expect(s.p95Ms).toBe(r1(rank(0.95)));
      expect(h.quantile(0.99)).toBe(rank(0.99));
    }
  });
});

describe('route totals in finish', () => {
  it('a route total made from its hourly groups equals the sum of its base buckets (fractional delays, undated records)', () => {
    const { records } = generate();
    const a = new Aggregator();
    records.forEach((r, i) => a.add(i % 97 === 0 ? { ...r, start: Number.NaN } : r));
    for (const bucket of ['15m', '1h', '1d'] as const) {
      const res = finish(a, { inputs: [], wire: { responses: {}, requests: {} }, options: { now: new Date(0), bucket } });
      expect(res.routes.length).toBe(a.routes.size);
      for (const r of res.routes) expect(r).toEqual(routeMetrics(r.route, a.routes.get(r.route)!.total()));
    }
  });
});

describe('false busy and the Call-ID hash', () => {
  it('record returns hashId(callId) when it copied the Call-ID, else −1, and the aggregate is the same either way', () => {
    const f = new FalseBusyTracker(600_000, 20);
    const rng = new Rng(4);
    let copied = 0;
    for (let i = 0; i < 2000; i++) {
      const id = `c${i}-\u00e9${rng.int(0, 1e6)}`;
      const callee = rng.chance(0.5) ? `+7${rng.int(0, 30)}` : `00${rng.int(0, 30)}`;
      const h = f.record(callee, rng.chance(0.5), `r${rng.int(0, 2)}`, i * 1000, id);
      if (h >= 0) {
        copied++;
        expect(h).toBe(hashId(id));
      } else expect(h).toBe(-1);
    }
    expect(copied).toBeGreaterThan(100);
    expect(copied).toBeLessThan(2000);
    expect(f.record('+', true, 'r', 0, 'x')).toBe(-1);
  });

  it('one pass and merged parts give the same aggregate JSON (false-busy memory, examples, counters)', () => {
    const { records } = generate();
    const whole = new Aggregator({ prefixDigits: 2 });
    for (const r of records) whole.add(r);
    const parts = [new Aggregator({ prefixDigits: 2 }), new Aggregator({ prefixDigits: 2 })];
    records.forEach((r, i) => parts[i < records.length / 2 ? 0 : 1].add(r));
    const merged = Aggregator.fromJSON(JSON.parse(JSON.stringify(parts[0].toJSON())));
    merged.merge(Aggregator.fromJSON(JSON.parse(JSON.stringify(parts[1].toJSON()))));
    const routes = (a: Aggregator): unknown => (a.toJSON() as { routes: unknown }).routes;
    expect(routes(merged)).toEqual(routes(whole));
    expect(merged.falseBusy.results()).toEqual(whole.falseBusy.results());
    expect(merged.falseBusy.total).toBe(whole.falseBusy.total);
  });
});
