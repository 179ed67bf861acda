/**
 * The time window of `analyze --since/--until`: which attempts it keeps, what it counts as left out, how
 * it travels between threads, and the times the command line accepts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Aggregator } from '../../src/analysis/aggregate.js';
import { finish } from '../../src/analysis/index.js';
import type { AnalysisResult } from '../../src/analysis/result.js';
import { main, type CliIo } from '../../src/cli/main.js';
import { windowText } from '../../src/report/format.js';
import { parseTime } from '../../src/time-arg.js';
import type { CallRecord } from '../../src/types.js';

const H = 3_600_000;
const T0 = Date.UTC(2024, 2, 5);
let seq = 0;

function rec(start: number, code = 200): CallRecord {
  const r: CallRecord = { callId: `w${++seq}`, route: 'r', start, codeSource: 'sip', flags: 0, source: { file: 't' }, finalCode: code, callee: `7495${seq}` };
  if (code === 200) {
    r.answer = start + 3000;
    r.duration = 60_000;
    r.end = start + 63_000;
  }
  return r;
}

function result(a: Aggregator): AnalysisResult {
  return finish(a, { inputs: [], wire: { responses: {}, requests: {} }, options: { now: new Date(0) } });
}

describe('Aggregator time window', () => {
  const starts = [T0 - 1, T0, T0 + H, T0 + 2 * H - 1, T0 + 2 * H, T0 + 3 * H, Number.NaN];

  it('keeps attempts with since ≤ start < until and counts the others as before, after or with no time', () => {
    const a = new Aggregator({ since: T0, until: T0 + 2 * H });
    for (const s of starts) a.add(rec(s));
    expect(a.records).toBe(3);
    expect(a.leftOut).toEqual({ before: 1, after: 2, undated: 1 });
    const r = result(a);
    expect(r.totals.attempts).toBe(3);
    expect(r.window).toEqual({ since: '2024-03-05T00:00:00.000Z', until: '2024-03-05T02:00:00.000Z', leftOut: { before: 1, after: 2, undated: 1 } });
    expect(r.span).toEqual({ start: '2024-03-05T00:00:00.000Z', end: new Date(T0 + 2 * H - 1 + 63_000).toISOString() });
  });

  it('an open side keeps everything on that side; with no window nothing is left out and no window is reported', () => {
    const from = new Aggregator({ since: T0 + H });
    const until = new Aggregator({ until: T0 + H });
    const none = new Aggregator();
    for (const s of starts) for (const a of [from, until, none]) a.add(rec(s));
    expect([from.records, from.leftOut]).toEqual([4, { before: 2, after: 0, undated: 1 }]);
    expect([until.records, until.leftOut]).toEqual([2, { before: 0, after: 4, undated: 1 }]);
    expect(none.records).toBe(7);
    expect(result(none).window).toBeUndefined();
    expect(result(from).window).toMatchObject({ since: '2024-03-05T01:00:00.000Z', until: null });
  });

  it('merges like one aggregate over all records, also through JSON (threads), and refuses other windows', () => {
    const w = { since: T0, until: T0 + 2 * H };
    const one = new Aggregator(w);
    const left = new Aggregator(w);
    const right = new Aggregator(w);
    // Each start twice, once on each side: both sides leave out some of every kind.
    for (const s of starts) {
      one.add(rec(s));
      one.add(rec(s));
      left.add(rec(s));
      right.add(rec(s));
    }
    expect(right.leftOut).toEqual({ before: 1, after: 2, undated: 1 });
    left.merge(Aggregator.fromJSON(JSON.parse(JSON.stringify(right.toJSON()))));
    expect(left.records).toBe(one.records);
    expect(left.leftOut).toEqual(one.leftOut);
    expect(result(left).window).toEqual(result(one).window);
    expect(() => left.merge(new Aggregator({ since: T0 }))).toThrow(/different time windows/);
    expect(() => new Aggregator({ since: T0, until: T0 })).toThrow(/window is empty/);
  });

  it('says what it left out on the report line', () => {
    const a = new Aggregator({ since: T0, until: T0 + 2 * H });
    for (const s of starts) a.add(rec(s));
    expect(windowText(result(a))).toBe('; window 2024-03-05 00:00–02:00 UTC (left out: 1 before, 2 after, 1 with no time)');
    const b = new Aggregator({ until: T0 + 24 * H });
    b.add(rec(T0));
    expect(windowText(result(b))).toBe('; window until 2024-03-06 00:00 UTC (none left out)');
  });
});

describe('parseTime (--since, --until)', () => {
  it('reads ISO 8601 as UTC unless it has an offset, whatever the machine zone', () => {
    expect(parseTime('2024-03-05')).toBe(T0);
    expect(parseTime('2024-03-05T10:00')).toBe(T0 + 10 * H);
    expect(parseTime('2024-03-05 10:00:30')).toBe(T0 + 10 * H + 30_000);
    expect(parseTime('2024-03-05T10:00:00.250')).toBe(T0 + 10 * H + 250);
    expect(parseTime('2024-03-05T10:00Z')).toBe(T0 + 10 * H);
    expect(parseTime('2024-03-05T13:00+03:00')).toBe(T0 + 10 * H);
  });
  it('reads epoch seconds and milliseconds, and refuses other text', () => {
    expect(parseTime('1709596800')).toBe(T0);
    expect(parseTime('1709596800.5')).toBe(T0 + 500);
    expect(parseTime('1709596800000')).toBe(T0);
    for (const bad of ['yesterday', 'Mar 5 2024', '2024-13-01', '2024-03-05T25:00', '', '12345']) expect(parseTime(bad), bad).toBeUndefined();
    // Impossible days and times are refused, not rolled over into the next month or hour.
    for (const bad of ['2018-02-30', '2023-02-29', '2024-04-31T10:00Z', '2024-03-05T10:60', '2024-03-05T10:00:61', '2024-00-10']) expect(parseTime(bad), bad).toBeUndefined();
    expect(parseTime('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseTime('2024-03-05T23:59:59Z')).toBe(T0 + 24 * H - 1000);
  });
});

describe('sipscope analyze --since/--until', () => {
  const root = new URL('../../', import.meta.url).pathname;
  const sample = `${root}fixtures/sample/`;
  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false, stderrIsTTY: false };
    return { code: await main(['node', 'sipscope', ...args], io), out, err };
  }

  it('keeps the attempts that `calls` lists for the same window, and counts the rest as left out', async () => {
    const since = Date.UTC(2024, 2, 5, 12);
    const until = Date.UTC(2024, 2, 5, 13);
    const all = await run(['calls', `${sample}carrier-day.pcap.gz`, '--format', 'json']);
    const starts = (JSON.parse(all.out) as Array<{ start: string | null }>).map((c) => (c.start === null ? Number.NaN : Date.parse(c.start)));
    const inside = starts.filter((s) => s >= since && s < until).length;
    const r = await run(['analyze', `${sample}carrier-day.pcap.gz`, '--since', '2024-03-05T12:00', '--until', '2024-03-05T13:00Z', '--format', 'json']);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.out) as AnalysisResult;
    expect(inside).toBeGreaterThan(100);
    expect(res.totals.attempts).toBe(inside);
    expect(res.window!.leftOut).toEqual({ before: starts.filter((s) => s < since).length, after: starts.filter((s) => s >= until).length, undated: 0 });
    expect(res.totals.attempts + res.window!.leftOut.before + res.window!.leftOut.after).toBe(starts.length);
  });

  // Worker threads load the built files (dist/worker.js, made by `npm ci`): the built command is run.
  it.skipIf(!existsSync(`${root}dist/worker.js`))('gives the same report with one thread and with two (the built command)', () => {
    const args = [`${root}bin/sipscope.js`, 'analyze', `${sample}carrier-day.pcap.gz`, `${sample}carrier-day.cdr.csv`, '--since', '2024-03-05T12:00Z', '--format', 'json'];
    const strip = (s: string) => ({ ...(JSON.parse(s) as AnalysisResult), generatedAt: '' });
    const one = execFileSync(process.execPath, [...args, '--jobs', '1'], { encoding: 'utf8' });
    const two = execFileSync(process.execPath, [...args, '--jobs', '2'], { encoding: 'utf8' });
    expect(strip(two)).toEqual(strip(one));
    expect(strip(one).window!.leftOut.before).toBeGreaterThan(0);
    expect(strip(one).totals.attempts).toBeGreaterThan(0);
  });

  it('refuses a time it cannot read and an empty window, with a one-line error and exit 2', async () => {
    const bad = await run(['analyze', `${sample}carrier-day.pcap.gz`, '--since', 'yesterday']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--since expects an ISO 8601 time .* not 'yesterday'/);
    const empty = await run(['analyze', `${sample}carrier-day.pcap.gz`, '--since', '2024-03-06', '--until', '2024-03-05']);
    expect(empty.code).toBe(2);
    expect(empty.err).toMatch(/--since \(2024-03-06\) must be before --until \(2024-03-05\)/);
  });
});
