/**
 * Digest of every record and the accounting the CDR source gives for large files (not part of the test run),
 * to prove a change to the fast path leaves the records as they were:
 *   npx vite-node test/cdr/records-digest.ts /tmp/benchdir/carrier.csv /tmp/benchdir/Master.csv
 * One line per file and chunk size: records, then the accounting, hashed in order (SHA-256 of the JSON).
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { createCdrSource } from '../../src/cdr/index.js';

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('usage: records-digest.ts <file>…');

for (const file of files) {
  for (const chunk of [256 * 1024, 65_537]) {
    const h = createHash('sha256');
    let records = 0;
    const src = createCdrSource(file, {
      record: (r) => {
        records++;
        h.update(JSON.stringify(r) + '\n');
      },
    });
    const fd = openSync(file, 'r');
    const buf = Buffer.allocUnsafe(chunk);
    let n = 0;
    while ((n = readSync(fd, buf, 0, chunk, null)) > 0) src.push(buf.subarray(0, n));
    closeSync(fd);
    src.end();
    h.update('A' + JSON.stringify(src.accounting) + '\n');
    console.log(`${file} chunk=${chunk} records=${records} ${h.digest('hex')}`);
  }
}
