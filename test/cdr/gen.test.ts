import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { writeMasterCsv } from './master21.js';
import { MAX_ANOMALY_SAMPLES } from '../../src/types.js';
import { reconciled, runCdr } from './helpers.js';

test('generated Master.csv: the source gives the generator’s per-route truth, on both paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cdr-gen-'));
  try {
    const file = join(dir, 'Master.csv');
    const truth = writeMasterCsv(file, 3000, 7);
    const bytes = readFileSync(file);
    expect(bytes.length).toBe(truth.bytes);
    for (const path of ['fast', 'reference'] as const) {
      const { records, acc } = runCdr(file, bytes, {}, { path }, 65536);
      expect(reconciled(acc)).toBe(true);
      expect(acc.used).toBe(3000);
      const got: Record<string, [number, number]> = {};
      for (const r of records) {
        const e = (got[r.route] ??= [0, 0]);
        e[0]++;
        if (r.answer !== undefined) e[1]++;
      }
      expect(got).toEqual(truth.routes);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('malformed rows: counts complete, samples capped, line numbers kept', () => {
  let text = 'start,vendor,disposition\n';
  // The good rows differ (their second): a row repeated byte for byte would be ignored as duplicate-row.
  for (let i = 0; i < 50; i++) text += `garbage-${i},alpha,BUSY\n2024-03-05 10:00:${String(i).padStart(2, '0')},alpha,BUSY\n`;
  const { acc } = runCdr('bad.csv', Buffer.from(text));
  expect(acc.anomalies).toEqual({ 'bad-date': 50 });
  expect(acc.used).toBe(50);
  expect(acc.samples.length).toBe(MAX_ANOMALY_SAMPLES);
  expect(acc.samples[0]).toMatchObject({ name: 'bad-date', position: { file: 'bad.csv', line: 2 }, detail: 'start = "garbage-0"' });
  expect(acc.samples[19].position.line).toBe(40);
  expect(reconciled(acc)).toBe(true);
});
