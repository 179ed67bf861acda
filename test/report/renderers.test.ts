/**
 * Renderer behaviour beyond the golden files: colours, chart binning, and every format on a result made by
 * the real pipeline from the bundled sample (so the renderers follow what the analysis actually emits).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult, BucketMetrics } from '../../src/analysis/result.js';
import { CSV_BUCKET_COLUMNS, CSV_ROUTE_COLUMNS } from '../../src/report/csv.js';
import { REPORT_FORMATS, isReportFormat, render } from '../../src/report/index.js';
import { secs } from '../../src/report/format.js';
import { chartBinSec, rebin, timeTicks } from '../../src/report/svg.js';
import { validate, type Schema } from './json-schema.js';
import { parseProm } from './prom-parse.js';

const load = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/report/${name}.json`, import.meta.url), 'utf8')) as AnalysisResult;
const schema = JSON.parse(readFileSync(new URL('../../schema/analysis.schema.json', import.meta.url), 'utf8')) as Schema;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

describe('table', () => {
  const day = load('day');
  it('is plain without color, coloured with it', () => {
    expect(render(day, 'table')).not.toMatch(ANSI);
    expect(render(day, 'table', { color: false })).not.toMatch(ANSI);
    const coloured = render(day, 'table', { color: true });
    expect(coloured).toMatch(ANSI);
    // Same text once the colours are taken out.
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(render(day, 'table'));
  });
  it('lists routes worst ASR first with the annotated top failure codes, then spikes, FAS and inputs', () => {
    const out = render(day, 'table');
    const order = ['10.20.0.7', 'vendor-b', 'VENDOR-A tier1', 'cheapcarrier-ru'].map((r) => out.indexOf(`│ ${r}`));
    expect(order.every((p, i) => p > 0 && (i === 0 || p > order[i - 1]))).toBe(true);
    expect(out).toContain('486 Busy Here');
    expect(out).toContain('503 Service Unavailable');
    expect(out.indexOf('Busy spikes')).toBeGreaterThan(out.indexOf('all routes'));
    expect(out).toMatch(/cheapcarrier-ru {2}FLAGGED/);
    const last = out.trimEnd().split('\n');
    expect(last.find((l) => l.startsWith('Inputs: '))).toMatch(/^Inputs: 4 inputs .*211 malformed \(truncated-packet 190, bad-ip-length 11, sip-bad-start-line 7, log-bad-timestamp 2, 1 more\); 1 input not read to the end; 1 file of no known format skipped$/);
  });
});

describe('ACD: one unit rule', () => {
  it('shows a duration in its two largest units', () => {
    expect([null, 0, 45, 59.4, 59.6, 60, 234.4, 2227, 3599.4, 3599.6, 6000, 7020].map(secs)).toEqual([
      '–', '0s', '45s', '59s', '1m00s', '1m00s', '3m54s', '37m07s', '59m59s', '1h00m', '1h40m', '1h57m',
    ]);
  });
  it('the table column never mixes 2227s with 1h40m (audit 9, the srinimonster CDR)', () => {
    const day = load('day');
    const acds = [2227, 1753, 6000, 7020];
    const out = render({ ...day, routes: day.routes.map((r, i) => ({ ...r, acdSec: acds[i]! })) }, 'table');
    for (const cell of ['37m07s', '29m13s', '1h40m', '1h57m']) expect(out).toContain(` ${cell} │`);
    expect(out).not.toMatch(/ \d{3,}s │/);
  });
});

describe('table width', () => {
  it('clips very long names so that the table stays readable', () => {
    const day = load('day');
    const long = { ...day, routes: day.routes.map((r, i) => (i === 0 ? { ...r, route: 'x'.repeat(500) } : r)) };
    const widest = Math.max(...render(long, 'table').split('\n').filter((l) => l.startsWith('│')).map((l) => [...l].length));
    expect(widest).toBeLessThan(160);
    expect(render(long, 'table')).toContain('x'.repeat(39) + '…');
  });
});

describe('odd but possible results', () => {
  const day = load('day');
  const route0 = day.routes[0];
  const nothing = { count: 0, medianMs: null, p95Ms: null, meanMs: null };
  const silent = { ...route0, route: 'silent', attempts: 0, answered: 0, asr: null, ser: null, seer: null, isa: null, ner: null, acdSec: null, minutes: 0, pddSuccess: nothing, pddFailure: nothing, sdt: nothing, shortUnder10s: null, shortUnder30s: null, codes: {}, codeMix: [], reroutable: 0, notReroutable: 0, codeSources: {} };
  const cases: Array<[string, AnalysisResult]> = [
    ['a route without attempts', { ...day, routes: [...day.routes, silent] }],
    ['only unanswered calls', { ...day, routes: [{ ...route0, answered: 0, asr: 0, acdSec: null, codeMix: route0.codeMix.filter((c) => c.code !== 200) }] }],
    ['buckets and spikes of a route not in the list', { ...day, routes: day.routes.slice(1) }],
    ['no buckets at all', { ...day, buckets: [] }],
    ['one bucket', { ...day, buckets: day.buckets.map((b) => ({ ...b, series: b.series.slice(0, 1) })) }],
    ['a FAS result without signals', { ...day, fas: [{ route: route0.route, flagged: true, score: 0, signals: [] }] }],
    ['a spike outside the buckets', { ...day, spikes: [{ ...day.spikes[0], start: '2030-01-01T00:00:00Z', end: '2030-01-01T01:00:00Z' }] }],
    ['no inputs', { ...day, inputs: [] }],
    ['an unparseable time', { ...day, generatedAt: 'yesterday' }],
  ];
  it.each(cases)('%s renders in every format', (_name, result) => {
    for (const f of REPORT_FORMATS) {
      const out = render(result, f, { by: 'bucket' });
      expect(out.length).toBeGreaterThan(50);
      expect(out).not.toMatch(/NaN|undefined|\[object Object\]/);
    }
  });
});

describe('html tooltips', () => {
  it('explain each code from the catalogue: meaning, RFC, hints, re-routing', () => {
    const html = render(load('day'), 'html');
    const title = /<span class="code" title="(486 Busy Here[^"]*)"><span class="lbl">486 Busy Here/.exec(html)?.[1] ?? '';
    expect(title).toMatch(/RFC 3261/);
    expect(title).toMatch(/Hint: /);
    expect(title).toMatch(/Not re-routed/);
    expect(/<span class="code" title="(503 Service Unavailable[^"]*)">/.exec(html)?.[1]).toMatch(/re-route this failure/);
  });
});

describe('dispatch', () => {
  it('knows its formats', () => {
    expect([...REPORT_FORMATS]).toEqual(['table', 'json', 'csv', 'md', 'html', 'prom']);
    expect(isReportFormat('html')).toBe(true);
    expect(isReportFormat('xml')).toBe(false);
  });
});

describe('CSV columns', () => {
  const day = load('day');
  it('one row per route, or per route and bucket with the spike flag on the spike buckets', () => {
    const routes = parse(render(day, 'csv'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(routes[0])).toEqual([...CSV_ROUTE_COLUMNS]);
    expect(routes.map((r) => r.route)).toEqual(['10.20.0.7', 'vendor-b', 'VENDOR-A tier1', 'cheapcarrier-ru']);
    const b = routes.find((r) => r.route === 'vendor-b')!;
    expect(Number(b.attempts)).toBe(day.routes.find((r) => r.route === 'vendor-b')!.attempts);
    expect(b.spikes).toBe('1');
    expect(routes.find((r) => r.route === 'cheapcarrier-ru')!.fas_flagged).toBe('1');

    const buckets = parse(render(day, 'csv', { by: 'bucket' }), { columns: true }) as Record<string, string>[];
    expect(Object.keys(buckets[0])).toEqual([...CSV_BUCKET_COLUMNS]);
    expect(buckets.length).toBe(day.buckets.reduce((n, b) => n + b.series.length, 0));
    const spiking = buckets.filter((r) => r.spike === '1').map((r) => `${r.route} ${r.bucket_start}`);
    expect(spiking).toEqual(['vendor-b 2026-11-23T14:00:00Z', 'vendor-b 2026-11-23T15:00:00Z']);
  });
});

describe('chart bins', () => {
  const series = (n: number, attempts: number): BucketMetrics[] =>
    Array.from({ length: n }, (_, i) => ({ ...load('day').buckets[0].series[0], start: new Date(Date.UTC(2026, 0, 1) + i * 300_000).toISOString(), end: new Date(Date.UTC(2026, 0, 1) + (i + 1) * 300_000).toISOString(), attempts, answered: i % 2 }));

  it('keeps the buckets of a busy route and widens them for a thin one', () => {
    expect(chartBinSec(300, 6 * 3600_000, 6 * 12 * 50)).toBe(300); // 50 attempts per 5 min
    expect(chartBinSec(300, 6 * 3600_000, 138)).toBe(1800); // 138 attempts in 6 h: 12 points
    expect(chartBinSec(300, 24 * 3600_000, 24 * 12 * 50)).toBe(1800); // never more than 72 points
    expect(chartBinSec(3600, 24 * 3600_000, 24 * 100)).toBe(3600);
    expect(chartBinSec(7, 70_000, 1000)).toBe(7); // an odd bucket size is kept when it is enough
  });
  it('adds exact counts into aligned bins and leaves empty buckets out', () => {
    const bins = rebin(series(12, 3), 1800);
    expect(bins.map((b) => [new Date(b.start).toISOString().slice(11, 16), b.attempts, b.answered])).toEqual([
      ['00:00', 18, 3],
      ['00:30', 18, 3],
    ]);
    expect(rebin(series(4, 0), 600)).toEqual([]);
  });
  it('ticks on round UTC times', () => {
    const day = Date.UTC(2026, 10, 23);
    expect(timeTicks(day, day + 86400_000).ticks.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(['00:00', '03:00', '06:00', '09:00', '12:00', '15:00', '18:00', '21:00', '00:00']);
    expect(timeTicks(day + 9 * 3600_000, day + 15 * 3600_000).step).toBe(3600_000);
  });
});

const sample = new URL('../../fixtures/sample/', import.meta.url);
describe.skipIf(!existsSync(new URL('carrier-day.cdr.csv', sample)))('a result from the real pipeline (bundled sample)', () => {
  it('renders in every format; JSON valid against the schema, prom and CSV parse, HTML escapes and loads nothing', async () => {
    const { analyze } = await import('../../src/pipeline.js');
    const result = await analyze([new URL('carrier-day.cdr.csv', sample).pathname], { routesFile: new URL('routes.csv', sample).pathname, jobs: 1 });
    expect(result.routes.length).toBeGreaterThan(1);
    const json = JSON.parse(render(result, 'json'));
    expect(validate(schema, json)).toEqual([]);
    parseProm(render(result, 'prom'));
    const rows = parse(render(result, 'csv', { by: 'bucket' }), { columns: true }) as unknown[];
    expect(rows.length).toBe(result.buckets.reduce((n, b) => n + b.series.length, 0));
    const html = render(result, 'html');
    expect(html).not.toMatch(/<script|\s(src|href)=/i);
    expect((html.match(/<svg class="chart"/g) ?? []).length).toBe(result.routes.length + 1);
    for (const f of REPORT_FORMATS) expect(render(result, f).length).toBeGreaterThan(100);
  }, 60_000);
});
