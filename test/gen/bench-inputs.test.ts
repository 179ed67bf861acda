/**
 * The benchmark's inputs and its reference one-liners count the same thing as the ground truth, so
 * that the ratios bench/run.mjs prints compare like with like.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBenchInputs } from '../../src/gen/cli.js';
import { benchScenario } from '../../src/gen/bench-spec.js';
import { groundTruth } from '../../src/gen/index.js';

const awk = ['mawk', 'awk'].find((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0);
// The same programs as bench/run.mjs.
const AWK_MASTER = '{ r = $7; sub(/-[0-9a-f]+"$/, "", r); n[r]++; if ($16 == "\\"ANSWERED\\"") a[r]++ } END { for (k in n) print k, n[k], a[k] + 0 }';
const AWK_CARRIER = 'NR > 1 { n[$7]++; if ($8 == "200") a[$7]++ } END { for (k in n) print k, n[k], a[k] + 0 }';

function awkCounts(program: string, file: string, key: (k: string) => string): Record<string, [number, number]> {
  const r = spawnSync(awk!, ['-F,', program, file], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  const out: Record<string, [number, number]> = {};
  for (const line of r.stdout.trim().split('\n')) {
    const [k, n, a] = line.split(' ');
    out[key(k!)] = [Number(n), Number(a)];
  }
  return out;
}

describe('benchmark inputs (scale 0.002)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sipscope-bench-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const inputs = writeBenchInputs(dir, 0.002);
  const byKind = Object.fromEntries(inputs.map((i) => [i.kind, i]));

  it('writes every input with the announced size and units', () => {
    expect(Object.keys(byKind).sort()).toEqual(['asterisk-log', 'capture-rtp', 'capture-sip', 'carrier-csv', 'master-csv']);
    for (const i of inputs) expect(statSync(i.file).size).toBe(i.bytes);
    expect(byKind['master-csv']!.units).toBe(2000);
    expect(byKind['capture-rtp']!.bytes).toBeGreaterThan(byKind['capture-sip']!.bytes * 3);
  });

  it.skipIf(!awk)('the awk one-liners count the ground truth per route', () => {
    const truth = (seed: number): Record<string, [number, number]> =>
      Object.fromEntries(Object.values(groundTruth(benchScenario(2000, seed)).routes).map((r) => [r.route, [r.attempts, r.answered]]));
    expect(awkCounts(AWK_MASTER, byKind['master-csv']!.file, (k) => k.replace('"PJSIP/', ''))).toEqual(truth(11));
    expect(awkCounts(AWK_CARRIER, byKind['carrier-csv']!.file, (k) => k)).toEqual(truth(13));
  });

  it('grep -c " Called " on the log counts the attempts', () => {
    const r = spawnSync('grep', ['-c', ' Called ', byKind['asterisk-log']!.file], { encoding: 'utf8' });
    expect(Number(r.stdout.trim())).toBe(groundTruth(benchScenario(byKind['asterisk-log']!.calls, 7)).totals.attempts);
  });
});
