/**
 * Golden files: every format rendered from the hand-made fixtures and compared byte for byte with
 * fixtures/report/golden/. Regenerate (and review the diff) with `UPDATE_GOLDEN=1 npx vitest run test/report`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../src/analysis/result.js';
import { render, type RenderOptions, type ReportFormat } from '../../src/report/index.js';

const dir = new URL('../../fixtures/report/', import.meta.url);
const goldenDir = new URL('golden/', dir);
const update = process.env.UPDATE_GOLDEN === '1';

const load = (name: string) => JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as AnalysisResult;

const CASES: Array<[suffix: string, format: ReportFormat, opts: RenderOptions]> = [
  ['txt', 'table', {}],
  ['color.txt', 'table', { color: true }],
  ['json', 'json', {}],
  ['csv', 'csv', {}],
  ['bucket.csv', 'csv', { by: 'bucket' }],
  ['prefix.csv', 'csv', { by: 'prefix' }],
  ['md', 'md', {}],
  ['html', 'html', {}],
  ['prom', 'prom', {}],
];

describe.each(['day', 'hostile', 'empty'])('golden files of %s', (name) => {
  const result = load(name);
  it.each(CASES)(`${name}.%s`, (suffix, format, opts) => {
    const out = render(result, format, opts);
    const file = new URL(`${name}.${suffix}`, goldenDir);
    if (update) {
      mkdirSync(goldenDir, { recursive: true });
      writeFileSync(file, out);
    }
    expect(existsSync(file), `${file.pathname} is missing: run with UPDATE_GOLDEN=1 once and review it`).toBe(true);
    expect(out).toBe(readFileSync(file, 'utf8'));
  });
});

describe('renderers do not depend on the order the analysis filled the result in', () => {
  /** The same data with every object's keys in reverse order and the routes shuffled. */
  function reorder(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(reorder);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).reverse()) out[k] = reorder((v as Record<string, unknown>)[k]);
    return out;
  }
  const day = load('day');
  const shuffled = reorder(day) as AnalysisResult;
  shuffled.routes = [shuffled.routes[2], shuffled.routes[0], shuffled.routes[3], shuffled.routes[1]];
  it.each(CASES)('%s', (_suffix, format, opts) => {
    expect(render(shuffled, format, opts)).toBe(render(day, format, opts));
  });
});
