/** The Prometheus output checked line by line by the small exposition-format parser in prom-parse.ts. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../src/analysis/result.js';
import { promLabelValue, renderProm } from '../../src/report/prom.js';
import { printable } from '../../src/printable.js';
import { parseProm } from './prom-parse.js';

const load = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/report/${name}.json`, import.meta.url), 'utf8')) as AnalysisResult;

describe('the little exposition-format parser', () => {
  it('rejects what the format forbids', () => {
    const ok = '# HELP m h\n# TYPE m gauge\nm{a="x"} 1\n';
    expect(parseProm(ok)).toHaveLength(1);
    expect(() => parseProm('# HELP m h\n# TYPE m gauge\nm{a="x"} 1')).toThrow(/final line feed/);
    expect(() => parseProm('# HELP m h\n# TYPE m gauge\nm{a="x\ty\\t"} 1\n')).toThrow(/bad escape/);
    expect(() => parseProm('# HELP m h\n# TYPE m gauge\nm{a="x"} 1\nm{a="x"} 2\n')).toThrow(/duplicate/);
    expect(() => parseProm('# HELP m h\n# TYPE m gauge\nm{a="x} 1\n')).toThrow();
    expect(() => parseProm('# HELP m h\n# TYPE m gauge\nn 1\n')).toThrow(/another family/);
    expect(() => parseProm('# TYPE m gauge\nm 1\n')).toThrow(/without its HELP/);
    expect(() => parseProm('# HELP m h\n# TYPE m gauge\nm one\n')).toThrow(/bad value/);
  });
});

describe('prom output', () => {
  it.each(['day', 'hostile', 'empty'])('%s parses and round-trips every route name (control characters shown as U+FFFD)', (name) => {
    const result = load(name);
    const families = parseProm(renderProm(result));
    const byName = new Map(families.map((f) => [f.name, f]));
    for (const f of ['sipscope_attempts', 'sipscope_answered', 'sipscope_asr_ratio', 'sipscope_seer_ratio', 'sipscope_acd_seconds', 'sipscope_pdd_seconds', 'sipscope_spike', 'sipscope_fas_flagged']) {
      if (result.routes.length === 0) continue;
      expect(byName.has(f), f).toBe(true);
    }
    if (result.routes.length === 0) return;
    const routes = new Set(byName.get('sipscope_attempts')!.samples.map((s) => s.labels.route));
    expect(routes).toEqual(new Set(result.routes.map((r) => printable(r.route))));
    for (const r of result.routes) {
      const v = (metric: string, extra: Record<string, string> = {}) =>
        byName.get(metric)!.samples.find((s) => s.labels.route === printable(r.route) && Object.entries(extra).every(([k, x]) => s.labels[k] === x))?.value;
      expect(v('sipscope_attempts')).toBe(r.attempts);
      expect(v('sipscope_asr_ratio')).toBeCloseTo(r.asr!, 6);
      expect(v('sipscope_pdd_seconds', { quantile: '0.95' })).toBeCloseTo(r.pddSuccess.p95Ms! / 1000, 6);
      expect(v('sipscope_spike')).toBe(result.spikes.some((s) => s.route === r.route) ? 1 : 0);
      expect(v('sipscope_fas_flagged')).toBe(result.fas.some((f) => f.route === r.route && f.flagged) ? 1 : 0);
    }
  });

  it('escapes label values as the format says', () => {
    expect(promLabelValue('a\\b"c')).toBe('a\\\\b\\"c');
    // Control characters (line feed and tab too) are shown as U+FFFD, as on the terminal.
    expect(promLabelValue('a\nb')).toBe('a\uFFFDb');
    expect(promLabelValue('<script>\t')).toBe('<script>\uFFFD');
  });

  it('leaves out what could not be measured instead of writing NaN', () => {
    const day = load('day');
    const r0 = { ...day.routes[0], attempts: 0, answered: 0, asr: null, seer: null, acdSec: null, pddSuccess: { count: 0, medianMs: null, p95Ms: null, meanMs: null } };
    const text = renderProm({ ...day, routes: [r0, ...day.routes.slice(1)] });
    expect(text).not.toMatch(/NaN/);
    const fams = parseProm(text);
    const asr = fams.find((f) => f.name === 'sipscope_asr_ratio')!;
    expect(asr.samples.map((s) => s.labels.route)).not.toContain(r0.route);
  });
});
