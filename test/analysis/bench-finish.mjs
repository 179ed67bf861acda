// finish() on a large day (not part of the test suite): ROUTES routes x PER_ROUTE calls spread over one day.
//   npm run build && node --single-threaded-gc test/analysis/bench-finish.mjs [ROUTES=150] [PER_ROUTE=6000] [prefixDigits=0]
// CPU time of finish (best of 4) with the default bucket and with --bucket 5m.
import { Aggregator, finish } from '../../dist/analysis/index.js';
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const routes = Number(process.argv[2] ?? 150), perRoute = Number(process.argv[3] ?? 6000), pd = Number(process.argv[4] ?? 0);
const day0 = Date.UTC(2026, 0, 1);
const agg = new Aggregator({ prefixDigits: pd });
let seed = 1; const rnd = () => ((seed = Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296;
const codes = [200, 200, 200, 486, 480, 487, 404, 503, 408, 603, 302, 0];
for (let i = 0; i < routes * perRoute; i++) {
  const start = day0 + Math.floor(rnd() * 86400000);
  const code = codes[Math.floor(rnd() * codes.length)];
  const r = { callId: 'c' + i, route: 'r' + (i % routes), callee: '7' + String(Math.floor(rnd() * 1e10)), start, codeSource: 'disposition', flags: 0, source: { file: 'x', line: i } };
  if (code) r.finalCode = code;
  if (code === 200) { r.answer = start + 1000 + Math.floor(rnd() * 9000); r.end = r.answer + Math.floor(rnd() * 300000); r.duration = r.end - r.answer; }
  else r.end = start + Math.floor(rnd() * 20000);
  agg.add(r);
}
let t0 = cpu();

let b = 0; for (const ra of agg.routes.values()) b += ra.buckets.size;
for (const bucket of [undefined, '5m']) {
  let tFin = Infinity, res;
  for (let k = 0; k < 4; k++) { t0 = cpu(); res = finish(agg, { inputs: [], wire: { responses: {}, requests: {} }, options: { now: new Date(0), bucket } }); tFin = Math.min(tFin, cpu() - t0); }
  t0 = cpu(); const js = JSON.stringify(res); const tJs = cpu() - t0;
  console.log({ routes, records: agg.records, baseMin: agg.baseMs / 60000, bucketStats: b, bucket: res.bucketSec, finishS: +tFin.toFixed(3), seriesPoints: res.buckets.reduce((n, x) => n + x.series.length, 0), jsonMB: +(js.length / 1e6).toFixed(1), stringifyS: +tJs.toFixed(3) });
}
