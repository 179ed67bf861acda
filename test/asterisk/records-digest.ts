/**
 * Digest of everything the reader gives for large logs (not part of the test run), to compare two versions
 * of the reader on the benchmark's full log before and after a change:
 *   npx vite-node test/asterisk/records-digest.ts <file>… > after.txt   (and the same at the old commit)
 * One line per file and chunking: records, SIP messages, security events and the accounting, hashed in order.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { createAsteriskLogSource } from '../../src/asterisk/index.js';

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('usage: records-digest.ts <file>…');
const bytesAsBase64 = (_k: string, v: unknown): unknown => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v);

for (const file of files) {
  for (const chunk of [256 * 1024, 65_537]) {
    const h = createHash('sha256');
    let items = 0;
    const add = (kind: string, x: unknown): void => {
      items++;
      h.update(kind + JSON.stringify(x, bytesAsBase64) + '\n');
    };
    const src = createAsteriskLogSource(file, { record: (r) => add('R', r), message: (m) => add('M', m), security: (e) => add('S', e) }, { year: 2023 });
    const fd = openSync(file, 'r');
    const buf = Buffer.allocUnsafe(chunk);
    let n = 0;
    while ((n = readSync(fd, buf, 0, chunk, null)) > 0) src.push(buf.subarray(0, n));
    closeSync(fd);
    src.end();
    add('A', src.accounting);
    console.log(`${file} chunk=${chunk} items=${items} ${h.digest('hex').slice(0, 16)}`);
  }
}
