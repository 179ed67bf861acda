import { describe, expect, it } from 'vitest';
import { chooseBucket, parseBucket, resolveThresholds, DEFAULT_THRESHOLDS } from '../../src/analysis/index.js';
import { FalseBusyTracker, normalizeNumber } from '../../src/analysis/falsebusy.js';
import { LogHistogram, logBin, logBinValue, median } from '../../src/analysis/quantiles.js';
import { hashId, Reservoir } from '../../src/analysis/reservoir.js';
import { findSpikes, type BusyBucket } from '../../src/analysis/spikes.js';
import { UsageError } from '../../src/errors.js';
import { Rng } from './gen.js';

describe('LogHistogram', () => {
  it('bins are monotone, exact below 128 ms, and within 1/128 of the value above', () => {
    let prev = -1;
    for (let v = 0; v < 5_000_000; v = v < 1000 ? v + 1 : Math.ceil(v * 1.003)) {
      const b = logBin(v);
      expect(b).toBeGreaterThanOrEqual(prev);
      prev = b;
      const rep = logBinValue(b);
      if (v < 128) expect(rep).toBe(v);
      else expect(Math.abs(rep - v) / v).toBeLessThanOrEqual(1 / 128);
    }
  });

  it('median and p95 of 1..1000 ms, and merge equals adding everything to one', () => {
    const all = new LogHistogram();
    const a = new LogHistogram();
    const b = new LogHistogram();
    for (let v = 1; v <= 1000; v++) {
      all.add(v);
      (v % 3 === 0 ? a : b).add(v);
    }
    a.merge(b);
    expect(a.summary()).toEqual(all.summary());
    const s = all.summary();
    expect(s.count).toBe(1000);
    expect(s.meanMs).toBe(500.5);
    expect(Math.abs(s.medianMs! - 500)).toBeLessThanOrEqual(500 / 128);
    expect(Math.abs(s.p95Ms! - 950)).toBeLessThanOrEqual(950 / 128);
    expect(LogHistogram.fromJSON(JSON.parse(JSON.stringify(all.toJSON()))).summary()).toEqual(s);
  });

  it('ignores negative and non-finite values', () => {
    const h = new LogHistogram();
    h.add(-5);
    h.add(Number.NaN);
    h.add(Number.POSITIVE_INFINITY);
    expect(h.summary()).toEqual({ count: 0, medianMs: null, p95Ms: null, meanMs: null });
  });

  it('median of plain arrays', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

describe('Reservoir', () => {
  it('keeps the k smallest hashes whatever the order, and merges to the same sample', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `call-${i}`);
    const fwd = new Reservoir(5);
    const rev = new Reservoir(5);
    const a = new Reservoir(5);
    const b = new Reservoir(5);
    ids.forEach((id, i) => {
      fwd.offer(id, hashId(id));
      (i % 2 ? a : b).offer(id, hashId(id));
    });
    [...ids].reverse().forEach((id) => rev.offer(id, hashId(id)));
    a.merge(b);
    expect(fwd.ids()).toEqual(rev.ids());
    expect(a.ids()).toEqual(fwd.ids());
    const sorted = [...ids].sort((x, y) => hashId(x) - hashId(y)).slice(0, 5);
    expect(fwd.ids()).toEqual(sorted);
    fwd.offer(sorted[0], hashId(sorted[0]));
    expect(fwd.ids()).toEqual(sorted);
  });
});

describe('buckets and thresholds', () => {
  it('default bucket from the span', () => {
    const h = 3_600_000;
    expect(chooseBucket(0)).toBe(300);
    expect(chooseBucket(6 * h)).toBe(300);
    expect(chooseBucket(6 * h + 1)).toBe(900);
    expect(chooseBucket(24 * h)).toBe(900);
    expect(chooseBucket(3 * 24 * h)).toBe(3600);
    expect(chooseBucket(30 * 24 * h)).toBe(86_400);
  });

  it('parses bucket names and multiples of 5 minutes only', () => {
    expect(parseBucket('5m')).toBe(300);
    expect(parseBucket('1d')).toBe(86_400);
    expect(parseBucket(1800)).toBe(1800);
    expect(() => parseBucket('7m')).toThrow(UsageError);
    expect(() => parseBucket(100)).toThrow(UsageError);
  });

  it('overrides thresholds by name; unknown names and bad values are usage errors', () => {
    expect(resolveThresholds()).toEqual(DEFAULT_THRESHOLDS);
    expect(resolveThresholds({ spikeK: 3 }).spikeK).toBe(3);
    expect(() => resolveThresholds({ spikek: 3 })).toThrow(/unknown threshold 'spikek'/);
    expect(() => resolveThresholds({ spikeK: -1 })).toThrow(UsageError);
    expect(() => resolveThresholds({ spikeK: Number.NaN })).toThrow(UsageError);
  });
});

describe('findSpikes', () => {
  const t = resolveThresholds();
  const flat = (n: number, attempts: number, share: number, rng = new Rng(3)): BusyBucket[] =>
    Array.from({ length: n }, (_, index) => {
      let c486 = 0;
      for (let i = 0; i < attempts; i++) if (rng.chance(share)) c486++;
      return { index, attempts, c486, c600: 0, examples: [] };
    });

  it('finds a planted run of buckets as one spike with ISO times', () => {
    const b = flat(48, 60, 0.08);
    for (const i of [20, 21, 22]) b[i] = { index: i, attempts: 60, c486: 30, c600: 6, examples: [`x${i}`] };
    const s = findSpikes('r', b, 900, t);
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ route: 'r', code: 486, count: 108, attempts: 180, share: 0.6 });
    expect(s[0].start).toBe(new Date(20 * 900_000).toISOString());
    expect(s[0].end).toBe(new Date(23 * 900_000).toISOString());
    expect(s[0].baselineShare).toBeLessThan(0.15);
    expect(s[0].exampleCallIds).toEqual(['x20', 'x21', 'x22']);
  });

  it('reports 600 as the code when it dominates', () => {
    const b = flat(30, 60, 0.05);
    b[10] = { index: 10, attempts: 60, c486: 5, c600: 30, examples: [] };
    expect(findSpikes('r', b, 300, t)[0].code).toBe(600);
  });

  it('a zero baseline does not turn a couple of busies into a spike', () => {
    const b: BusyBucket[] = Array.from({ length: 40 }, (_, index) => ({ index, attempts: 30, c486: 0, c600: 0, examples: [] }));
    b[7].c486 = 2;
    b[8].c486 = 3;
    expect(findSpikes('r', b, 300, t)).toEqual([]);
    b[9].c486 = 15;
    expect(findSpikes('r', b, 300, t).map((s) => s.start)).toEqual([new Date(9 * 300_000).toISOString()]);
  });

  it('thin buckets are never spikes, and too few buckets give no baseline', () => {
    const b = flat(40, 10, 0.05);
    b[5] = { index: 5, attempts: 10, c486: 10, c600: 0, examples: [] };
    expect(findSpikes('r', b, 300, t)).toEqual([]);
    const few = [
      { index: 0, attempts: 50, c486: 2, c600: 0, examples: [] },
      { index: 1, attempts: 50, c486: 40, c600: 0, examples: [] },
    ];
    expect(findSpikes('r', few, 300, t)).toEqual([]);
  });

  it('noise on an honest route is not a spike (many seeds)', () => {
    for (let seed = 1; seed <= 50; seed++) {
      expect(findSpikes('r', flat(96, 40, 0.1, new Rng(seed)), 900, t), `seed ${seed}`).toEqual([]);
    }
  });

  it('an elevated bucket between two spike buckets joins them', () => {
    const b = flat(40, 60, 0.05);
    b[10] = { index: 10, attempts: 60, c486: 35, c600: 0, examples: [] };
    b[11] = { index: 11, attempts: 8, c486: 3, c600: 0, examples: [] };
    b[12] = { index: 12, attempts: 60, c486: 35, c600: 0, examples: [] };
    const s = findSpikes('r', b, 300, t);
    expect(s).toHaveLength(1);
    expect(s[0].attempts).toBe(128);
  });
});

describe('FalseBusyTracker', () => {
  const W = 10 * 60_000;
  it('pairs a busy with an answer on another route within the window, in either arrival order', () => {
    for (const order of ['busy-first', 'answer-first'] as const) {
      const f = new FalseBusyTracker(W, 1000);
      const busy = (): void => f.busy('7495123', 'simbox', 1000, 'b1');
      const ans = (): void => f.answered('7495123', 'honest', 61_000, 'a1');
      if (order === 'busy-first') {
        busy();
        ans();
      } else {
        ans();
        busy();
      }
      expect(f.results()).toEqual([
        {
          callee: '7495123',
          busyRoute: 'simbox',
          busyAt: new Date(1000).toISOString(),
          answeredRoute: 'honest',
          answeredAt: new Date(61_000).toISOString(),
          busyCallId: 'b1',
          answeredCallId: 'a1',
        },
      ]);
      expect(f.total).toBe(1);
    }
  });

  it('ignores the same route, answers before the busy, and answers after the window', () => {
    const f = new FalseBusyTracker(W, 1000);
    f.busy('1', 'a', 100_000, 'b1');
    f.answered('1', 'a', 110_000, 'x1');
    f.answered('1', 'b', 50_000, 'x2');
    f.answered('1', 'b', 100_000 + W + 1, 'x3');
    expect(f.results()).toEqual([]);
  });

  it('merging two trackers finds pairs across them, once', () => {
    const a = new FalseBusyTracker(W, 1000);
    const b = new FalseBusyTracker(W, 1000);
    a.busy('1', 'x', 0, 'b1');
    b.answered('1', 'y', 1000, 'a1');
    b.busy('2', 'x', 0, 'b2');
    b.answered('2', 'y', 1000, 'a2');
    a.merge(b);
    expect(a.results().map((r) => r.busyCallId).sort()).toEqual(['b1', 'b2']);
    expect(a.total).toBe(2);
    const back = FalseBusyTracker.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(back.results()).toEqual(a.results());
    back.answered('1', 'z', 2000, 'a3');
    expect(back.total).toBe(3);
  });

  it('memory is bounded: old callees are forgotten', () => {
    const f = new FalseBusyTracker(W, 100);
    f.busy('first', 'x', 0, 'b0');
    for (let i = 0; i < 1000; i++) f.answered(`n${i}`, 'y', 10, `a${i}`);
    f.answered('first', 'y', 1000, 'late');
    expect(f.results()).toEqual([]);
    expect((f.toJSON().callees as unknown[]).length).toBeLessThanOrEqual(100);
  });

  it('normalises numbers: + and an international 00 are dropped', () => {
    expect(normalizeNumber('+74951234567')).toBe('74951234567');
    expect(normalizeNumber('0074951234567')).toBe('74951234567');
    expect(normalizeNumber('84951234567')).toBe('84951234567');
    expect(normalizeNumber('alice')).toBe('alice');
  });
});
