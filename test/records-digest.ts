/**
 * Digest of everything a source gives for a large input (not part of the test run), to compare two
 * versions of a reader before and after a change, on the benchmark's files or the corpus:
 *   npx vite-node test/records-digest.ts <file>… > after.txt   (and the same at the old commit)
 * The source is picked from the file's first bytes, as `analyze` picks it (plain files only). One line per
 * file and chunk size (two sizes, so that chunk boundaries fall in different places): records, SIP
 * messages, security events, then the accounting, hashed in order (SHA-256 of their JSON).
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { createAsteriskLogSource } from '../src/asterisk/index.js';
import { createCdrSource } from '../src/cdr/index.js';
import { SNIFF_BYTES } from '../src/input/open.js';
import { sniffKind } from '../src/input/sniff-kind.js';
import { createCaptureSource } from '../src/sip/capture-source.js';
import type { RecordSink, SourceOptions, SourceParser } from '../src/types.js';

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('usage: records-digest.ts <file>…');
const bytesAsBase64 = (_k: string, v: unknown): unknown => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v);
/** Logs without a year in their stamps get a fixed one, so that digests do not depend on today's date. */
const OPTS: SourceOptions = { year: 2023 };

function sourceFor(file: string, sink: RecordSink): SourceParser {
  const fd = openSync(file, 'r');
  const head = Buffer.allocUnsafe(SNIFF_BYTES);
  const n = readSync(fd, head, 0, SNIFF_BYTES, 0);
  closeSync(fd);
  const kind = sniffKind(head.subarray(0, n));
  if (kind === 'capture') return createCaptureSource(file, sink, OPTS);
  if (kind === 'asterisk-log') return createAsteriskLogSource(file, sink, OPTS);
  if (kind === 'cdr-csv') return createCdrSource(file, sink, OPTS);
  throw new Error(`${file}: not a capture, Asterisk log or CDR export (compressed files: decompress first)`);
}

for (const file of files) {
  for (const chunk of [256 * 1024, 65_537]) {
    const h = createHash('sha256');
    let items = 0;
    const add = (kind: string, x: unknown): void => {
      items++;
      h.update(kind + JSON.stringify(x, bytesAsBase64) + '\n');
    };
    const src = sourceFor(file, { record: (r) => add('R', r), message: (m) => add('M', m), security: (e) => add('S', e) });
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
