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
