/**
 * Real captures and CDR exports (../shared/corpus): the analysis holds together on them (every
 * attempt once, no NaN) and flags no FAS route and no spike on this honest, unplanted traffic.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/pipeline.js';

const dir = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

function hasNonFinite(v: unknown): boolean {
  if (typeof v === 'number') return !Number.isFinite(v);
  if (Array.isArray(v)) return v.some(hasNonFinite);
  if (v && typeof v === 'object') return Object.values(v).some(hasNonFinite);
  return false;
}

describe.skipIf(!existsSync(dir))('analysis on the real corpus (needs ../shared/corpus)', () => {
  for (const sub of ['cdr', 'pcap', 'asterisk']) {
    it(sub, async () => {
      const res = await analyze([dir + sub], { now: new Date(0) });
      expect(hasNonFinite(res)).toBe(false);
      expect(res.routes.reduce((n, r) => n + r.attempts, 0)).toBe(res.totals.attempts);
      for (const b of res.buckets) {
        const route = res.routes.find((r) => r.route === b.route)!;
        expect(b.series.reduce((n, x) => n + x.attempts, 0)).toBeLessThanOrEqual(route.attempts);
      }
      expect(res.fas.filter((f) => f.flagged).map((f) => f.route)).toEqual([]);
      expect(res.spikes).toEqual([]);
    });
  }
});
