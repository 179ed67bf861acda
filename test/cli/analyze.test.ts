import { createReadStream, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/main.js';
import { FORMATS } from '../../src/cli/analyze.js';
import { REPORT_FORMATS } from '../../src/report/index.js';
import type { AnalysisResult } from '../../src/analysis/result.js';

const fx = (name: string): string => new URL(`../../fixtures/gen/${name}`, import.meta.url).pathname;
const ROUTES = fx('alpha-beta.routes.csv');

async function run(args: string[], stdinFile?: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    isTTY: false,
    stderrIsTTY: false,
    stdin: stdinFile ? createReadStream(stdinFile) : undefined,
  };
  const code = await main(['node', 'sipscope', ...args], io);
  return { code, out, err };
}

function routesOf(json: string): Record<string, { attempts: number; answered: number; codes: Record<string, number> }> {
  const r = JSON.parse(json) as AnalysisResult;
  return Object.fromEntries(r.routes.map((x) => [x.route, { attempts: x.attempts, answered: x.answered, codes: x.codes }]));
}

const EXPECTED = {
  alpha: { attempts: 3, answered: 2, codes: { '200': 2, '486': 1 } },
  beta: { attempts: 2, answered: 0, codes: { '480': 1, '503': 1 } },
};

describe('sipscope analyze (in-process)', () => {
  it('offers the formats the renderers have', () => {
    expect([...FORMATS]).toEqual([...REPORT_FORMATS]);
  });

  it.each(['alpha-beta.pcap', 'alpha-beta.pcap.gz', 'alpha-beta.pcapng', 'alpha-beta.log', 'alpha-beta.log.gz', 'alpha-beta.Master.csv', 'alpha-beta.carrier.csv.gz'])(
    '%s gives the known routes, attempts and codes',
    async (name) => {
      const { code, out, err } = await run(['analyze', fx(name), '--routes', ROUTES, '--format', 'json']);
      expect(err).toBe('');
      expect(code).toBe(0);
      expect(routesOf(out)).toEqual(EXPECTED);
    },
  );

  it('stdin, gzip and plain give identical reports', async () => {
    const strip = (s: string): unknown => {
      const j = JSON.parse(s) as AnalysisResult;
      return { ...j, generatedAt: '', inputs: j.inputs.map((i) => ({ ...i, file: '', compressed: undefined, bytes: 0 })) };
    };
    const plain = await run(['analyze', fx('alpha-beta.pcap'), '--routes', ROUTES, '--format', 'json']);
    const gz = await run(['analyze', fx('alpha-beta.pcap.gz'), '--routes', ROUTES, '--format', 'json']);
    const stdin = await run(['analyze', '-', '--routes', ROUTES, '--format', 'json'], fx('alpha-beta.pcap.gz'));
    expect(strip(gz.out)).toEqual(strip(plain.out));
    expect(strip(stdin.out)).toEqual(strip(plain.out));
    expect((JSON.parse(stdin.out) as AnalysisResult).inputs[0]!.file).toBe('<stdin>');
  });

  it('a capture, a log and a CDR of the same calls merge into one report', async () => {
    const { code, out } = await run(['analyze', fx('alpha-beta.pcap'), fx('alpha-beta.log'), fx('alpha-beta.Master.csv'), '--routes', ROUTES, '--format', 'json']);
    expect(code).toBe(0);
    const r = routesOf(out);
    expect(r.alpha!.attempts).toBe(9);
    expect(r.beta!.codes).toEqual({ '480': 3, '503': 3 });
  });

  it('exit 3 when a --fail-on rule breaks, and the report is still written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipscope-cli-'));
    const out = join(dir, 'r.json');
    const res = await run(['analyze', fx('alpha-beta.pcap'), '--routes', ROUTES, '--format', 'json', '--out', out, '--fail-on', 'asr<35', '--min-attempts', '1']);
    expect(res.code).toBe(3);
    expect(res.err).toMatch(/--fail-on asr<35 \[beta\]: ASR 0\.0% < 35% over 2 attempts/);
    const written = JSON.parse(readFileSync(out, 'utf8')) as AnalysisResult;
    expect(written.failures).toHaveLength(1);
    const ok = await run(['analyze', fx('alpha-beta.pcap'), '--routes', ROUTES, '--format', 'json', '--fail-on', 'asr<35']);
    expect(ok.code).toBe(0); // routes under the default --min-attempts are not judged
  });

  it('exit 2 for a bad file among good ones, which are still analysed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipscope-cli-'));
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const res = await run(['analyze', fx('alpha-beta.pcap'), junk, join(dir, 'missing.pcap'), '--routes', ROUTES, '--format', 'json']);
    expect(res.code).toBe(2);
    expect(res.err).toContain(`sipscope: ${junk}: not recognised`);
    expect(res.err).toContain('missing.pcap: no such file or folder');
    expect(res.err.split('\n').filter(Boolean)).toHaveLength(2);
    expect(res.err).not.toMatch(/\s+at /); // no stack trace
    expect(routesOf(res.out)).toEqual(EXPECTED);
  });

  it('unreadable input and broken --fail-on rules: stderr names both, and exit 2 wins (README, exit codes)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipscope-cli-'));
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, Buffer.alloc(5000, 7));
    const res = await run(['analyze', fx('alpha-beta.pcap'), junk, '--routes', ROUTES, '--format', 'json', '--fail-on', 'asr<99', '--min-attempts', '1']);
    expect(res.code).toBe(2);
    const lines = res.err.split('\n').filter(Boolean);
    expect(lines[0]).toBe(`sipscope: ${junk}: not recognised as a pcap/pcapng capture, an Asterisk log or a CDR CSV export`);
    expect(lines.slice(1).sort()).toEqual(['sipscope: --fail-on asr<99 [alpha]: ASR 66.7% < 99% over 3 attempts', 'sipscope: --fail-on asr<99 [beta]: ASR 0.0% < 99% over 2 attempts']);
    expect((JSON.parse(res.out) as AnalysisResult).failures).toHaveLength(2);
    // the same rules without the bad input: exit 3, the same rule lines
    const alone = await run(['analyze', fx('alpha-beta.pcap'), '--routes', ROUTES, '--format', 'json', '--fail-on', 'asr<99', '--min-attempts', '1']);
    expect(alone.code).toBe(3);
    expect(alone.err.split('\n').filter(Boolean)).toEqual(lines.slice(1));
  });

  it('an input of no known format counts the bytes read to find it out (a file, and stdin)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipscope-cli-'));
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, Buffer.alloc(5000, 7));
    const file = await run(['analyze', junk, '--format', 'json']);
    expect(file.code).toBe(2);
    const input = (JSON.parse(file.out) as AnalysisResult).inputs[0]!;
    expect(input.error).toMatch(/not recognised/);
    expect(input.bytes).toBe(5000);
    const table = await run(['analyze', '-'], junk);
    expect(table.code).toBe(2);
    expect(table.out).toContain('Inputs: 1 input (1 unknown), 4.9 KiB, 0 units read');
  });

  it('--by prefix needs --prefix-digits: exit 2 and one line, before any input is read', async () => {
    const res = await run(['analyze', fx('alpha-beta.pcap'), '--format', 'csv', '--by', 'prefix']);
    expect(res.code).toBe(2);
    expect(res.out).toBe('');
    expect(res.err).toBe('sipscope: --by prefix needs --prefix-digits N (or "prefixDigits" in the config), e.g. --by prefix --prefix-digits 3\n');
    const ok = await run(['analyze', fx('alpha-beta.pcap'), '--routes', ROUTES, '--format', 'csv', '--by', 'prefix', '--prefix-digits', '2']);
    expect(ok.code).toBe(0);
    expect(ok.out.split('\r\n').filter(Boolean).length).toBeGreaterThan(1);
    const dir = mkdtempSync(join(tmpdir(), 'sipscope-cli-'));
    const cfg = join(dir, 'c.json');
    writeFileSync(cfg, JSON.stringify({ prefixDigits: 2 }));
    const fromConfig = await run(['analyze', fx('alpha-beta.pcap'), '--routes', ROUTES, '--config', cfg, '--format', 'csv', '--by', 'prefix']);
    expect(fromConfig.code).toBe(0);
    expect(fromConfig.out).toBe(ok.out);
  });

  it('--by with another format than csv is a usage error, not ignored', async () => {
    for (const format of ['table', 'json', 'html']) {
      const res = await run(['analyze', fx('alpha-beta.pcap'), '--format', format, '--by', 'bucket']);
      expect(res.code).toBe(2);
      expect(res.out).toBe('');
      expect(res.err).toBe(`sipscope: --by shapes the rows of --format csv; the ${format} report has no such choice (it shows routes, and buckets and prefixes where it has them)\n`);
    }
    expect((await run(['analyze', fx('alpha-beta.pcap'), '--format', 'csv', '--by', 'bucket'])).code).toBe(0);
  });

  it('skips files of no known format found in a folder, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipscope-cli-'));
    writeFileSync(join(dir, 'notes.txt'), 'nothing to see here\n');
    writeFileSync(join(dir, 'a.pcap'), readFileSync(fx('alpha-beta.pcap')));
    const res = await run(['analyze', dir, '--routes', ROUTES, '--format', 'json']);
    expect(res.code).toBe(0);
    expect(res.err).toBe(`sipscope: skipped 1 file of no known format found in folders or globs (e.g. ${join(dir, 'notes.txt')})\n`);
    const j = JSON.parse(res.out) as AnalysisResult;
    expect(j.inputs.find((i) => i.file.endsWith('notes.txt'))!.skipped).toMatch(/not recognised/);
    expect(routesOf(res.out)).toEqual(EXPECTED);
  });

  it('exit 2 for usage errors, with one line', async () => {
    const ab = fx('alpha-beta.pcap');
    for (const args of [
      ['analyze'],
      ['analyze', ab, '--format', 'xml'],
      ['analyze', ab, '--fail-on', 'asr<<'],
      ['analyze', ab, '--bucket', '7m'],
      ['analyze', ab, '--since', '2018-02-30'],
      ['analyze', ab, '--tz', '+99:99'],
      ['analyze', ab, '--tz', 'Mars/Base'],
      ['calls', ab, '--tz', '+25:00'],
      ['scanners', ab, '--tz', 'Nowhere/Else'],
      ['scanners', ab, '--min-targets', '0'],
    ]) {
      const res = await run(args);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.err.length).toBeGreaterThan(0);
      // Our own checks give one line (commander adds a help hint to its own).
      if (/^--(since|tz|min-targets)$/.test(args[2] ?? '')) expect(res.err.split('\n').filter(Boolean), args.join(' ')).toHaveLength(1);
    }
    expect((await run(['analyze', ab, '--tz', '+14:00', '--format', 'json'])).code).toBe(0);
  });

  it('an --out that cannot be written is a usage error naming it, not an internal error', async () => {
    const res = await run(['analyze', fx('alpha-beta.pcap'), '--out', '/nonexistent-folder/r.html']);
    expect(res.code).toBe(2);
    expect(res.err).toBe('sipscope: --out /nonexistent-folder/r.html: cannot write: no such file\n');
  });

  it('stderr lines carry no escape sequence, line end or bidi override from the wire', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipscope-cli-'));
    const csv = join(dir, 'hostile.csv');
    const evil = 'v\u001b[31mred\u001b]0;title\u0007\nforged line\u202egnp.exe';
    const rows = ['start,vendor,callee,sip_code'];
    for (let i = 0; i < 30; i++) rows.push(`2024-03-05 10:${String(i).padStart(2, '0')}:00,"${evil}",7495${i},486`);
    writeFileSync(csv, rows.join('\n') + '\n');
    const res = await run(['analyze', csv, '--fail-on', 'asr<50', '--format', 'json']);
    expect(res.code).toBe(3);
    const lines = res.err.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe('sipscope: --fail-on asr<50 [v\uFFFD[31mred\uFFFD]0;title\uFFFD\uFFFDforged line\uFFFDgnp.exe]: ASR 0.0% < 50% over 30 attempts');
  });

  it('reads a config file, and command-line options win over it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipscope-cli-'));
    const cfg = join(dir, 'c.json');
    writeFileSync(cfg, JSON.stringify({ routes: { '203.0.113.10': 'A', '198.51.100.20': 'B' }, format: 'csv', failOn: 'asr<35', minAttempts: 1 }));
    const res = await run(['analyze', fx('alpha-beta.pcap'), '--config', cfg]);
    expect(res.code).toBe(3);
    expect(res.out.split('\n')[0]).toMatch(/^route,attempts/);
    expect(res.out).toMatch(/^B,2,0/m);
    const json = await run(['analyze', fx('alpha-beta.pcap'), '--config', cfg, '--format', 'json', '--min-attempts', '5']);
    expect(json.code).toBe(0);
    expect(Object.keys(routesOf(json.out)).sort()).toEqual(['A', 'B']);
  });

  it('numbers in a config file get the options\' range checks (exit 2, one line naming the key)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipscope-cli-'));
    for (const [key, value, lo, hi] of [['year', 99999, 1970, 2200], ['prefixDigits', -3, 1, 15], ['callTimeoutSec', -5, 1, 604800], ['minAttempts', 1.5, 0, 1000000000]] as const) {
      const cfg = join(dir, `${key}.json`);
      writeFileSync(cfg, JSON.stringify({ [key]: value }));
      const res = await run(['analyze', fx('alpha-beta.pcap'), '--config', cfg, '--format', 'json']);
      expect(res.code, key).toBe(2);
      expect(res.err, key).toBe(`sipscope: ${cfg}: ${key} must be a whole number from ${lo} to ${hi}, not '${value}'\n`);
    }
  });

  it('any bad value in a config file names the file and the key, not an option (exit 2, one line, before any input is read)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipscope-cli-'));
    writeFileSync(join(dir, 'bad-routes.csv'), 'match,route\n10.0.0.300,x\n');
    for (const [key, value, message] of [
      ['bucket', '2h', "bucket must be one of 5m, 15m, 1h, 1d, not '2h'"],
      ['format', 'xml', "format must be one of table, json, csv, md, html, prom, not 'xml'"],
      ['tz', 'Mars/Base', "tz expects an IANA zone name (Europe/Moscow) or an offset (+03:00), not 'Mars/Base'"],
      ['failOn', 'asr<<3', "failOn: cannot read 'asr<<3' (e.g. asr<35, seer<60, ner<50, acd<30, pdd>8, spike, fas, unreadable)"],
      ['failOn', 'pdd<3', "failOn: 'pdd<3': pdd rules break when the route's p95 PDD rises above the value: write pdd>3"],
      ['thresholds', { spikeMinAtempts: 3 }, "thresholds: unknown threshold 'spikeMinAtempts' (known: "],
      ['thresholds', { spikeMinAttempts: -3 }, "thresholds: threshold spikeMinAttempts must be a non-negative number, not '-3'"],
      ['routes', { '10.0.0.1': 'a', '10.0.0.300': 'x' }, 'routes: "10.0.0.300" is not an IPv4/IPv6 address or CIDR'],
      ['routes', 'bad-routes.csv', `routes: ${join(dir, 'bad-routes.csv')}: line 2: "10.0.0.300" is not an IPv4/IPv6 address or CIDR`],
      ['routes', 'missing.csv', `routes: ${join(dir, 'missing.csv')}: cannot read routes file: no such file`],
    ] as const) {
      const cfg = join(dir, `${key}.json`);
      writeFileSync(cfg, JSON.stringify({ [key]: value }));
      const res = await run(['analyze', join(dir, 'no-such-input.pcap'), '--config', cfg]);
      expect(res.code, key).toBe(2);
      expect(res.out, key).toBe('');
      expect(res.err.startsWith(`sipscope: ${cfg}: ${message}`), `${key}: ${res.err}`).toBe(true);
      expect(res.err.split('\n').filter(Boolean), key).toHaveLength(1);
    }
    // an out that cannot be written: named as the config's key too
    const cfg = join(dir, 'out.json');
    writeFileSync(cfg, JSON.stringify({ out: 'no-such-folder/r.json' }));
    const res = await run(['analyze', fx('alpha-beta.pcap'), '--config', cfg]);
    expect(res.code).toBe(2);
    expect(res.err).toBe(`sipscope: ${cfg}: out ${join(dir, 'no-such-folder/r.json')}: cannot write: no such file\n`);
    // the same values given as options still name the options
    expect((await run(['analyze', fx('alpha-beta.pcap'), '--tz', 'Mars/Base'])).err).toMatch(/^sipscope: --tz expects/);
    expect((await run(['analyze', fx('alpha-beta.pcap'), '--fail-on', 'pdd<3'])).err).toMatch(/^sipscope: --fail-on: 'pdd<3'/);
  });

  it('--out - writes to standard output (analyze and flow), as "out": "-" in a config does; ./- is a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipscope-cli-'));
    const plain = await run(['analyze', fx('alpha-beta.pcap'), '--routes', ROUTES, '--format', 'md']);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const dash = await run(['analyze', fx('alpha-beta.pcap'), '--routes', ROUTES, '--format', 'md', '--out', '-']);
      expect(dash.code).toBe(0);
      expect(dash.out).toBe(plain.out);
      expect(existsSync(join(dir, '-'))).toBe(false);
      writeFileSync(join(dir, 'c.json'), JSON.stringify({ out: '-', format: 'md' }));
      const fromConfig = await run(['analyze', fx('alpha-beta.pcap'), '--routes', ROUTES, '--config', join(dir, 'c.json')]);
      expect(fromConfig.out).toBe(plain.out);
      expect(existsSync(join(dir, '-'))).toBe(false);
      const flowArgs = ['flow', fx('alpha-beta.pcap'), '--call-id', '5eed0000-alpha@10.0.0.1', '--format', 'md'];
      const flow = await run(flowArgs);
      expect(flow.code).toBe(0);
      expect(flow.out.length).toBeGreaterThan(100);
      expect((await run([...flowArgs, '--out', '-'])).out).toBe(flow.out);
      expect(existsSync(join(dir, '-'))).toBe(false);
      // a file named "-" is still written when asked for as ./-
      expect((await run(['analyze', fx('alpha-beta.pcap'), '--routes', ROUTES, '--format', 'md', '--out', './-'])).out).toBe('');
      expect(readFileSync(join(dir, '-'), 'utf8')).toBe(plain.out);
    } finally {
      process.chdir(cwd);
    }
  });
});
