/**
 * How the reports say which routes were judged for busy spikes, on which buckets, and which could not be
 * (audit 9b finding 2), and the "ASR over time" points that rest on too few attempts (finding 5).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult, SpikeCheck } from '../../src/analysis/result.js';
import { analyze } from '../../src/pipeline.js';
import { render, spikeCheckLine, spikeCheckWarning, unjudgedSpikeRoutes } from '../../src/report/index.js';
import { MIN_ATTEMPTS_PER_POINT, asrChart, type ChartBin } from '../../src/report/svg.js';
import { validate, type Schema } from './json-schema.js';
import { parseProm } from './prom-parse.js';

const load = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/report/${name}.json`, import.meta.url), 'utf8')) as AnalysisResult;
const schema = JSON.parse(readFileSync(new URL('../../schema/analysis.schema.json', import.meta.url), 'utf8')) as Schema;
const sample = new URL('../../fixtures/sample/', import.meta.url).pathname;

/** The day fixture (hourly buckets) with checks: one route judged on its buckets, one on 15 minutes, two not judged. */
function dayWithChecks(notJudged = ['10.20.0.7', 'cheapcarrier-ru']): AnalysisResult {
  const day = load('day');
  const checks: SpikeCheck[] = day.routes.map((r) => {
    if (notJudged.includes(r.route)) return { route: r.route, judged: false, bucketSec: null, buckets: 0, attemptsJudged: 0, attempts: r.attempts, reason: 'at no size …' };
    if (r.route === 'vendor-b') return { route: r.route, judged: true, bucketSec: 900, buckets: 80, attemptsJudged: r.attempts, attempts: r.attempts, reason: 'only 3 of its 1 h buckets …' };
    return { route: r.route, judged: true, bucketSec: day.bucketSec, buckets: 24, attemptsJudged: r.attempts, attempts: r.attempts };
  });
  return { ...day, spikeChecks: checks };
}

describe('the line on spike judging', () => {
  it('names the routes judged on other buckets and those not judged (busiest first), escaped for each format', () => {
    const res = dayWithChecks();
    expect(spikeCheckLine(res, (s) => s)).toBe(
      "Busy spikes judged on 15 min buckets for vendor-b (the report's 1 h buckets hold too few attempts); " +
        'not judged on 2 routes (too few attempts per bucket at any size from 5 min to 1 day, so no spike can be found there): ' +
        'cheapcarrier-ru (1,387 attempts), 10.20.0.7 (990 attempts).',
    );
    const table = render(res, 'table');
    expect(table).toContain('Busy spikes judged on 15 min buckets for vendor-b');
    expect(table.indexOf('not judged on 2 routes')).toBeGreaterThan(table.indexOf('Busy spikes\n'));
    expect(render(res, 'md')).toContain('not judged on 2 routes (too few attempts per bucket at any size from 5 min to 1 day, so no spike can be found there): cheapcarrier-ru (1,387 attempts), 10.20.0.7 (990 attempts).');
    const html = render(res, 'html');
    expect(html).toMatch(/<p class="warn small">Busy spikes judged on 15 min buckets for vendor-b \(the report&#39;s 1 h buckets hold too few attempts\); not judged on 2 routes/);
  });

  it('says "1 attempt" for a route with one', () => {
    const res = dayWithChecks();
    res.spikeChecks![0] = { ...res.spikeChecks![0], attempts: 1 };
    expect(spikeCheckLine(res, (s) => s)).toContain('(1 attempt)');
    expect(spikeCheckLine(res, (s) => s)).not.toContain('1 attempts');
    expect(spikeCheckWarning(res, 1)).toContain('(1 attempt)');
  });

  it('escapes hostile route names', () => {
    const res = dayWithChecks();
    res.spikeChecks![0] = { ...res.spikeChecks![0], route: '<img src=x>|*a*\u001b[31m' };
    expect(render(res, 'html')).toContain('&lt;img src=x&gt;|*a*�[31m (990 attempts)');
    expect(render(res, 'md')).toContain('&lt;img src=x&gt;\\|\\*a\\*�\\[31m (990 attempts)');
    expect(render(res, 'table')).toContain('<img src=x>|*a*�[31m (990 attempts)');
  });

  it('is not there when every route was judged on the report buckets, or the result has no checks', () => {
    const all = dayWithChecks([]);
    all.spikeChecks = all.spikeChecks!.map((c) => ({ route: c.route, judged: true, bucketSec: all.bucketSec, buckets: 24, attemptsJudged: c.attempts, attempts: c.attempts }));
    for (const res of [all, load('day')]) {
      expect(spikeCheckLine(res, (s) => s)).toBeUndefined();
      for (const format of ['table', 'md', 'html'] as const) expect(render(res, format)).not.toMatch(/not judged|judged on/);
    }
  });

  it('in HTML, "no spike" is not an all-clear when some route was not judged', () => {
    const res = { ...dayWithChecks(), spikes: [] };
    expect(render(res, 'html')).toContain('<p class="ok">No busy spike found on the routes judged.</p><p class="warn small">');
    const judged = dayWithChecks([]);
    expect(render({ ...judged, spikes: [] }, 'html')).toContain('<p class="ok">No busy spike found.</p><p class="muted small">Busy spikes judged on 15 min');
  });

  it('the stderr line of --fail-on spike: routes with at least --min-attempts attempts, at most five named', () => {
    const res = dayWithChecks();
    expect(spikeCheckWarning(res, 20)).toBe(
      '--fail-on spike: 2 routes with 20 attempts or more could not be judged for busy spikes (too few attempts per bucket at any size from 5 min to 1 day; see spikeChecks in the JSON): cheapcarrier-ru (1,387 attempts), 10.20.0.7 (990 attempts)',
    );
    expect(spikeCheckWarning(res, 1000)).toMatch(/^--fail-on spike: 1 route with 1,000 attempts or more .*: cheapcarrier-ru \(1,387 attempts\)$/);
    expect(spikeCheckWarning(res, 2000)).toBeUndefined();
    const many = { ...res, spikeChecks: Array.from({ length: 8 }, (_, i) => ({ route: `r${i}`, judged: false, bucketSec: null, buckets: 0, attemptsJudged: 0, attempts: 100 - i })) };
    expect(spikeCheckWarning(many, 0)).toMatch(/: r0 \(100 attempts\), r1 \(99 attempts\), r2 \(98 attempts\), r3 \(97 attempts\), r4 \(96 attempts\) and 3 more$/);
    expect(unjudgedSpikeRoutes(many, 95).map((c) => c.route)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
  });

  it('prom: sipscope_spike_judged per route, only with checks', () => {
    const samples = parseProm(render(dayWithChecks(), 'prom')).find((f) => f.name === 'sipscope_spike_judged')!.samples;
    expect(Object.fromEntries(samples.map((s) => [s.labels.route, s.value]))).toEqual({ '10.20.0.7': 0, 'vendor-b': 1, 'VENDOR-A tier1': 1, 'cheapcarrier-ru': 0 });
    expect(render(load('day'), 'prom')).not.toContain('sipscope_spike_judged');
  });

  it('CSV per bucket: an hour is in a spike that covers part of it (a spike judged on 15 minutes)', () => {
    const day = dayWithChecks();
    day.spikes = [{ ...day.spikes[0], start: '2026-11-23T14:15:00Z', end: '2026-11-23T14:45:00Z' }];
    const rows = parse(render(day, 'csv', { by: 'bucket' }), { columns: true }) as Record<string, string>[];
    expect(rows.filter((r) => r.spike === '1').map((r) => `${r.route} ${r.bucket_start}`)).toEqual(['vendor-b 2026-11-23T14:00:00Z']);
  });
});

describe('the bundled sample at --bucket 5m, through every format', () => {
  it('JSON: spikeChecks valid against the schema; table, md and html say which routes were not judged', async () => {
    const res = await analyze([`${sample}carrier-day.pcap.gz`], { routesFile: `${sample}routes.csv`, bucket: '5m', now: new Date(0) });
    const json = JSON.parse(render(res, 'json')) as AnalysisResult;
    expect(validate(schema, json)).toEqual([]);
    expect(Object.keys(json).indexOf('spikeChecks')).toBe(Object.keys(json).indexOf('spikes') + 1);
    expect(json.spikeChecks!.map((c) => [c.route, c.judged, c.bucketSec])).toEqual([
      ['vendor-b', true, 900],
      ['vendor-a', true, 900],
      ['vendor-c', false, null],
      ['vendor-fas', false, null],
    ]);
    expect(Object.keys(json.spikeChecks![0])).toEqual(['route', 'judged', 'bucketSec', 'buckets', 'attemptsJudged', 'attempts', 'reason']);
    const line = 'not judged on 2 routes (too few attempts per bucket at any size from 5 min to 1 day, so no spike can be found there): vendor-fas (154 attempts), vendor-c (142 attempts).';
    for (const format of ['table', 'md'] as const) expect(render(res, format)).toContain(line);
    expect(render(res, 'html')).toContain(line);
    expect(render(res, 'table')).toContain("Busy spikes judged on 15 min buckets for vendor-b, vendor-a (the report's 5 min buckets hold too few attempts)");
  });
});

describe('ASR over time: points on too few attempts', () => {
  const H = 3_600_000;
  const t0 = Date.UTC(2024, 2, 5, 9);
  const bin = (h: number, attempts: number, answered: number): ChartBin => ({ start: t0 + h * H, end: t0 + (h + 1) * H, attempts, answered });
  const circles = (svg: string) => [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="2.5" ([^>]*)><title>([^<]*)<\/title><\/circle>/g)].map((m) => ({ at: `${m[1]},${m[2]}`, look: m[3], title: m[4] }));
  const lines = (svg: string, colour: string) => [...svg.matchAll(new RegExp(`<polyline points="([^"]*)" fill="none" stroke="${colour}"`, 'g'))].map((m) => m[1].split(' '));

  it('draws a point of fewer than 20 attempts hollow, off the line, and says so in its tooltip', () => {
    const bins = [bin(0, 30, 15), bin(1, 40, 20), bin(2, 1, 0), bin(3, 35, 17), bin(4, 45, 20), bin(5, 2, 2)];
    const svg = asrChart({ route: 'r', bins, overall: bins, spikes: [], t0, t1: t0 + 6 * H, colour: '#123456' });
    const points = circles(svg);
    expect(points.map((p) => /class="thin" fill="#fff" stroke="#123456"/.test(p.look))).toEqual([false, false, true, false, false, true]);
    expect(points[2].title).toBe('2024-03-05 11:00–12:00 UTC: ASR 0.0% of 1 attempt (fewer than 20: not on the line)');
    expect(points[0].title).toBe('2024-03-05 09:00–10:00 UTC: ASR 50.0% of 30 attempts');
    // The line is broken at the thin point and never goes through one: its vertices are the filled points.
    const drawn = lines(svg, '#123456');
    expect(drawn.map((l) => l.length)).toEqual([2, 2]);
    expect(drawn.flat()).toEqual([points[0].at, points[1].at, points[3].at, points[4].at]);
    expect(svg).toContain('stroke-linecap="round"');
    // The dashed reference skips thin points too.
    const ref = [...svg.matchAll(/<polyline points="([^"]*)" class="ref"\/>/g)].map((m) => m[1]);
    expect(ref.join(' ').split(' ')).toEqual(drawn.flat());
    expect(svg).toContain('1 attempt, 0 answered');
  });

  it('with many points, marks only the thin ones', () => {
    const bins = Array.from({ length: 60 }, (_, i) => (i === 7 ? bin(i, 3, 1) : bin(i, 25, 10)));
    const svg = asrChart({ route: 'r', bins, overall: bins, spikes: [], t0, t1: t0 + 60 * H, colour: '#123456' });
    expect(circles(svg).map((p) => p.title.slice(0, 16))).toEqual(['2024-03-05 16:00']);
  });

  it('the sample report: every filled point and every vertex of a route line rests on 20 attempts or more, as the caption says', async () => {
    const res = await analyze([`${sample}carrier-day.pcap.gz`], { routesFile: `${sample}routes.csv`, now: new Date(0) });
    const html = render(res, 'html');
    expect(html).toContain(`A point resting on fewer than ${MIN_ATTEMPTS_PER_POINT} attempts (a quiet hour) is drawn hollow and left off the lines`);
    expect(html).toContain('<i class="hollow"></i>fewer than 20 attempts (not on the line)');
    expect(html).not.toContain('so that each point rests on about');
    let thin = 0;
    for (const chart of html.split('<svg class="chart"').slice(1, 5)) {
      const colour = /stroke="(#[0-9a-f]{6})" stroke-width="2"/.exec(chart)![1];
      const points = circles(chart);
      const filled = new Set(points.filter((p) => !p.look.includes('thin')).map((p) => p.at));
      for (const p of points) {
        const n = Number(/of (\d+) attempts?/.exec(p.title)![1]);
        expect(n >= MIN_ATTEMPTS_PER_POINT, p.title).toBe(!p.look.includes('thin'));
        if (n < MIN_ATTEMPTS_PER_POINT) thin++;
      }
      for (const v of lines(chart, colour).flat()) expect(filled.has(v), v).toBe(true);
    }
    // vendor-b's 10:30 point of 1 attempt (ASR 0 %) is among them: the plunge the audit saw is no longer drawn.
    expect(html).toMatch(/10:30–11:00 UTC: ASR 0\.0% of 1 attempt \(fewer than 20: not on the line\)/);
    expect(thin).toBeGreaterThan(5);
  });
});
