import { createCaptureSource } from '../../src/sip/capture-source.js';
import type { CallRecord, InputAccounting } from '../../src/types.js';

/** Reads capture pieces as one chain (continueWith between them), named p0, p1…: its records and each piece's accounting. */
export function readPieces(pieces: Uint8Array[]): { records: CallRecord[]; accounts: InputAccounting[] } {
  const records: CallRecord[] = [];
  const src = createCaptureSource('p0', { record: (r) => records.push(r) }, {});
  const accounts = [src.accounting];
  pieces.forEach((p, k) => {
    if (k > 0) {
      src.continueWith(`p${k}`);
      accounts.push(src.accounting);
    }
    src.push(p);
  });
  src.end();
  return { records, accounts };
}
