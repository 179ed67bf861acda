/** The faster paths give exactly what the plain definitions give. */
import { describe, expect, it } from 'vitest';
import { baselineOf, leaveOneOutBaselines } from '../../src/analysis/spikes.js';
import { SparseCounts } from '../../src/analysis/quantiles.js';
import { FalseBusyTracker } from '../../src/analysis/falsebusy.js';
import { Rng } from './gen.js';

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
