/**
 * Throughput of the Asterisk log reader on a large file (not part of the test run):
 *   npx vite-node test/asterisk/bench.ts <file> [chunkBytes]
 * Prints lines/s, MB/s, records, and the peak RSS growth while reading.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createAsteriskLogSource } from '../../src/asterisk/index.js';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: bench.ts <file> [chunkBytes]');
const chunk = Number(process.argv[3] ?? 256 * 1024);
let records = 0;
let security = 0;
let messages = 0;
const src = createAsteriskLogSource(file, { record: () => records++, security: () => security++, message: () => messages++ }, { year: 2023 });
const rss0 = process.memoryUsage().rss;
let peak = rss0;
const t0 = process.hrtime.bigint();
// Synchronous reads into one reused buffer: what is measured is the parser, not stream plumbing.
const fd = openSync(file, 'r');
const buf = Buffer.allocUnsafe(chunk);
let n = 0;
let i = 0;
while ((n = readSync(fd, buf, 0, chunk, null)) > 0) {
  src.push(buf.subarray(0, n));
  if ((++i & 63) === 0) {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  }
}
closeSync(fd);
src.end();
const sec = Number(process.hrtime.bigint() - t0) / 1e9;
const a = src.accounting;
const mb = statSync(file).size / 1e6;
console.log(
  JSON.stringify({
    file,
    MB: +mb.toFixed(1),
    seconds: +sec.toFixed(2),
    MBps: +(mb / sec).toFixed(1),
    linesPerSec: Math.round(a.read / sec),
    lines: a.read,
    used: a.used,
    ignored: a.ignored,
    malformed: a.malformed,
    records,
    messages,
    security,
    peakRssGrowthMB: +((peak - rss0) / 1e6).toFixed(1),
  }),
);
