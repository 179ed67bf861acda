// Analysis throughput on real source records (not part of the test suite).
//   npm run build && node --single-threaded-gc test/analysis/bench-add.mjs /tmp/anperf/Master.csv [runs] [prefixDigits]
// Reads the file through its source into memory once, then times Aggregator.add over all records and
// finish() in CPU time (process.cpuUsage: the machine may be shared), best of `runs`.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Aggregator, finish } from '../../dist/analysis/index.js';
import { cpu, replayer, sourceOf } from './bench-util.mjs';

const [file, runsArg, pdArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: bench-add.mjs FILE [runs] [prefixDigits]');
  process.exit(2);
}
const runs = Number(runsArg ?? 5);
const prefixDigits = Number(pdArg ?? 0);
const make = sourceOf(file);
// In place: the source parsing the file (chunks already in memory) with the records going to the
// aggregator as they are made, against the same parse with the records dropped. The difference is what
// analysis adds to a run, with the garbage collector seeing records as the pipeline makes them.
const parse = await replayer(file);
let nRecords = 0;
let bestParse = Infinity;
let bestPipe = Infinity;
for (let i = 0; i < runs; i++) {
  const t0 = cpu();
  nRecords = 0;
  parse(() => nRecords++);
  const t1 = cpu();
  const a = new Aggregator({ prefixDigits });
  parse((r) => a.add(r));
  const t2 = cpu();
  bestParse = Math.min(bestParse, t1 - t0);
  bestPipe = Math.min(bestPipe, t2 - t1);
}
const records = [];
const sink = { record: (r) => records.push(r) };
const src = make(file, sink, {});
for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) src.push(chunk);
src.end();

const digest = (v) => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);
let bestAdd = Infinity;
let bestFinish = Infinity;
let agg;
let res;
for (let i = 0; i < runs; i++) {
  agg = new Aggregator({ prefixDigits });
  const t0 = cpu();
  for (let j = 0; j < records.length; j++) agg.add(records[j]);
  const t1 = cpu();
  res = finish(agg, { inputs: [], wire: { responses: {}, requests: {} }, options: { now: new Date(0) } });
  const t2 = cpu();
  bestAdd = Math.min(bestAdd, t1 - t0);
  bestFinish = Math.min(bestFinish, t2 - t1);
}
let buckets = 0;
for (const ra of agg.routes.values()) buckets += ra.buckets.size;
console.log(
  JSON.stringify({
    file,
    records: records.length,
    routes: agg.routes.size,
    buckets,
    addCpuS: +bestAdd.toFixed(3),
    nsPerRecord: Math.round((bestAdd * 1e9) / records.length),
    recordsPerS: Math.round(records.length / bestAdd),
    finishCpuS: +bestFinish.toFixed(3),
    parseCpuS: +bestParse.toFixed(3),
    parseAndAddCpuS: +bestPipe.toFixed(3),
    inPlaceNsPerRecord: Math.round(((bestPipe - bestParse) * 1e9) / nRecords),
    // Digests of the whole result and aggregate: equal before and after a change that must not alter them.
    result: digest(res),
    aggregate: digest(agg.toJSON()),
  }),
);
