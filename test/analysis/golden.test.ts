/**
 * Pins the exact output of the analysis (the whole AnalysisResult JSON and the Aggregator's JSON) on
 * generated scenarios, so that speed work on the per-record path provably changes no result: any
 * difference in any number, example Call-ID, order or rounding changes the digest.
 *
 * The digests were taken from the implementation before the per-record path was optimised. When a
 * result is meant to change, set SIPSCOPE_GOLDEN_DUMP=dir to write the JSON of each case there and
 * compare the old and new files before updating a digest.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Aggregator, finish, type AnalysisOptions } from '../../src/analysis/index.js';
import type { CallRecord } from '../../src/types.js';
import { ANALYSIS_SCENARIO, generate, Rng, type ScenarioSpec } from './gen.js';

const CTX = { inputs: [], wire: { responses: {}, requests: {} } };

function digest(v: unknown): string {
  return createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 32);
}

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const rng = new Rng(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** What a CDR export gives: no provisional times, no packet positions, no media, codes from dispositions. */
function cdrLike(records: readonly CallRecord[]): CallRecord[] {
  return records.map((r, i) => {
    const { ringing: _r, rtp: _m, sdt: _s, ...rest } = r;
    const out: CallRecord = { ...rest, codeSource: i % 7 === 0 ? 'q850' : 'disposition', source: { file: 'Master.csv', line: i + 2 } };
    if (out.finalCode === 200 && i % 5 === 0) delete out.pdd;
    return out;
  });
}

/** Records with every optional field missing or odd somewhere: undated, no callee, 00/+ prefixes, unknown codes. */
function odd(records: readonly CallRecord[]): CallRecord[] {
  const rng = new Rng(99);
  return records.map((r0) => {
    const r: CallRecord = { ...r0, source: { ...r0.source } };
    const k = rng.int(0, 39);
    if (k === 0) r.start = Number.NaN;
    else if (k === 1) delete r.callee;
    else if (k === 2) r.callee = '';
    else if (k === 3 && r.callee) r.callee = `00${r.callee.replace('+', '')}`;
    else if (k === 4) r.finalCode = 999;
    else if (k === 5 && r.answer !== undefined) delete r.finalCode;
    else if (k === 6) delete r.duration;
    else if (k === 7) r.pdd = -5;
    else if (k === 8) r.provisionalsSeen = false;
    else if (k === 9) r.codeSource = 'hangup-cause';
    else if (k === 10 && r.rtp) r.rtp = { ...r.rtp, ringbackAfterAnswer: rng.next() };
    else if (k === 11 && r.rtp) r.rtp = { fromCallee: 0, fromCaller: 0 };
    else if (k === 12) delete r.end;
    else if (k === 13) r.sdt = Number.POSITIVE_INFINITY;
    else if (k === 14) r.q850 = rng.int(0, 127);
    else if (k === 15) r.duration = 1e12;
    else if (k === 16 && r.answer !== undefined) r.answer = r.start - 10;
    else if (k === 17) r.finalCode = 302;
    else if (k === 18) r.route = `thin-${rng.int(0, 3)}`;
    return r;
  });
}

interface Case {
  name: string;
  records: () => CallRecord[];
  options: AnalysisOptions;
  /** Split into this many shuffled parts, aggregated apart and merged (through JSON for the last one). */
  parts?: number;
  result: string;
  aggregate: string;
  /**
   * `spikeChecks`, pinned apart: the field came after the digests above were taken, and `result` is the
   * digest of everything else, so the older digests still pin the rest unchanged.
   */
  checks: string;
}

const busySpec: ScenarioSpec = {
  ...ANALYSIS_SCENARIO,
  seed: 7,
  routes: ANALYSIS_SCENARIO.routes.map((r) => (r.spike ? { ...r, perHour: 2000, spike: { fromMin: 0, toMin: 360, share: 0.55 } } : r)),
  falseBusy: { ...ANALYSIS_SCENARIO.falseBusy, share: 1 },
};

const base = () => generate().records;

const CASES: Case[] = [
  { name: 'scenario, defaults', records: base, options: {}, result: '2841df63dd23e7277d39bfdaabaff87c', aggregate: '90037bf1a05c2e8e92f324af37e57a3b', checks: 'd344e252887fbb3f5f9648388ccb4a04' },
  { name: 'scenario, prefix 4, 5m buckets', records: base, options: { prefixDigits: 4, bucket: '5m' }, result: 'c17de2f6ef159ff33aa0d96f4f23bc0e', aggregate: 'f025725c3844bec9801cd0c2e8056c9c', checks: '2b41c6afbaec63d47bb4e11ef582568c' },
  { name: 'scenario shuffled, 1h', records: () => shuffled(base(), 3), options: { bucket: '1h' }, result: 'e65b2989b0f23eaaf27b5101246d2093', aggregate: '56287c845c6e99150e3cb1d837f1ab2b', checks: '5da92a5d9ad0a800f5b9c77d2d44b0e9' },
  { name: 'scenario in 3 shuffled parts, merged', records: base, options: { prefixDigits: 3 }, parts: 3, result: '4e6cd4fd9973901ad9db5ff51f8f4e97', aggregate: 'd6675883bca233d306a9767dc990c143', checks: 'd344e252887fbb3f5f9648388ccb4a04' },
  { name: 'scenario, coarsened base', records: base, options: { maxBucketStats: 100, bucket: '5m' }, result: 'd2b97f410a5095f1afec19a35d7b68b6', aggregate: 'f6a2643d9edf5eee886e9f5ff5233ef9', checks: '5da92a5d9ad0a800f5b9c77d2d44b0e9' },
  { name: 'CDR-like', records: () => cdrLike(generate({ ...ANALYSIS_SCENARIO, seed: 4 }).records), options: {}, result: '80acb466eca5d84fbb68f0d065837936', aggregate: '2c0f50c22143881bcd6ce1010b87c305', checks: 'a818c4b06e7658757aea114f6e7ac8d0' },
  { name: 'odd records', records: () => odd(generate({ ...ANALYSIS_SCENARIO, seed: 5 }).records), options: { prefixDigits: 2 }, result: 'c367ce3f587017672615982f689e48d4', aggregate: '8b1474dff2e7e2b0bafa6afe0fdfd022', checks: 'ffe9e49f975853778790dbbd598dac0a' },
  {
    name: 'odd records shuffled, merged',
    records: () => shuffled(odd(generate({ ...ANALYSIS_SCENARIO, seed: 5 }).records), 8),
    options: { prefixDigits: 2 },
    parts: 2,
    result: '66b4eb9959054480112ecbb09e3b52a6',
    aggregate: '67b85695469bd1c9708f68386101089f',
    checks: 'ffe9e49f975853778790dbbd598dac0a',
  },
  {
    name: 'many false busies, small callee memory',
    records: () => generate(busySpec).records,
    options: { thresholds: { falseBusyMaxCallees: 500 } },
    result: 'e762d1288f5226c24b3d1beab967710c',
    aggregate: '6395f4c579767174a03147fb1fc65b87',
    checks: '50655262cf5ef216d11e6344bcfd506f',
  },
  {
    name: 'many false busies shuffled, merged',
    records: () => shuffled(generate(busySpec).records, 11),
    options: {},
    parts: 4,
    result: '7f1db100bcb2e9591aed588a1a9907e8',
    aggregate: 'bbd40d3a1869f4dc860e856457d47909',
    checks: '50655262cf5ef216d11e6344bcfd506f',
  },
];

function aggregate(c: Case): Aggregator {
  const records = c.records();
  if (!c.parts) {
    const a = new Aggregator(c.options);
    for (const r of records) a.add(r);
    return a;
  }
  const parts = Array.from({ length: c.parts }, () => new Aggregator(c.options));
  records.forEach((r, i) => parts[i % parts.length].add(r));
  const [first, ...rest] = parts;
  rest.forEach((p, i) => first.merge(i === rest.length - 1 ? Aggregator.fromJSON(JSON.parse(JSON.stringify(p.toJSON()))) : p));
  return first;
}

describe('golden: the analysis output is pinned', () => {
  const dump = process.env.SIPSCOPE_GOLDEN_DUMP;
  if (dump) mkdirSync(dump, { recursive: true });
  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const c = CASES[i];
    const agg = aggregate(c);
    const aggJson = agg.toJSON();
    const res = finish(agg, { ...CTX, options: { now: new Date(0), ...c.options } });
    if (dump) {
      writeFileSync(join(dump, `${i}-result.json`), JSON.stringify(res, null, 1));
      writeFileSync(join(dump, `${i}-aggregate.json`), JSON.stringify(aggJson, null, 1));
      const { spikeChecks, ...rest } = res;
      writeFileSync(join(dump, `${i}.digest`), `result: '${digest(rest)}', aggregate: '${digest(aggJson)}', checks: '${digest(spikeChecks)}'\n`);
    }
    const { spikeChecks, ...rest } = res;
    expect({ result: digest(rest), aggregate: digest(aggJson), checks: digest(spikeChecks) }).toEqual({ result: c.result, aggregate: c.aggregate, checks: c.checks });
  });
});
