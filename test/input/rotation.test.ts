import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { rotationChains, rotationName } from '../../src/input/rotation.js';
import type { InputSpec } from '../../src/input/expand.js';
import { readInputs } from '../../src/pipeline.js';
import { CallFlag, type CallRecord, type InputAccounting } from '../../src/types.js';

const root = new URL('../../', import.meta.url).pathname;
const spec = (path: string): InputSpec => ({ path, display: path });

describe('rotated copies told from their names', () => {
  it('reads numbered, dated and compressed copies', () => {
    expect(rotationName('full')).toEqual({ stem: 'full', kind: 0, key: Infinity });
    expect(rotationName('full.1')).toEqual({ stem: 'full', kind: 1, key: -1 });
    expect(rotationName('full.12.gz')).toEqual({ stem: 'full', kind: 1, key: -12 });
    expect(rotationName('messages-20241123')).toEqual({ stem: 'messages', kind: 2, key: 20241123000000 });
    expect(rotationName('messages-2024112306.gz')).toEqual({ stem: 'messages', kind: 2, key: 20241123060000 });
    expect(rotationName('Master.csv')).toEqual({ stem: 'Master.csv', kind: 0, key: Infinity });
  });

  it('chains the copies of one log oldest first, and leaves everything else alone', () => {
    const specs = ['/l/full', '/l/messages', '/l/full.2.gz', '/x/full.1', '/l/full.1', 'a.pcap', '-'].map(spec);
    // /x/full.1 is in another folder: another log
    expect(rotationChains(specs)).toEqual([[2, 4, 0], [1], [3], [5], [6]]);
  });

  it('orders dated copies by date, the live file last', () => {
    const specs = ['/l/full', '/l/full-20241124', '/l/full-20241122.gz', '/l/full-2024112312'].map(spec);
    expect(rotationChains(specs)).toEqual([[2, 3, 1, 0]]);
  });

  it('does not chain what the names cannot order', () => {
    // numbered and dated copies of one log; the live file twice (plain and gzip'd)
    expect(rotationChains(['/l/full.1', '/l/full-20241124', '/l/full'].map(spec))).toEqual([[0], [1], [2]]);
    expect(rotationChains(['/l/full', '/l/full.gz'].map(spec))).toEqual([[0], [1]]);
    // an input that failed to expand is read (as its error) on its own
    expect(rotationChains([{ path: '/l/full.1', display: '/l/full.1', error: 'no such file' }, spec('/l/full')])).toEqual([[0], [1]]);
  });
});

// ── reading a log cut in two by rotation gives the calls of the whole log ─────────────────────────────
const dir = mkdtempSync(join(tmpdir(), 'sipscope-rotation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function records(files: string[]): Promise<{ records: CallRecord[]; inputs: InputAccounting[] }> {
  const out: CallRecord[] = [];
  const inputs = await readInputs(files.map(spec), { record: (r) => out.push(r) });
  return { records: out, inputs };
}

/** A record without where it was read (the file and line differ by construction). */
const comparable = (r: CallRecord): Omit<CallRecord, 'source'> => {
  const { source: _source, ...rest } = r;
  return rest;
};
const sorted = (rs: CallRecord[]): Array<Omit<CallRecord, 'source'>> =>
  rs.map(comparable).sort((a, b) => (a.callId < b.callId ? -1 : a.callId > b.callId ? 1 : (a.start ?? 0) - (b.start ?? 0)));

const LOGS = [
  'fixtures/gen/alpha-beta-ms.log',
  'fixtures/asterisk/scenario-ast13-chansip.log',
  'fixtures/asterisk/scenario-ast18-pjsip.log',
  'fixtures/asterisk/scenario-chansip-debug.log',
  'fixtures/asterisk/scenario-pjsip-logger.log',
];

describe('a log rotated in the middle of calls', () => {
  for (const log of LOGS) {
    it(`${log}: cut at any line, its two parts give the whole log's calls`, async () => {
      const text = readFileSync(`${root}${log}`, 'latin1');
      const lines = text.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      const whole = await records([`${root}${log}`]);
      expect(whole.records.length).toBeGreaterThan(0);
      const want = sorted(whole.records);
      // every cut for the short logs; some 60 spread over the long ones
      const step = Math.max(1, Math.floor(lines.length / 60));
      let differApart = 0;
      let cuts = 0;
      for (let cut = 1; cut < lines.length; cut += step) {
        // Asterisk writes each entry whole, so a rotation falls between entries, never inside a SIP dump
        if (!lines[cut]!.startsWith('[')) continue;
        cuts++;
        const older = join(dir, 'full.1');
        const newer = join(dir, 'full.gz');
        writeFileSync(older, lines.slice(0, cut).join('\n') + '\n', 'latin1');
        writeFileSync(newer, gzipSync(Buffer.from(lines.slice(cut).join('\n') + '\n', 'latin1')));
        const got = await records([newer, older]);
        expect(sorted(got.records), `cut before line ${cut + 1}`).toEqual(want);
        // every line is accounted for in the file it is in
        expect(got.inputs.map((i) => i.read)).toEqual([lines.length - cut, cut]);
        for (const i of got.inputs) expect(i.read).toBe(i.used + i.ignored + i.malformed);
        expect(got.inputs.reduce((n, i) => n + i.records, 0)).toBe(whole.records.length);
        // the same two files under names that are not a rotation: read one by one, as before
        writeFileSync(join(dir, 'a.log'), readFileSync(older));
        writeFileSync(join(dir, 'b.log.gz'), readFileSync(newer));
        const apart = await records([join(dir, 'a.log'), join(dir, 'b.log.gz')]);
        if (JSON.stringify(sorted(apart.records)) !== JSON.stringify(want)) differApart++;
      }
      // the test means something: read apart, most cuts split a call (an unfinished record, or an extra one)
      expect(cuts).toBeGreaterThan(5);
      expect(differApart).toBeGreaterThan(cuts / 3);
    });
  }

  it('a three-file chain, given in any order, reads as the whole log', async () => {
    const log = `${root}fixtures/asterisk/scenario-pjsip-logger.log`;
    const lines = readFileSync(log, 'latin1').split('\n');
    const parts = [lines.slice(0, 150), lines.slice(150, 300), lines.slice(300)];
    const names = ['messages.2', 'messages.1', 'messages'].map((n) => join(dir, n));
    parts.forEach((p, i) => writeFileSync(names[i]!, p.join('\n') + (i < 2 ? '\n' : ''), 'latin1'));
    const whole = await records([log]);
    const got = await records([names[2]!, names[0]!, names[1]!]);
    expect(sorted(got.records)).toEqual(sorted(whole.records));
    expect(got.inputs.map((i) => i.file)).toEqual([names[2], names[0], names[1]]);
    expect(got.inputs[1]!.notes.some((n) => n.startsWith(`read as one chain with ${names[1]}`))).toBe(true);
    expect(got.inputs[2]!.notes.some((n) => n.startsWith(`read as one chain with ${names[2]}`))).toBe(true);
  });

  it("orders the copies by their time stamps, whatever their names say (Asterisk's own rotation numbers the newest highest)", async () => {
    const log = `${root}fixtures/asterisk/scenario-ast18-pjsip.log`;
    const lines = readFileSync(log, 'latin1').split('\n');
    const cut = Math.floor(lines.length / 2);
    const whole = await records([log]);
    const apart = await (async () => {
      writeFileSync(join(dir, 'x.log'), lines.slice(0, cut).join('\n') + '\n', 'latin1');
      writeFileSync(join(dir, 'y.log'), lines.slice(cut).join('\n'), 'latin1');
      return records([join(dir, 'x.log'), join(dir, 'y.log')]);
    })();
    expect(sorted(apart.records)).not.toEqual(sorted(whole.records));
    // rotatestrategy = sequential: full.0 is the oldest, full.1 the next
    writeFileSync(join(dir, 'seq.0'), lines.slice(0, cut).join('\n') + '\n', 'latin1');
    writeFileSync(join(dir, 'seq.1'), lines.slice(cut).join('\n'), 'latin1');
    const seq = await records([join(dir, 'seq.1'), join(dir, 'seq.0')]);
    expect(sorted(seq.records)).toEqual(sorted(whole.records));
    expect(seq.inputs[1]!.notes.some((n) => n.startsWith(`read as one chain with ${join(dir, 'seq.1')}`))).toBe(true);
    // rotatestrategy = timestamp: the epoch of the rotation appended
    writeFileSync(join(dir, 'ts.1700000100'), lines.slice(0, cut).join('\n') + '\n', 'latin1');
    writeFileSync(join(dir, 'ts.1700000900'), lines.slice(cut).join('\n'), 'latin1');
    const ts = await records([join(dir, 'ts.1700000900'), join(dir, 'ts.1700000100')]);
    expect(sorted(ts.records)).toEqual(sorted(whole.records));
  });

  it('chains short compressed copies, copies of a log with no time stamps, and a family mixing known and guessed years', async () => {
    const d = mkdtempSync(join(dir, 'odd-'));
    const cut = (log: string, at: number[]): string[] => {
      const lines = readFileSync(`${root}${log}`, 'latin1').split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      const bounds = [0, ...at, lines.length];
      return bounds.slice(1).map((e, k) => lines.slice(bounds[k], e).join('\n') + '\n');
    };
    // four copies of under a minute each, the two older ones gzip'd (their ends unknown beforehand)
    const ast13 = 'fixtures/asterisk/scenario-ast13-chansip.log';
    const parts = cut(ast13, [14, 28, 42]);
    const e = mkdtempSync(join(d, 'gz-'));
    writeFileSync(join(e, 'full.3.gz'), gzipSync(Buffer.from(parts[0]!, 'latin1')));
    writeFileSync(join(e, 'full.2.gz'), gzipSync(Buffer.from(parts[1]!, 'latin1')));
    writeFileSync(join(e, 'full.1'), parts[2]!, 'latin1');
    writeFileSync(join(e, 'full'), parts[3]!, 'latin1');
    const gz = await records(['full', 'full.1', 'full.2.gz', 'full.3.gz'].map((n) => join(e, n)));
    expect(sorted(gz.records)).toEqual(sorted((await records([`${root}${ast13}`])).records));

    // console output, no stamps at all: logrotate's order by name, the seams taken on trust
    const noStamps = 'fixtures/asterisk/console-excerpt-no-stamps.log';
    const c = mkdtempSync(join(d, 'console-'));
    cut(noStamps, [1, 3]).forEach((t, k) => writeFileSync(join(c, ['full.2', 'full.1', 'full'][k]!), t, 'latin1'));
    const plain = (rs: CallRecord[]): unknown[] => sorted(rs).map(({ callId: _c, ...r }) => r);
    const chained = await records(['full', 'full.1', 'full.2'].map((n) => join(c, n)));
    expect(plain(chained.records)).toEqual(plain((await records([`${root}${noStamps}`])).records));
    expect(chained.records.every((r) => (r.flags & CallFlag.Unfinished) === 0)).toBe(true);

    // the older copy holds a full-date banner, the newer has year-less stamps only: ordered by name
    const withBanner = '[2024-03-05 08:59:59] NOTICE[1000] loader.c: Asterisk Ready.\n' + readFileSync(`${root}fixtures/gen/alpha-beta-classic-sip.log`, 'latin1');
    const lines = withBanner.split('\n');
    const y = mkdtempSync(join(d, 'year-'));
    writeFileSync(join(y, 'whole'), withBanner, 'latin1');
    writeFileSync(join(y, 'full.1'), lines.slice(0, 25).join('\n') + '\n', 'latin1');
    writeFileSync(join(y, 'full'), lines.slice(25).join('\n'), 'latin1');
    const years = await records([join(y, 'full'), join(y, 'full.1')]);
    expect(sorted(years.records)).toEqual(sorted((await records([join(y, 'whole')])).records));
  });

  it('does not carry calls into a file that did not follow (a day later): planned apart, or, compressed, cut at the seam', async () => {
    const log = `${root}fixtures/asterisk/scenario-ast18-pjsip.log`;
    const lines = readFileSync(log, 'latin1').split('\n');
    const cut = Math.floor(lines.length / 2);
    const first = lines.slice(0, cut).join('\n') + '\n';
    writeFileSync(join(dir, 'x.log'), first, 'latin1');
    writeFileSync(join(dir, 'y.log'), lines.slice(cut).join('\n'), 'latin1');
    const apart = await records([join(dir, 'x.log'), join(dir, 'y.log')]);
    const later = lines.slice(cut).map((l) => l.replace(/^\[(\d{4})-(\d\d)-(\d\d)/, (_m, y: string, mo: string, d: string) => `[${y}-${mo}-${String(Number(d) + 1).padStart(2, '0')}`));
    // plain files: their ends are read beforehand, and the day between them keeps them apart
    writeFileSync(join(dir, 'gap.1'), first, 'latin1');
    writeFileSync(join(dir, 'gap'), later.join('\n'), 'latin1');
    const gap = await records([join(dir, 'gap.1'), join(dir, 'gap')]);
    expect(sorted(gap.records).length).toBe(apart.records.length);
    expect(gap.inputs.flatMap((i) => i.notes).some((n) => n.startsWith('read as one chain'))).toBe(false);
    expect(gap.inputs[1]!.notes).toContain(`named like ${join(dir, 'gap.1')} but not read as one chain with it: it begins 1.0 d after that file ends`);
    // compressed: the older file's end is not known beforehand; the reader finds the day at the seam
    writeFileSync(join(dir, 'gz.1.gz'), gzipSync(Buffer.from(first, 'latin1')));
    writeFileSync(join(dir, 'gz'), later.join('\n'), 'latin1');
    const gz = await records([join(dir, 'gz.1.gz'), join(dir, 'gz')]);
    expect(gz.records.length).toBe(apart.records.length);
    expect(gz.inputs[0]!.notes.find((n) => n.startsWith('not continued by'))).toMatch(/its first time stamp is 1\.0 d after this file's last/);
  });
});

describe.skipIf(!existsSync(`${root}dist/worker.js`))('a chain in worker threads (needs the build: npm run build)', () => {
  it('is read by one thread, and the report is that of one thread', () => {
    const log = `${root}fixtures/asterisk/scenario-chansip-debug.log`;
    const lines = readFileSync(log, 'latin1').split('\n');
    const d = mkdtempSync(join(tmpdir(), 'sipscope-rotation-jobs-'));
    try {
      writeFileSync(join(d, 'full.1'), lines.slice(0, 260).join('\n') + '\n', 'latin1');
      writeFileSync(join(d, 'full'), lines.slice(260).join('\n'), 'latin1');
      const run = (jobs: number, ...inputs: string[]): { totals: unknown; routes: unknown } =>
        JSON.parse(execFileSync(process.execPath, [`${root}bin/sipscope.js`, 'analyze', ...inputs, `${root}fixtures/gen/alpha-beta.pcap`, '--format', 'json', '--jobs', String(jobs)], { encoding: 'utf8' })) as {
          totals: unknown;
          routes: unknown;
        };
      const whole = run(1, log);
      const one = run(1, d);
      const two = run(2, d);
      expect(one.totals).toEqual(whole.totals);
      expect(two.totals).toEqual(whole.totals);
      expect(two.routes).toEqual(whole.routes);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
