import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { digitFamily, planChains, splitterName, type InputTimes } from '../../src/input/rotation.js';
import type { InputSpec } from '../../src/input/expand.js';
import { analyze, inputTimes } from '../../src/pipeline.js';
import { inputsLine } from '../../src/report/format.js';
import { readPieces } from './pieces.js';
import { benchScenario } from '../../src/gen/bench-spec.js';
import { createCaptureDecoder } from '../../src/capture/decoder.js';
import { newAccounting } from '../../src/types.js';
import { renderToFile, writeCapture } from '../../src/gen/index.js';

const root = new URL('../../', import.meta.url).pathname;
const spec = (path: string): InputSpec => ({ path, display: path });

describe('captures split by time, told from their names and first packets', () => {
  it('masks the digits of a name', () => {
    expect(digitFamily('part_00001_20240305093232.pcap')).toBe('part_#_#.pcap');
    // tcpdump -C: the base name and the numbered ones are one family, digits in the base name or not
    expect(digitFamily('sbc.pcap12.gz')).toBe('sbc.pcap');
    expect(digitFamily('sbc.pcap')).toBe('sbc.pcap');
    expect(digitFamily('eth0.pcap')).toBe(digitFamily('eth0.pcap3'));
    // logrotate-style numbers
    expect(digitFamily('trace.001')).toBe('trace');
  });

  const heads = (m: Record<string, InputTimes | undefined>) => async (s: InputSpec) => m[s.path];
  const MIN = 60_000;

  it('tells the names a splitter gives its files from names that merely differ in a number', () => {
    for (const n of [
      'ring_00001_20240305093232.pcapng', // dumpcap -b
      'out_00000_20240305093232.pcap', // editcap -c / -i
      'sbc.pcap12', // tcpdump -C
      'sbc.pcap3.gz',
      'part_007.pcap', // zero-padded
      'full.3', // logrotate, savelog
      'full.3.gz',
      'full-20241123', // dated copies
      'sbc_2024-03-05_0930.pcap', // tcpdump -G with a date in the pattern
      'cap.1709630000.pcap', // tcpdump -G %s
    ]) {
      expect(splitterName(n), n).toBe(true);
    }
    for (const n of ['call1.pcap', 'site2.pcap', 'sip-rtp-g722.pcap', 'eth1.pcap', 'test-12.pcapng', 'bob2alice.pcap', 'v6-2.pcap']) {
      expect(splitterName(n), n).toBe(false);
    }
  });

  it('reads files whose names merely differ in a number as one only when one begins within a minute of the other’s end', async () => {
    const specs = ['/c/site1.pcap', '/c/site2.pcap', '/c/site3.pcap'].map(spec);
    const notes = new Map<number, string>();
    // site2 30 minutes after site1 ends: separate captures; site3 20 s after site2 ends: a capture stopped and started again
    const times = { '/c/site1.pcap': { first: 0, last: 10 * MIN }, '/c/site2.pcap': { first: 40 * MIN, last: 50 * MIN }, '/c/site3.pcap': { first: 50 * MIN + 20_000, last: 60 * MIN } };
    expect(await planChains(specs, heads(times), notes)).toEqual([[0], [1, 2]]);
    expect([...notes]).toEqual([
      [1, "named like /c/site1.pcap but not read as one chain with it: it begins 30 min after that file ends, and the names do not say they are pieces of one capture or log (a splitter numbers or dates its files): such files are read as one only when one begins within a minute of the other's end"],
    ]);
    // the same times under tcpdump -C's names: one chain (a seam may span up to an hour)
    const ring = ['/c/site.pcap', '/c/site.pcap1', '/c/site.pcap2'].map(spec);
    expect(await planChains(ring, heads({ '/c/site.pcap': times['/c/site1.pcap'], '/c/site.pcap1': times['/c/site2.pcap'], '/c/site.pcap2': times['/c/site3.pcap'] }))).toEqual([[0, 1, 2]]);
  });

  it('chains the pieces of one capture in the order of their first packets, the tcpdump -C base name included', async () => {
    const specs = ['/c/sbc.pcap2', '/c/sbc.pcap', '/c/sbc.pcap1', '/c/other.pcap', '/l/full.1', '/l/full'].map(spec);
    const chains = await planChains(specs, heads({ '/c/sbc.pcap': { first: 0 }, '/c/sbc.pcap1': { first: 10 * MIN }, '/c/sbc.pcap2': { first: 20 * MIN }, '/c/other.pcap': { first: 5 } }));
    expect(chains).toEqual([[1, 2, 0], [3], [4, 5]]);
  });

  it('reads captures taken side by side apart (first packets within a minute), unless the one before was last written when the next begins', async () => {
    const specs = ['/c/eth0.pcap', '/c/eth1.pcap', '/c/eth2.pcap'].map(spec);
    // three interfaces captured at once: read in parallel
    expect(await planChains(specs, heads({ '/c/eth0.pcap': { first: 0, mtime: 3_600_000 }, '/c/eth1.pcap': { first: 200, mtime: 3_600_000 }, '/c/eth2.pcap': { first: 400, mtime: 3_600_000 } }))).toEqual([[0], [1], [2]]);
    // a ring buffer of busy 20-second files (tcpdump -C, compressed: ends unknown): each file was last written when the next began
    const ring = ['/c/eth0.pcap.gz', '/c/eth0.pcap1.gz', '/c/eth0.pcap2.gz'].map(spec);
    expect(await planChains(ring, heads({ '/c/eth0.pcap.gz': { first: 0, mtime: 20_000 }, '/c/eth0.pcap1.gz': { first: 20_050, mtime: 40_000 }, '/c/eth0.pcap2.gz': { first: 40_020, mtime: 60_000 } }))).toEqual([[0, 1, 2]]);
    // the same times under names that do not say they are pieces of one capture: their ends unknown, not chained
    expect(await planChains(specs, heads({ '/c/eth0.pcap': { first: 0, mtime: 20_000 }, '/c/eth1.pcap': { first: 20_050, mtime: 40_000 }, '/c/eth2.pcap': { first: 40_020, mtime: 60_000 } }))).toEqual([[0], [1], [2]]);
    // copies of one capture (the same first packet) are never a chain
    expect(await planChains(specs, heads({ '/c/eth0.pcap': { first: 0, mtime: 0 }, '/c/eth1.pcap': { first: 0, mtime: 0 }, '/c/eth2.pcap': { first: 0, mtime: 0 } }))).toEqual([[0], [1], [2]]);
  });

  it('makes one chain per ring buffer when two interleave in time, and none of captures that overlap', async () => {
    // eth0 and eth1 each cut every 20 minutes, eth1 started 5 minutes later: names alike but for their digits
    const specs: InputSpec[] = [];
    const m: Record<string, InputTimes> = {};
    for (let k = 0; k < 3; k++) {
      for (const [nic, off] of [[0, 0], [1, 5]] as const) {
        const path = `/c/eth${nic}_${k}.pcap`;
        specs.push(spec(path));
        m[path] = { first: (k * 20 + off) * MIN + 30, last: ((k + 1) * 20 + off) * MIN - 30 };
      }
    }
    const notes = new Map<number, string>();
    expect(await planChains(specs, heads(m), notes)).toEqual([[0, 2, 4], [1, 3, 5]]);
    // the first of the second chain says why it is not in the first one
    expect([...notes]).toEqual([[1, 'named like /c/eth0_0.pcap but not read as one chain with it: the two overlap in time by 15 min (taken side by side?)']]);
    // three captures of the same hours (a proxy seen on three interfaces): three chains of one
    const side = ['/c/if1.pcap', '/c/if2.pcap', '/c/if3.pcap'].map(spec);
    expect(await planChains(side, heads({ '/c/if1.pcap': { first: 0, last: 60 * MIN }, '/c/if2.pcap': { first: 10 * MIN, last: 70 * MIN }, '/c/if3.pcap': { first: 20 * MIN, last: 80 * MIN } }))).toEqual([[0], [1], [2]]);
    // short pieces (a minute each, editcap -i 60): first packets a minute apart, each ending before the next
    const short = [0, 1, 2, 3].map((k) => spec(`/c/s_${k}.pcap`));
    const sm: Record<string, InputTimes> = {};
    short.forEach((s, k) => (sm[s.path] = { first: k * MIN + 3, last: (k + 1) * MIN - 2 }));
    expect(await planChains(short, heads(sm))).toEqual([[0, 1, 2, 3]]);
  });

  it('orders captures named like logrotate copies by their times, not their numbers', async () => {
    const specs = ['/c/trace.001', '/c/trace.002', '/c/trace.003'].map(spec);
    expect(await planChains(specs, heads({ '/c/trace.001': { first: 0, last: 9 * MIN }, '/c/trace.002': { first: 9 * MIN, last: 18 * MIN }, '/c/trace.003': { first: 18 * MIN, last: 27 * MIN } }))).toEqual([[0, 1, 2]]);
  });

  it('reads the heads of a folder of thousands of pieces a few at a time (no running out of file descriptors)', async () => {
    const specs = Array.from({ length: 3000 }, (_, k) => spec(`/r/ring_${String(k).padStart(5, '0')}.pcap`));
    let open = 0;
    let most = 0;
    const head = async (s: InputSpec): Promise<InputTimes> => {
      open++;
      most = Math.max(most, open);
      await new Promise((r) => setImmediate(r));
      open--;
      return { first: Number(s.path.slice(8, 13)) * 10 * MIN };
    };
    const chains = await planChains(specs, head);
    expect(chains).toEqual([specs.map((_, k) => k)]);
    expect(most).toBeLessThanOrEqual(16);
  });

  it('leaves alone what is no capture, stdin and lone files', async () => {
    const specs = ['/d/cdr-20240301.csv', '/d/cdr-20240302.csv', '-', '/d/x7.pcap'].map(spec);
    expect(await planChains(specs, heads({}))).toEqual([[0], [1], [2], [3]]);
  });

  it('reads a capture head: its first packet time (from the first piece only) and its file time; no end of a compressed file', async () => {
    const h = await inputTimes(spec(`${root}fixtures/sample/carrier-day.pcap.gz`));
    expect(new Date(h!.first).toISOString()).toMatch(/^2024-03-05T09:00:11\./);
    expect(h!.mtime).toBeGreaterThan(0);
    expect(h!.last).toBeUndefined();
    expect(await inputTimes(spec(`${root}fixtures/cdr/carrier.csv`))).toBeUndefined();
  });

  it("reads a capture's last packet time from its last 64 KiB: pcap and pcapng, µs and ns", async () => {
    const d = mkdtempSync(join(tmpdir(), 'sipscope-tail-'));
    try {
      for (const [name, opts] of [
        ['us.pcap', {}],
        ['ns.pcap', { nanosecond: true }],
        ['ng.pcapng', { container: 'pcapng' }],
        ['ngns.pcapng', { container: 'pcapng', nanosecond: true }],
      ] as const) {
        const f = join(d, name);
        renderToFile(f, (out) => writeCapture(benchScenario(400, 7), out, { rtp: false, ...opts }));
        // the last payload's time, by reading the whole file
        let last = 0;
        const all = createCaptureDecoder(name, { onPayload: (p) => ((last = Math.max(last, p.ts)), 'other') }, newAccounting(name, 'unknown', 'packet'));
        all.push(readFileSync(f));
        all.end();
        const h = await inputTimes(spec(f));
        expect(readFileSync(f).length, name).toBeGreaterThan(4 * 65536);
        expect(h!.last, name).toBeCloseTo(last, 3);
        expect(h!.first, name).toBeLessThan(h!.last!);
      }
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

// ── the bundled sample cut into pieces by time gives the report of the whole ──────────────────────────
const dir = mkdtempSync(join(tmpdir(), 'sipscope-capchain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Cuts a little-endian µs pcap into pieces of `spanMs` of capture time each (what editcap -i does). */
function splitPcap(pcap: Buffer, spanMs: number): Buffer[] {
  const header = pcap.subarray(0, 24);
  const pieces: Buffer[][] = [];
  let start = -1;
  for (let o = 24; o + 16 <= pcap.length; ) {
    const ts = pcap.readUInt32LE(o) * 1000 + pcap.readUInt32LE(o + 4) / 1000;
    const len = 16 + pcap.readUInt32LE(o + 8);
    if (start < 0 || ts - start >= spanMs) {
      pieces.push([header]);
      start = ts;
    }
    pieces[pieces.length - 1]!.push(pcap.subarray(o, o + len));
    o += len;
  }
  return pieces.map((p) => Buffer.concat(p));
}

describe('a capture cut into pieces by time', () => {
  const sample = `${root}fixtures/sample/carrier-day.pcap.gz`;
  const whole = gunzipSync(readFileSync(sample));
  const pieces = splitPcap(whole, 20 * 60_000);
  const routesFile = `${root}fixtures/sample/routes.csv`;

  it('gives the whole capture’s report, named in any order, compressed or not; read apart it does not', async () => {
    expect(whole.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(pieces.length).toBeGreaterThan(10);
    const names = pieces.map((p, k) => {
      const f = join(dir, `part_${String(k).padStart(5, '0')}.pcap${k % 3 === 0 ? '.gz' : ''}`);
      writeFileSync(f, k % 3 === 0 ? gzipSync(p) : p);
      return f;
    });
    const want = await analyze([sample], { routesFile });
    const got = await analyze([...names].reverse(), { routesFile });
    expect(got.totals).toEqual(want.totals);
    expect(got.routes).toEqual(want.routes);
    expect(got.wire).toEqual(want.wire);
    expect(got.inputs.reduce((n, i) => n + i.read, 0)).toBe(want.inputs[0]!.read);
    for (const i of got.inputs) expect(i.read).toBe(i.used + i.ignored + i.malformed);
    expect(got.inputs.filter((i) => i.notes.some((n) => n.startsWith('read as one chain with'))).length).toBe(pieces.length - 1);
    expect(inputsLine(got)).toMatch(new RegExp(`; ${pieces.length - 1} seams between split or rotated files read through$`));

    // the same pieces under names that do not say they are one capture: each read alone, calls cut at every seam
    const apart = pieces.map((p, k) => {
      const f = join(dir, `${String.fromCharCode(97 + k)}-piece.pcap`);
      writeFileSync(f, p);
      return f;
    });
    const alone = await analyze(apart, { routesFile });
    expect(alone.totals.minutes).toBeLessThan(want.totals.minutes * 0.95);
  });

  it('reads a piece once when it is named and also found in the folder, or the folder is named twice', async () => {
    const d = mkdtempSync(join(dir, 'twice-'));
    pieces.forEach((p, k) => writeFileSync(join(d, `sbc.pcap${k === 0 ? '' : k}`), p));
    const want = await analyze([sample], { routesFile });
    for (const args of [[d, join(d, 'sbc.pcap3')], [d, `${d}/./`]]) {
      const got = await analyze(args, { routesFile });
      expect(got.inputs.length).toBe(pieces.length);
      expect(got.totals).toEqual(want.totals);
    }
  });

  it('a piece with no packet between two others is a seam taken on trust, not a broken one', () => {
    const records = (parts: Uint8Array[]): { n: number; notes: string[][] } => {
      const r = readPieces(parts);
      return { n: r.records.length, notes: r.accounts.map((a) => a.notes) };
    };
    const headerOnly = pieces[0]!.subarray(0, 24);
    const through = records([pieces[0]!, headerOnly, pieces[1]!]);
    expect(through.n).toBe(records([pieces[0]!, pieces[1]!]).n);
    expect(through.notes[0]).toContain('read as one chain with p1, the next capture in time (nothing to check the seam against): calls in progress at the end of this file continue there');
    expect(through.notes.flat().some((n) => n.includes('NaN'))).toBe(false);
    // the same piece last: its seam is taken on trust too
    expect(records([pieces[0]!, headerOnly]).notes[0]).toContain('read as one chain with p1, the next capture in time (nothing to check the seam against): calls in progress at the end of this file continue there');
  });

  it('names a seam that spans minutes with nothing read (one piece missing): a quiet spell or a hole', async () => {
    const d = mkdtempSync(join(dir, 'hole-'));
    const names = [0, 1, 3].map((k) => {
      const f = join(d, `cap.pcap${k || ''}`);
      writeFileSync(f, pieces[k]!);
      return f;
    });
    const got = await analyze(names, { routesFile });
    // 0 → 1 meet within seconds; 1 → 3 skips the 20 minutes of piece 2, still within the hour a seam may span
    expect(got.inputs[0]!.notes.find((n) => n.startsWith('read as one chain'))).not.toContain('across the seam');
    const note = got.inputs[1]!.notes.find((n) => n.startsWith(`read as one chain with ${names[2]}`));
    expect(note).toMatch(/; nothing was read for 2[0-4] min across the seam \(a quiet spell, or a missing piece of the chain: calls in progress then would end unseen\)$/);
  });

  it('does not join captures whose names merely differ in a number (two sites, two test calls) when they do not meet', async () => {
    const d = mkdtempSync(join(dir, 'sites-'));
    const names = [0, 2].map((k, j) => {
      const f = join(d, `site${j + 1}.pcap`);
      writeFileSync(f, pieces[k]!);
      return f;
    });
    const got = await analyze(names, { routesFile });
    const alone = await Promise.all(names.map((n) => analyze([n], { routesFile })));
    expect(got.inputs.map((i) => i.records)).toEqual(alone.map((a) => a.inputs[0]!.records));
    expect(got.totals.attempts).toBe(alone[0]!.totals.attempts + alone[1]!.totals.attempts);
    expect(got.totals.minutes).toBeCloseTo(alone[0]!.totals.minutes + alone[1]!.totals.minutes, 1);
    expect(got.inputs.flatMap((i) => i.notes).some((n) => n.startsWith('read as one chain'))).toBe(false);
    expect(got.inputs[1]!.notes.some((n) => n.startsWith(`named like ${names[0]} but not read as one chain with it: it begins`))).toBe(true);
  });

  it('does not carry calls into a piece that did not follow (pieces missing between them)', async () => {
    const d = mkdtempSync(join(dir, 'gap-'));
    // pieces 0, 1 and 6: the seam 1 → 6 skips over more than an hour of capture. Compressed, their ends are
    // not read beforehand: the seam is judged when the reader gets there.
    const names = [0, 1, 6].map((k) => {
      const f = join(d, `cap.pcap${k || ''}.gz`);
      writeFileSync(f, gzipSync(pieces[k]!));
      return f;
    });
    const got = await analyze(names, { routesFile });
    expect(got.inputs[0]!.notes.some((n) => n.startsWith(`read as one chain with ${names[1]}`))).toBe(true);
    expect(got.inputs[1]!.notes.find((n) => n.startsWith('not continued by'))).toMatch(/its first packet is \d+(\.\d)? h after this file's last SIP message/);
    expect(inputsLine(got)).toContain("; 1 seam between split or rotated files read through (1 more where the next file did not follow: calls cut there, see the inputs' notes)");
    // past the broken seam, the piece reads as it does alone
    const alone = await analyze([names[2]!], { routesFile });
    expect(got.inputs[2]!.records).toBe(alone.inputs[0]!.records);
    expect(got.inputs[2]!.records).toBeGreaterThan(0);
  });
});

describe.skipIf(!existsSync(`${root}dist/worker.js`))('a chain of captures in worker threads (needs the build: npm run build)', () => {
  it('is read by one thread, and the report is that of one thread', () => {
    const whole = gunzipSync(readFileSync(`${root}fixtures/sample/carrier-day.pcap.gz`));
    const d = mkdtempSync(join(dir, 'jobs-'));
    splitPcap(whole, 45 * 60_000).forEach((p, k) => writeFileSync(join(d, `ring.pcap${k === 0 ? '' : k}`), p));
    const run = (jobs: number, ...inputs: string[]): { totals: unknown; routes: unknown; wire: unknown } =>
      JSON.parse(execFileSync(process.execPath, [`${root}bin/sipscope.js`, 'analyze', ...inputs, `${root}fixtures/gen/alpha-beta.pcap`, '--format', 'json', '--jobs', String(jobs)], { encoding: 'utf8' })) as {
        totals: unknown;
        routes: unknown;
        wire: unknown;
      };
    const want = run(1, `${root}fixtures/sample/carrier-day.pcap.gz`);
    const two = run(2, d);
    expect(two.totals).toEqual(want.totals);
    expect(two.routes).toEqual(want.routes);
    expect(two.wire).toEqual(want.wire);
  });
});
