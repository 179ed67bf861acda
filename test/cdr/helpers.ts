import { gunzipSync } from 'node:zlib';
import { createCdrSource, type CdrOptions } from '../../src/cdr/index.js';
import type { CallRecord, InputAccounting, SourceOptions } from '../../src/types.js';
import { FastSplitter, ReferenceSplitter, type Splitter } from '../../src/cdr/split.js';
import { fieldString, type Row } from '../../src/cdr/row.js';

export interface Run {
  records: CallRecord[];
  acc: InputAccounting;
}

/** Feeds bytes to a CDR source in chunks of `chunk` bytes (0 = all at once). */
export function runCdr(file: string, bytes: Uint8Array, opts: SourceOptions = {}, cdr: CdrOptions = {}, chunk = 0): Run {
  const records: CallRecord[] = [];
  const src = createCdrSource(file, { record: (r) => records.push(r) }, opts, cdr);
  const data = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  if (chunk <= 0) src.push(data);
  else for (let i = 0; i < data.length; i += chunk) src.push(data.subarray(i, Math.min(i + chunk, data.length)));
  src.end();
  return { records, acc: src.accounting };
}

export function reconciled(acc: InputAccounting): boolean {
  const ign = Object.values(acc.ignoredBy).reduce((a, b) => a + b, 0);
  const mal = Object.values(acc.anomalies).reduce((a, b) => a + b, 0);
  return acc.read === acc.used + acc.ignored + acc.malformed && ign === acc.ignored && mal === acc.malformed && acc.records === acc.used;
}

/** Per route: attempts, answered, codes. */
export function perRoute(records: CallRecord[]): Record<string, { attempts: number; answered: number; codes: Record<string, number> }> {
  const out: Record<string, { attempts: number; answered: number; codes: Record<string, number> }> = {};
  for (const r of records) {
    const e = (out[r.route] ??= { attempts: 0, answered: 0, codes: {} });
    e.attempts++;
    if (r.answer !== undefined) e.answered++;
    const k = String(r.finalCode ?? 0);
    e.codes[k] = (e.codes[k] ?? 0) + 1;
  }
  return out;
}

export type SplitOut = (string[] | string)[];

/**
 * Splits `input` with one splitter: each row as [`@line`, ...fields], each malformed record as `name@line`.
 * `width`: the file's usual column count (stray-quote detection); `chunk`: push in pieces of this size.
 */
export function splitRows(kind: 'fast' | 'ref', input: Buffer, o: { delim?: number; chunk?: number; width?: number } = {}): SplitOut {
  const { delim = 44, chunk = 0, width = Infinity } = o;
  const out: SplitOut = [];
  const h = {
    row(r: Row) {
      const f: string[] = [];
      for (let i = 0; i < r.n; i++) f.push(fieldString(r, i));
      out.push([`@${r.line}`, ...f]);
    },
    bad(line: number, _o: number, name: string) {
      out.push(`${name}@${line}`);
    },
  };
  const s: Splitter = kind === 'fast' ? new FastSplitter(delim, h, width) : new ReferenceSplitter(delim, h, false, width);
  if (chunk <= 0) s.push(input);
  else for (let i = 0; i < input.length; i += chunk) s.push(input.subarray(i, i + chunk));
  s.end();
  return out;
}

/**
 * The file through both splitters, whole and in 1-byte chunks: the same records and accounting (the reference
 * path's note aside); returns the fast run.
 */
export function bothPaths(file: string, bytes: Uint8Array, opts: SourceOptions = {}): Run {
  const fast = runCdr(file, bytes, opts);
  const notes = (n: string[]): string[] => n.map((x) => x.replace(', split by csv-parse (reference path)', ''));
  for (const r of [runCdr(file, bytes, opts, { path: 'reference' }), runCdr(file, bytes, opts, {}, 1)]) {
    if (JSON.stringify(r.records) !== JSON.stringify(fast.records)) throw new Error(`${file}: the paths give other records`);
    if (JSON.stringify({ ...r.acc, notes: notes(r.acc.notes) }) !== JSON.stringify({ ...fast.acc, notes: notes(fast.acc.notes) })) {
      throw new Error(`${file}: the paths give other accounting`);
    }
  }
  if (!reconciled(fast.acc)) throw new Error(`${file}: accounting does not reconcile`);
  return fast;
}
