/**
 * Which buckets a route's busy share is judged on, and routes that cannot be judged (`spikeChecks`):
 * audit 9b finding 2, where `--bucket 5m` (16 attempts per 5 minutes) and the README's nightly settings
 * (1 h buckets, spikeMinAttempts 30: three busy hours, one short of a baseline) silently judged nothing and
 * missed the sample's planted 486 spike.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Aggregator, finish, type AnalysisOptions, type AnalysisResult } from '../../src/analysis/index.js';
import { main, type CliIo } from '../../src/cli/main.js';
import { analyze } from '../../src/pipeline.js';
import type { CallRecord } from '../../src/types.js';
import { Rng } from './gen.js';

const root = new URL('../../', import.meta.url).pathname;
const sample = `${root}fixtures/sample/`;
const truth = JSON.parse(readFileSync(`${sample}truth.json`, 'utf8')) as { spike: { route: string; from: string; to: string; code: number } };

const MIN = 60_000;
const T0 = Date.UTC(2024, 2, 5);

function run(records: readonly CallRecord[], options: AnalysisOptions = {}): AnalysisResult {
  const agg = new Aggregator(options);
  for (const r of records) agg.add(r);
  return finish(agg, { inputs: [], wire: { responses: {}, requests: {} }, options: { now: new Date(0), ...options } });
}

let seq = 0;
function rec(route: string, start: number, code: number): CallRecord {
  const r: CallRecord = { callId: `s${++seq}@x`, route, start, codeSource: 'sip', flags: 0, source: { file: 't' }, finalCode: code, callee: `7495${seq}` };
  if (code === 200) {
    r.answer = start + 3000;
    r.duration = 60_000;
    r.end = start + 63_000;
  }
  return r;
}

/** `n` attempts spread evenly over [from, to), a share `busy` of them ending 486, the rest 200 or 480. */
function traffic(route: string, from: number, to: number, n: number, busy: number, rng: Rng): CallRecord[] {
  const out: CallRecord[] = [];
  for (let i = 0; i < n; i++) {
    const start = from + Math.floor(((i + rng.next()) * (to - from)) / n);
    const u = rng.next();
    out.push(rec(route, start, u < busy ? 486 : u < busy + (1 - busy) / 2 ? 200 : 480));
  }
  return out;
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false, stderrIsTTY: false };
  return { code: await main(['node', 'sipscope', ...args], io), out, err };
}

describe('the bundled sample: the planted vendor-b spike is found whatever the bucket', () => {
  // [bucket, spikeMinAttempts, the size vendor-b is judged on]: before, 5m (both) and 1h/30 judged nothing.
  const cases: Array<[string, number, number]> = [
    ['5m', 20, 900],
    ['5m', 30, 1800],
    ['15m', 20, 900],
    ['15m', 30, 1800],
    ['1h', 20, 3600],
    ['1h', 30, 1800],
  ];
  it.each(cases)('--bucket %s, spikeMinAttempts %d: judged on %d s buckets, the spike in its window', async (bucket, min, sec) => {
    const res = await analyze([`${sample}carrier-day.pcap.gz`], {
      routesFile: `${sample}routes.csv`,
      bucket: bucket as AnalysisOptions['bucket'],
      thresholds: { spikeMinAttempts: min },
      now: new Date(0),
    });
    expect(res.spikes.length).toBe(1);
    const [s] = res.spikes;
    expect(s.route).toBe(truth.spike.route);
    expect(s.code).toBe(truth.spike.code);
    expect(Date.parse(s.start)).toBeGreaterThanOrEqual(Date.parse(truth.spike.from));
    expect(Date.parse(s.end)).toBeLessThanOrEqual(Date.parse(truth.spike.to));

    // Every route has its check, in the order of the routes.
    expect(res.spikeChecks!.map((c) => c.route)).toEqual(res.routes.map((r) => r.route));
    const b = res.spikeChecks!.find((c) => c.route === truth.spike.route)!;
    expect(b).toMatchObject({ judged: true, bucketSec: sec, attempts: 404 });
    expect(b.attemptsJudged).toBeGreaterThanOrEqual(0.5 * b.attempts);
    if (sec === res.bucketSec) expect(b.reason).toBeUndefined();
    else expect(b.reason).toMatch(new RegExp(`its ${{ '5m': '5 min', '15m': '15 min', '1h': '1 h' }[bucket]} buckets`));

    // vendor-c and vendor-fas fill three hours: no size has four buckets of 20 attempts. Said, with why.
    for (const route of ['vendor-c', 'vendor-fas']) {
      const c = res.spikeChecks!.find((x) => x.route === route)!;
      expect(c).toMatchObject({ judged: false, bucketSec: null, buckets: 0, attemptsJudged: 0 });
      expect(c.reason).toMatch(/^at no size from 5 min to 1 day do 4 buckets reach spikeMinAttempts \d+ \(\d+ attempts in all; the 4th busiest \S+ \S+ bucket has \d+\)$/);
    }
  });

  it("the README's nightly recipe exits 3 for the spike, and names the routes it could not judge", async () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    const at = readme.indexOf('`/etc/sipscope/nightly.json`:');
    const open = readme.indexOf('```json\n', at) + 8;
    const config = JSON.parse(readme.slice(open, readme.indexOf('```', open))) as Record<string, unknown>;
    expect(config).toMatchObject({ bucket: '1h', thresholds: { spikeMinAttempts: 30 } });
    const dir = mkdtempSync(join(tmpdir(), 'sipscope-nightly-'));
    writeFileSync(join(dir, 'nightly.json'), JSON.stringify({ ...config, routes: `${sample}routes.csv` }));
    for (const input of ['carrier-day.cdr.csv', 'carrier-day.pcap.gz']) {
      const r = await cli(['analyze', '--config', join(dir, 'nightly.json'), `${sample}${input}`, '--format', 'json', '--out', join(dir, 'out.json')]);
      expect(r.code, input).toBe(3);
      expect(r.err).toMatch(/^sipscope: --fail-on spike \[vendor-b\]: 486 spike 2024-03-05T12:00:00\.000Z–2024-03-05T13:00:00\.000Z/m);
      expect(r.err).toMatch(/^sipscope: --fail-on spike: 2 routes with 50 attempts or more could not be judged for busy spikes .*: vendor-fas \(154 attempts\), vendor-c \(142 attempts\)$/m);
    }
  });

  it('says nothing about judging without --fail-on spike, or when --min-attempts leaves no unjudged route', async () => {
    const args = ['analyze', `${sample}carrier-day.pcap.gz`, '--routes', `${sample}routes.csv`, '--format', 'json'];
    expect((await cli([...args, '--fail-on', 'fas'])).err).not.toMatch(/could not be judged/);
    expect((await cli([...args, '--fail-on', 'spike', '--min-attempts', '200'])).err).not.toMatch(/could not be judged/);
    expect((await cli([...args, '--fail-on', 'spike', '--min-attempts', '150'])).err).toMatch(/1 route with 150 attempts or more could not be judged .*: vendor-fas \(154 attempts\)$/m);
  });
});

describe('choosing the buckets a route is judged on', () => {
  it('keeps the report buckets when they cover most attempts (no reason given)', () => {
    const rng = new Rng(1);
    const res = run(traffic('busy', T0, T0 + 6 * 60 * MIN, 6 * 12 * 40, 0.1, rng), { bucket: '5m' });
    expect(res.spikeChecks).toEqual([{ route: 'busy', judged: true, bucketSec: 300, buckets: 72, attemptsJudged: 2880, attempts: 2880 }]);
  });

  it('judges a route whose report buckets are all thin on a coarser size, and finds its spike there', () => {
    // 10 attempts per 5 minutes for 6 hours (10 % busy), 80 % busy from 03:00 to 03:30: no 5-minute bucket
    // reaches 20 attempts; 10-minute buckets do, all of them.
    const rng = new Rng(2);
    const records = [
      ...traffic('thin', T0, T0 + 180 * MIN, 360, 0.1, rng),
      ...traffic('thin', T0 + 180 * MIN, T0 + 210 * MIN, 60, 0.8, rng),
      ...traffic('thin', T0 + 210 * MIN, T0 + 360 * MIN, 300, 0.1, rng),
    ];
    const res = run(records, { bucket: '5m' });
    const [check] = res.spikeChecks!;
    expect(check).toMatchObject({ route: 'thin', judged: true, bucketSec: 600, buckets: 36, attemptsJudged: 720, attempts: 720 });
    expect(check.reason).toBe('only 0 of its 5 min buckets reach spikeMinAttempts 20 (4 needed)');
    expect(res.spikes.length).toBe(1);
    expect(res.spikes[0]).toMatchObject({ route: 'thin', start: new Date(T0 + 180 * MIN).toISOString(), end: new Date(T0 + 210 * MIN).toISOString() });
  });

  it('does not judge a route on its few busiest buckets (the spike would be its own baseline)', () => {
    // 5 attempts per 5 minutes for 6 hours (10 % busy), and a 20-minute burst of 100 attempts, 80 % busy:
    // the four 5-minute buckets of the burst are the only ones of 20 attempts. Judged on them alone (a quarter
    // of the attempts), the baseline is the burst and nothing is found; 30-minute buckets cover it all.
    const rng = new Rng(3);
    const records = [...traffic('bursty', T0, T0 + 360 * MIN, 360, 0.1, rng), ...traffic('bursty', T0 + 120 * MIN, T0 + 140 * MIN, 100, 0.8, rng)];
    const res = run(records, { bucket: '5m' });
    const [check] = res.spikeChecks!;
    expect(check.judged).toBe(true);
    expect(check.bucketSec).toBe(1800);
    expect(check.attemptsJudged).toBeGreaterThanOrEqual(0.5 * check.attempts);
    expect(check.reason).toMatch(/^its 5 min buckets that reach spikeMinAttempts 20 hold only \d+ % of its attempts$/);
    expect(res.spikes.map((s) => [s.route, s.start])).toEqual([['bursty', new Date(T0 + 120 * MIN).toISOString()]]);
  });

  it('when no size covers half, judges on the judgeable size that covers most, and says so', () => {
    // Three days of 110 thin attempts and four bursts of 20 in one morning: only sizes up to 30 minutes have
    // four buckets of 20, and those hold under half of the attempts; 30 minutes holds the most.
    const rng = new Rng(6);
    const bursts = [0, 30, 60, 90].flatMap((m) => traffic('sparse', T0 + 600 * MIN + m * MIN, T0 + 605 * MIN + m * MIN, 20, 0.1, rng));
    const res = run([...traffic('sparse', T0, T0 + 3 * 1440 * MIN, 110, 0.1, rng), ...bursts], { bucket: '5m' });
    const [check] = res.spikeChecks!;
    expect(check).toMatchObject({ judged: true, bucketSec: 1800, buckets: 4, attempts: 190 });
    expect(check.attemptsJudged).toBeLessThan(95);
    expect(check.reason).toMatch(/^its 5 min buckets that reach spikeMinAttempts 20 hold only 4\d % of its attempts; no size from 5 min to 1 day has judgeable buckets holding 50 %, 30 min buckets hold the most \(4\d %\)$/);
  });

  it('says why a route cannot be judged at any size, and how far it is', () => {
    const rng = new Rng(4);
    const res = run([...traffic('tiny', T0, T0 + 6 * 60 * MIN, 50, 0.1, rng), rec('undated', Number.NaN, 486)], { bucket: '1h' });
    const tiny = res.spikeChecks!.find((c) => c.route === 'tiny')!;
    expect(tiny).toMatchObject({ judged: false, bucketSec: null, buckets: 0, attemptsJudged: 0, attempts: 50 });
    expect(tiny.reason).toMatch(/^at no size from 5 min to 1 day do 4 buckets reach spikeMinAttempts 20 \(50 attempts in all; the 4th busiest (1|2|3) h bucket has \d+\)$/);
    expect(res.spikeChecks!.find((c) => c.route === 'undated')).toEqual({
      route: 'undated', judged: false, bucketSec: null, buckets: 0, attemptsJudged: 0, attempts: 0, reason: 'no attempt with a start time',
    });
  });

  it('gives the same checks and spikes for any order and split of the records (through JSON too)', () => {
    const rng = new Rng(5);
    const records = [
      ...traffic('a', T0, T0 + 360 * MIN, 720, 0.1, rng),
      ...traffic('a', T0 + 90 * MIN, T0 + 120 * MIN, 30, 0.9, rng),
      ...traffic('b', T0, T0 + 360 * MIN, 2000, 0.05, rng),
      ...traffic('c', T0, T0 + 360 * MIN, 40, 0.2, rng),
    ];
    const whole = run(records, { bucket: '5m' });
    const parts = [new Aggregator(), new Aggregator(), new Aggregator()];
    [...records].reverse().forEach((r, i) => parts[i % 3].add(r));
    parts[0].merge(parts[1]);
    parts[0].merge(Aggregator.fromJSON(JSON.parse(JSON.stringify(parts[2].toJSON()))));
    const merged = finish(parts[0], { inputs: [], wire: { responses: {}, requests: {} }, options: { now: new Date(0), bucket: '5m' } });
    expect(merged.spikeChecks).toEqual(whole.spikeChecks);
    expect(merged.spikes).toEqual(whole.spikes);
    expect(whole.spikeChecks!.map((c) => [c.route, c.judged, c.bucketSec])).toEqual([
      ['c', false, null],
      ['a', true, 600],
      ['b', true, 300],
    ]);
  });

  it('finds no spike on honest thin routes judged on coarser buckets (50 seeds)', () => {
    let found = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const rng = new Rng(seed);
      // 12 attempts per 5 minutes for a day at a 12 % busy share: judged on 10-minute buckets.
      const res = run(traffic('honest', T0, T0 + 24 * 60 * MIN, 24 * 12 * 12, 0.12, rng), { bucket: '5m' });
      expect(res.spikeChecks![0]).toMatchObject({ judged: true, bucketSec: 600 });
      found += res.spikes.length;
    }
    expect(found).toBe(0);
  });
});
