// Before/after of the capture path on a shared machine (not part of the test suite): one process loads two
// builds and alternates them over the same capture held in memory (1 MiB chunks), so that both see the
// same load. Each round is what `analyze` does with the file: the capture source with the lean scan, the
// call tracker, and records into an Aggregator and messages into the wire counts.
//   a build of the old commit in OLD/dist (`npx tsc -p tsconfig.build.json --outDir OLD/dist`); npm run build here;
//   node test/sip/bench-ab.mjs OLD/dist FILE [rounds=6]
// Prints, per build, the best and median CPU time of a round (process.cpuUsage: the collector's helper threads
// included) and the records made (they must be equal).
// The two builds share one heap, so garbage made by one is partly collected in the other's rounds: for a change
// about allocation, compare separate processes too (the tombstones kept as numbers and arrays: 4.5 % less CPU
// in separate processes on calls-sip.pcap, within the noise here).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cpu } from '../analysis/bench-util.mjs';

const [oldDist, file, roundsArg] = process.argv.slice(2);
if (!oldDist || !file) {
  console.error('usage: bench-ab.mjs OLD_DIST FILE [rounds]');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 6);
const load = async (dist) => {
  const at = (mod) => import(pathToFileURL(resolve(dist, mod)).href);
  const [{ createCaptureSource }, { Aggregator }, { WireCounter }, { aggregateSink }] = await Promise.all([
    at('sip/capture-source.js'),
    at('analysis/index.js'),
    at('sip/wire.js'),
    at('pipeline.js'),
  ]);
  return () => {
    const src = createCaptureSource(file, aggregateSink(new Aggregator({}), new WireCounter()), {});
    for (const c of chunks) src.push(c);
    src.end();
    return src.accounting.records;
  };
};
const whole = readFileSync(file);
const chunks = [];
for (let i = 0; i < whole.length; i += 1 << 20) chunks.push(whole.subarray(i, Math.min(i + (1 << 20), whole.length)));
const builds = { old: await load(oldDist), new: await load(new URL('../../dist/', import.meta.url).pathname) };
const times = { old: [], new: [] };
const records = {};
for (let i = 0; i < rounds; i++) {
  for (const k of i % 2 ? ['new', 'old'] : ['old', 'new']) {
    const t = cpu();
    records[k] = builds[k]();
    times[k].push(cpu() - t);
  }
}
for (const k of ['old', 'new']) {
  const s = [...times[k]].sort((a, b) => a - b);
  console.log(`${k}: best ${s[0].toFixed(3)} s, median ${s[s.length >> 1].toFixed(3)} s CPU a round; ${records[k]} records`);
}
