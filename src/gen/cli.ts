/**
 * Regenerates the committed fixtures and the benchmark inputs from their seeds:
 *
 *   node dist/gen/cli.js fixtures [repoRoot]        fixtures/gen/ and fixtures/sample/
 *   node dist/gen/cli.js bench-inputs DIR [scale]   the benchmark's large inputs (scale 1 = full size)
 *
 * Everything is deterministic: running it again gives byte-identical files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { writeAsteriskLog, type LogOptions } from './asterisk.js';
import { type CaptureOptions, type CaptureStats, writeCapture } from './capture.js';
import { writeCarrierCsv, writeMasterCsv } from './cdr.js';
import { ALPHA_ADDR, BETA_ADDR, alphaBeta, edgeCases, sampleRoutesCsv, sampleScenario } from './fixtures.js';
import { renderToBuffer, renderToFile } from './out.js';
import { type Scenario, groundTruth } from './scenario.js';
import { benchScenario, benchRtpScenario, BENCH_DEFAULTS } from './bench-spec.js';

function gz(b: Buffer): Buffer {
  return gzipSync(b, { level: 9 });
}

interface Written {
  file: string;
  bytes: number;
}

function put(dir: string, name: string, data: Buffer | string, list: Written[]): void {
  const b = typeof data === 'string' ? Buffer.from(data) : data;
  writeFileSync(join(dir, name), b);
  list.push({ file: name, bytes: b.length });
}

function capture(s: Scenario, o: CaptureOptions): { data: Buffer; stats: CaptureStats } {
  let stats: CaptureStats | undefined;
  const data = renderToBuffer((out) => {
    stats = writeCapture(s, out, o);
  });
  return { data, stats: stats! };
}

/** The truth file beside each scenario's fixtures. */
function truthJson(s: Scenario, wire: CaptureStats | undefined, extra: Record<string, unknown> = {}): string {
  const t = groundTruth(s, 'sip');
  const d = groundTruth(s, 'disposition');
  return (
    JSON.stringify(
      {
        scenario: s.name,
        calls: t.calls,
        routes: t.routes,
        totals: t.totals,
        masterCsvCodes: Object.fromEntries(Object.entries(d.routes).map(([k, v]) => [k, v.codes])),
        wire: wire ? { responses: wire.responses, requests: wire.requests } : undefined,
        ...extra,
      },
      null,
      2,
    ) + '\n'
  );
}

export function writeFixtures(root: string): Written[] {
  const dir = join(root, 'fixtures', 'gen');
  mkdirSync(dir, { recursive: true });
  const list: Written[] = [];
  const ab = alphaBeta();
  const noRtp: CaptureOptions = { rtp: false };
  const variants: Array<[string, Scenario, CaptureOptions]> = [
    ['alpha-beta.pcap', ab, noRtp],
    ['alpha-beta.pcapng', ab, { ...noRtp, container: 'pcapng' }],
    ['alpha-beta-ns.pcap', ab, { ...noRtp, nanosecond: true }],
    ['alpha-beta-vlan.pcap', ab, { ...noRtp, link: 'vlan' }],
    ['alpha-beta-sll.pcap', ab, { ...noRtp, link: 'sll' }],
    ['alpha-beta-sll2.pcap', ab, { ...noRtp, link: 'sll2' }],
    ['alpha-beta-raw.pcapng', ab, { ...noRtp, link: 'raw', container: 'pcapng', nanosecond: true }],
    ['alpha-beta-tcp.pcap', alphaBeta({ transport: 'tcp' }), { ...noRtp, mss: 536 }],
    ['alpha-beta-frag.pcap', alphaBeta({ bigInvite: true }), noRtp],
    ['alpha-beta-rtp.pcap', ab, { rtpMaxSec: 2 }],
  ];
  let wire: CaptureStats | undefined;
  for (const [name, s, o] of variants) {
    const r = capture(s, o);
    wire ??= r.stats;
    put(dir, name, r.data, list);
    if (name === 'alpha-beta.pcap') put(dir, `${name}.gz`, gz(r.data), list);
  }
  const logs: Array<[string, LogOptions]> = [
    ['alpha-beta.log', {}],
    ['alpha-beta-classic-sip.log', { style: 'classic', tech: 'SIP', stamp: 'month' }],
    ['alpha-beta-ms.log', { stamp: 'iso-ms', noise: 0 }],
  ];
  for (const [name, o] of logs) {
    const b = renderToBuffer((out) => writeAsteriskLog(ab, out, o));
    put(dir, name, b, list);
    if (name === 'alpha-beta.log') put(dir, `${name}.gz`, gz(b), list);
  }
  const master = renderToBuffer((out) => writeMasterCsv(ab, out));
  put(dir, 'alpha-beta.Master.csv', master, list);
  put(dir, 'alpha-beta.Master.csv.gz', gz(master), list);
  const carrier = renderToBuffer((out) => writeCarrierCsv(ab, out));
  put(dir, 'alpha-beta.carrier.csv', carrier, list);
  put(dir, 'alpha-beta.carrier.csv.gz', gz(carrier), list);
  put(dir, 'alpha-beta.carrier-semicolon.csv', renderToBuffer((out) => writeCarrierCsv(ab, out, { delimiter: ';', eol: '\n' })), list);
  put(dir, 'alpha-beta.routes.csv', `match,route\n${ALPHA_ADDR},alpha\n${BETA_ADDR}/32,beta\n`, list);
  put(dir, 'alpha-beta.truth.json', truthJson(ab, wire), list);

  const ec = edgeCases();
  const ecCap = capture(ec, { rtp: false });
  put(dir, 'edge-cases.pcap', ecCap.data, list);
  // Over TCP: 200-to-CANCEL and 487 share a segment; INVITEs span 3 segments sent last-first plus a retransmission.
  put(dir, 'edge-cases-tcp.pcap', capture(edgeCases({ transport: 'tcp' }), { rtp: false, mss: 400, coalesce: true, disorder: true }).data, list);
  put(dir, 'edge-cases.log', renderToBuffer((out) => writeAsteriskLog(ec, out)), list);
  put(dir, 'edge-cases.carrier.csv', renderToBuffer((out) => writeCarrierCsv(ec, out)), list);
  put(dir, 'edge-cases.Master.csv', renderToBuffer((out) => writeMasterCsv(ec, out)), list);
  put(dir, 'edge-cases.truth.json', truthJson(ec, ecCap.stats), list);

  // The bundled sample: a carrier day on 4 vendor routes (gzip'd to stay small).
  const sdir = join(root, 'fixtures', 'sample');
  mkdirSync(sdir, { recursive: true });
  const sample = sampleScenario();
  const sc = capture(sample, { rtp: false });
  put(sdir, 'carrier-day.pcap.gz', gz(sc.data), list);
  put(sdir, 'carrier-day.cdr.csv', renderToBuffer((out) => writeCarrierCsv(sample, out)), list);
  put(sdir, 'routes.csv', sampleRoutesCsv(), list);
  put(sdir, 'truth.json', truthJson(sample, sc.stats, { spike: { route: 'vendor-b', from: '2024-03-05T12:00:00Z', to: '2024-03-05T13:00:00Z', code: 486 }, fas: ['vendor-fas'] }), list);
  return list;
}

export interface BenchInput {
  kind: 'capture-sip' | 'capture-rtp' | 'asterisk-log' | 'master-csv' | 'carrier-csv';
  file: string;
  bytes: number;
  /** Calls (captures, log) or rows (CSV) in the file. */
  calls: number;
  /** Log lines / CSV rows / packets. */
  units: number;
  seconds: number;
}

/** Writes the benchmark inputs; `scale` multiplies the default sizes (1 = the sizes). */
export function writeBenchInputs(dir: string, scale = 1, only?: Set<BenchInput['kind']>): BenchInput[] {
  mkdirSync(dir, { recursive: true });
  const res: BenchInput[] = [];
  const want = (k: BenchInput['kind']): boolean => !only || only.has(k);
  const timed = (kind: BenchInput['kind'], name: string, calls: number, fn: (file: string) => { bytes: number; units: number }): void => {
    const file = join(dir, name);
    const t0 = performance.now();
    const r = fn(file);
    res.push({ kind, file, bytes: r.bytes, calls, units: r.units, seconds: (performance.now() - t0) / 1000 });
  };
  const nCalls = Math.max(10, Math.round(BENCH_DEFAULTS.captureCalls * scale));
  const nRows = Math.max(10, Math.round(BENCH_DEFAULTS.csvRows * scale));
  if (want('capture-sip')) {
    const s = benchScenario(nCalls);
    timed('capture-sip', 'calls-sip.pcap', nCalls, (f) => {
      let packets = 0;
      const bytes = renderToFile(f, (out) => {
        packets = writeCapture(s, out, { rtp: false }).packets;
      });
      return { bytes, units: packets };
    });
  }
  if (want('capture-rtp')) {
    const s = benchRtpScenario(nCalls);
    timed('capture-rtp', 'calls-rtp.pcap', nCalls, (f) => {
      let packets = 0;
      const bytes = renderToFile(f, (out) => {
        packets = writeCapture(s, out, { rtpMaxSec: BENCH_DEFAULTS.rtpMaxSec }).packets;
      });
      return { bytes, units: packets };
    });
  }
  if (want('asterisk-log')) {
    // ~9.3 lines per call with the default noise: 110,000 calls ≈ 1,000,000+ lines.
    const n = Math.max(10, Math.round(BENCH_DEFAULTS.logCalls * scale));
    const s = benchScenario(n, 7);
    timed('asterisk-log', 'full.log', n, (f) => {
      let lines = 0;
      const bytes = renderToFile(f, (out) => {
        lines = writeAsteriskLog(s, out).lines;
      });
      return { bytes, units: lines };
    });
  }
  if (want('master-csv')) {
    const s = benchScenario(nRows, 11);
    timed('master-csv', 'Master.csv', nRows, (f) => ({ bytes: renderToFile(f, (out) => writeMasterCsv(s, out)), units: nRows }));
  }
  if (want('carrier-csv')) {
    const s = benchScenario(nRows, 13);
    timed('carrier-csv', 'carrier.csv', nRows, (f) => ({ bytes: renderToFile(f, (out) => writeCarrierCsv(s, out)), units: nRows }));
  }
  return res;
}

function main(argv: string[]): number {
  const [cmd, ...rest] = argv;
  if (cmd === 'fixtures') {
    const root = resolve(rest[0] ?? '.');
    for (const w of writeFixtures(root)) console.log(`${String(w.bytes).padStart(9)}  ${w.file}`);
    return 0;
  }
  if (cmd === 'bench-inputs' && rest[0]) {
    const scale = rest[1] ? Number(rest[1]) : 1;
    const only = rest[2] ? new Set(rest[2].split(',') as BenchInput['kind'][]) : undefined;
    console.log(JSON.stringify(writeBenchInputs(resolve(rest[0]), scale, only), null, 2));
    return 0;
  }
  console.error('usage: node dist/gen/cli.js fixtures [repoRoot] | bench-inputs DIR [scale] [kinds,…]');
  return 2;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
