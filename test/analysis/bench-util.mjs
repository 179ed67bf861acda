// Shared by the analysis benchmarks (bench-add.mjs, bench-ab.mjs): CPU time, and a file's source
// replayed from memory.
import { createReadStream } from 'node:fs';
import { createCdrSource } from '../../dist/cdr/index.js';
import { createAsteriskLogSource } from '../../dist/asterisk/index.js';
import { createCaptureSource } from '../../dist/sip/capture-source.js';

/** CPU seconds of this process (user + system): the machine may be shared. */
export function cpu() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** The source that reads `file` (by its extension). */
export function sourceOf(file) {
  return file.endsWith('.csv') ? createCdrSource : file.endsWith('.log') ? createAsteriskLogSource : createCaptureSource;
}

/**
 * Reads `file` into memory once; the returned function parses those chunks again with its source,
 * each record going to `record`.
 */
export async function replayer(file) {
  const make = sourceOf(file);
  const chunks = [];
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 16 })) chunks.push(chunk);
  return (record) => {
    const p = make(file, { record }, {});
    for (const c of chunks) p.push(c);
    p.end();
  };
}
