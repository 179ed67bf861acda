/**
 * The bundled carrier-day sample (fixtures/sample: the same calls as a capture and as a carrier CDR,
 * with a planted 486 spike on vendor-b and a false-answer route) through the whole pipeline.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/pipeline.js';

const dir = new URL('../../fixtures/sample/', import.meta.url);
const truth = JSON.parse(readFileSync(new URL('truth.json', dir), 'utf8')) as {
  routes: Record<string, { attempts: number; answered: number; codes: Record<string, number> }>;
  spike: { route: string; from: string; to: string; code: number };
  fas: string[];
};

describe('carrier-day sample: spike and FAS from a capture and from a CDR of the same calls', () => {
  for (const file of ['carrier-day.pcap.gz', 'carrier-day.cdr.csv']) {
    it(file, async () => {
      const res = await analyze([new URL(file, dir).pathname], { routesFile: new URL('routes.csv', dir).pathname, now: new Date(0) });
      for (const r of res.routes) {
        expect(r.attempts, r.route).toBe(truth.routes[r.route].attempts);
        expect(r.answered, r.route).toBe(truth.routes[r.route].answered);
        expect(r.codes, r.route).toEqual(truth.routes[r.route].codes);
      }

      expect(res.spikes.length).toBeGreaterThan(0);
      for (const s of res.spikes) {
        expect(s.route).toBe(truth.spike.route);
        expect(s.code).toBe(truth.spike.code);
        expect(Date.parse(s.start)).toBeGreaterThanOrEqual(Date.parse(truth.spike.from));
        expect(Date.parse(s.end)).toBeLessThanOrEqual(Date.parse(truth.spike.to));
      }

      expect(res.fas.filter((f) => f.flagged).map((f) => f.route)).toEqual(truth.fas);
      const fas = res.fas.find((f) => f.route === truth.fas[0])!;
      const hit = fas.signals.filter((s) => s.hit).map((s) => s.id);
      for (const id of ['short-pdd', 'short-calls', 'duration-cluster', 'asr-high-acd-low']) expect(hit).toContain(id);
      if (file.endsWith('.pcap.gz')) expect(hit).toContain('no-ringing');
      for (const f of res.fas) if (!truth.fas.includes(f.route)) expect(f.signals.filter((s) => s.hit).map((s) => `${f.route}:${s.id}`)).toEqual([]);
    });
  }
});
