import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../src/analysis/result.js';

// Worker threads load the built files (dist/worker.js); `npm ci` builds them (the `prepare` script).
const root = new URL('../../', import.meta.url).pathname;
const built = existsSync(`${root}dist/worker.js`);
const fx = (name: string): string => `${root}fixtures/gen/${name}`;

function run(jobs: number): AnalysisResult {
  const out = execFileSync(
    process.execPath,
    [`${root}bin/sipscope.js`, 'analyze', fx('alpha-beta.pcap'), fx('alpha-beta.log'), fx('alpha-beta.Master.csv'), fx('alpha-beta.carrier.csv.gz'), '--routes', fx('alpha-beta.routes.csv'), '--format', 'json', '--jobs', String(jobs)],
    { encoding: 'utf8' },
  );
  return JSON.parse(out) as AnalysisResult;
}

describe.skipIf(!built)('several files in worker threads (needs the build: npm run build)', () => {
  it('gives exactly the report of one thread', () => {
    const one = run(1);
    const two = run(2);
    expect(two.routes).toEqual(one.routes);
    expect(two.totals).toEqual(one.totals);
    expect(two.wire).toEqual(one.wire);
    expect(two.buckets).toEqual(one.buckets);
    expect(two.inputs.map((i) => [i.file, i.read, i.used])).toEqual(one.inputs.map((i) => [i.file, i.read, i.used]));
    expect(one.totals.attempts).toBe(20);
  });
});

/** `analyze` of one file; `split`: let a single capture of any size be read as shares of its calls. */
function runOne(files: string[], jobs: number, split: boolean): AnalysisResult {
  const env = { ...process.env };
  if (split) env.SIPSCOPE_SPLIT_MIN_BYTES = '0';
  else delete env.SIPSCOPE_SPLIT_MIN_BYTES;
  const out = execFileSync(process.execPath, [`${root}bin/sipscope.js`, 'analyze', ...files, '--format', 'json', '--jobs', String(jobs)], { encoding: 'utf8', env });
  const r = JSON.parse(out) as Partial<AnalysisResult>;
  delete r.generatedAt;
  return r as AnalysisResult;
}

describe.skipIf(!built)('one capture read by several workers, each taking a share of the calls (needs the build)', () => {
  it('gives exactly the report of one thread, accounting included', () => {
    for (const file of [`${root}fixtures/sip/carrier-day.pcap`, fx('alpha-beta-rtp.pcap'), fx('alpha-beta-tcp.pcap')]) {
      const one = runOne([file], 1, false);
      for (const jobs of [2, 3]) expect(runOne([file], jobs, true)).toEqual(one);
    }
  });

  it('splits a capture given with a smaller file, and gives the same report', () => {
    const files = [fx('alpha-beta.pcap'), fx('alpha-beta.log')];
    const one = runOne(files, 1, false);
    expect(runOne(files, 3, true)).toEqual(one);
  });
});

