// Before/after of the analysis on a shared machine (not part of the test suite): one process loads two builds
// and alternates them over the same input, so that both see the same load.
//   git worktree or archive of the old commit built into OLD/dist; npm run build here; then
//   node --single-threaded-gc test/analysis/bench-ab.mjs OLD/dist FILE [rounds=6]
// Prints, per build, the best CPU time (process.cpuUsage) of Aggregator.add over the records held in memory,
// of the source parsing the file (from memory) with the records going to add (minus parsing alone: what a
// run pays), and of finish.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [oldDist, file, roundsArg] = process.argv.slice(2);
if (!oldDist || !file) {
  console.error('usage: bench-ab.mjs OLD_DIST FILE [rounds]');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 6);
const load = (dist, mod) => import(pathToFileURL(resolve(dist, mod)).href);
const builds = {
  old: await load(oldDist, 'analysis/index.js'),
  new: await load(new URL('../../dist/', import.meta.url).pathname, 'analysis/index.js'),
};
const { cpu, replayer } = await import('./bench-util.mjs');
const parse = await replayer(file);
const ctx = { inputs: [], wire: { responses: {}, requests: {} }, options: { now: new Date(0) } };
const best = { parse: Infinity };
for (const k of ['old', 'new']) best[k] = { add: Infinity, inPlace: Infinity, finish: Infinity };
// In place first, with no records held (a million records in memory change what the collector does).
let n = 0;
for (let i = 0; i < rounds; i++) {
  for (const k of i % 2 ? ['new', 'parse', 'old'] : ['old', 'parse', 'new']) {
    const agg = k === 'parse' ? undefined : new builds[k].Aggregator({});
    n = 0;
    const t0 = cpu();
    parse(agg ? (r) => agg.add(r) : () => n++);
    const t = cpu() - t0;
    if (agg) best[k].inPlace = Math.min(best[k].inPlace, t);
    else best.parse = Math.min(best.parse, t);
  }
}
const records = [];
parse((r) => records.push(r));
for (let i = 0; i < rounds; i++) {
  for (const k of i % 2 ? ['new', 'old'] : ['old', 'new']) {
    const M = builds[k];
    const agg = new M.Aggregator({});
    const t1 = cpu();
    for (let j = 0; j < records.length; j++) agg.add(records[j]);
    const t2 = cpu();
    M.finish(agg, ctx);
    best[k].add = Math.min(best[k].add, t2 - t1);
    best[k].finish = Math.min(best[k].finish, cpu() - t2);
  }
}
const ns = (s) => Math.round((s * 1e9) / records.length);
for (const k of ['old', 'new']) {
  const b = best[k];
  console.log(`${k}: add ${ns(b.add)} ns/record in memory, ${ns(b.inPlace - best.parse)} ns/record in place; finish ${(b.finish * 1000).toFixed(1)} ms`);
}
