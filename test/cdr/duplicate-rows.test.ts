/**
 * Rows written twice: a row with the same bytes as one of the last RECENT_ROWS records' rows (line end aside)
 * is one call, ignored as `duplicate-row` with a note; rows that share a call id but differ stay. Every row
 * stays accounted for, on every path and chunking.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { RECENT_ROWS } from '../../src/cdr/dedupe.js';
import { Prng } from '../../src/gen/prng.js';
import { FastSplitter, ReferenceSplitter, type Splitter } from '../../src/cdr/split.js';
import type { Row } from '../../src/cdr/row.js';
import { reconciled, runCdr, type Run } from './helpers.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus/cdr/', import.meta.url));

/** A FreeSWITCH mod_cdr_csv row (no header): call i, at second s, hangup cause c, uuid u. */
function fs(i: number, opts: { s?: number; cause?: string; uuid?: string; billsec?: number } = {}): string {
  const s = opts.s ?? i % 60;
  const t = `2020/2/11 11:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  const uuid = opts.uuid ?? `7adced1a-4c7c-11ea-b08c-${String(i).padStart(12, '0')}`;
  return `Outbound Call,1004,${5550000 + i},default,${t},${t},${t},31,${opts.billsec ?? 20},${opts.cause ?? 'NORMAL_CLEARING'},${uuid},,1004,PCMU,PCMU`;
}

function dupNote(run: Run): string | undefined {
  return run.acc.notes.find((n) => n.includes('duplicate-row'));
}

/** Every way of reading: whole, 1-byte and odd chunks, the reference path; all must agree. */
function allPaths(file: string, bytes: Buffer): Run {
  const whole = runCdr(file, bytes);
  expect(reconciled(whole.acc)).toBe(true);
  for (const chunk of [1, 7, 4093]) {
    const r = runCdr(file, bytes, {}, {}, chunk);
    expect(r.records).toEqual(whole.records);
    expect(r.acc).toEqual(whole.acc);
  }
  const ref = runCdr(file, bytes, {}, { path: 'reference' });
  expect(ref.records).toEqual(whole.records);
  expect(ref.acc.ignoredBy).toEqual(whole.acc.ignoredBy);
  expect(ref.acc.anomalies).toEqual(whole.acc.anomalies);
  expect(dupNote(ref)).toEqual(dupNote(whole));
  return whole;
}

describe('rows written twice', () => {
  test.skipIf(!existsSync(corpus))('corpus: the FreeSWITCH export that wrote one call twice (audit repro)', () => {
    const f = 'Kxingyunliushui__freeswitch_tools__Master.csv';
    const run = allPaths(f, readFileSync(corpus + f));
    expect(run.acc.read).toBe(10);
    expect(run.acc.used).toBe(9);
    expect(run.acc.ignoredBy).toEqual({ 'duplicate-row': 1 });
    expect(dupNote(run)).toBe(
      '1 row repeats an earlier row byte for byte (the same call written twice): ignored as duplicate-row, first at line 9 (a copy of line 8); rows are compared with the last 1,024 records',
    );
    // The third row of that uuid ends in USER_BUSY: another row, kept.
    expect(run.records.filter((r) => r.callId === '7adced1a-4c7c-11ea-b08c-2bfc2a06d67d').length).toBe(2);
  });

  test('a repeated row is ignored; rows that share a uuid but differ in a byte stay', () => {
    const rows = [fs(1), fs(2), fs(2), fs(3), fs(2, { cause: 'USER_BUSY' }), fs(2, { billsec: 21 }), fs(4), fs(2), fs(1)];
    const run = allPaths('fs.csv', Buffer.from(rows.join('\n') + '\n'));
    expect(run.acc.read).toBe(9);
    expect(run.acc.used).toBe(6);
    expect(run.acc.ignored).toBe(3);
    expect(run.acc.ignoredBy).toEqual({ 'duplicate-row': 3 });
    expect(run.records.map((r) => r.source!.line)).toEqual([1, 2, 4, 5, 6, 7]);
    expect(dupNote(run)).toMatch(/^3 rows repeat an earlier row byte for byte \(the same call written twice\): ignored as duplicate-row, first at line 3 \(a copy of line 2\)/);
  });

  test('the line end does not count: LF, CRLF, and a last row with none', () => {
    const text = `${fs(1)}\r\n${fs(2)}\n${fs(1)}\n${fs(2)}\r\n${fs(1)}`;
    const run = allPaths('fs.csv', Buffer.from(text));
    expect(run.acc.used).toBe(2);
    expect(run.acc.ignoredBy).toEqual({ 'duplicate-row': 3 });
  });

  test('a BOM is not part of the first row: its copy is found on every path; UTF-16 exports too', () => {
    const text = `${fs(1)}\n${fs(2)}\n${fs(1)}\r\n${fs(2)}`;
    const run = allPaths('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    expect(run.acc.ignoredBy).toEqual({ 'duplicate-row': 2 });
    expect(dupNote(run)).toContain('first at line 3 (a copy of line 1)');
    for (const chunk of [0, 1, 5]) {
      const u16 = runCdr('bom.csv', Buffer.from(`\ufeff${text}`, 'utf16le'), {}, {}, chunk);
      expect(u16.records).toEqual(run.records);
      expect(u16.acc.ignoredBy).toEqual({ 'duplicate-row': 2 });
    }
  });

  test('Master.csv forked legs (one uniqueid, other dstchannels) stay; a repeated leg does not', () => {
    const leg = (ch: string): string =>
      `"","1001","5551","from-internal","""A"" <1001>","PJSIP/1001-00000001","${ch}","Dial","PJSIP/alpha&PJSIP/beta","2024-03-05 10:00:00","","2024-03-05 10:00:20",20,0,"NO ANSWER","DOCUMENTATION","1709632800.1",""`;
    const text = [leg('PJSIP/alpha-00000002'), leg('PJSIP/beta-00000003'), leg('PJSIP/alpha-00000004'), leg('PJSIP/beta-00000003')].join('\n');
    const run = allPaths('Master.csv', Buffer.from(text));
    expect(run.records.map((r) => r.route)).toEqual(['alpha', 'beta', 'alpha']);
    expect(run.acc.ignoredBy).toEqual({ 'duplicate-row': 1 });
  });

  test('header, blank, comment and malformed rows are not records: their repeats are counted as before', () => {
    const text = ['start,vendor,caller,billsec', '2024-03-05 10:00:00,alpha,1001,x', '2024-03-05 10:00:00,alpha,1001,x', '', '', '# c', '# c', 'start,vendor,caller,billsec', 'bad,alpha,1,1', 'bad,alpha,1,1', '2024-03-05 10:00:00,alpha,1001,5', '2024-03-05 10:00:00,alpha,1001,5'].join('\n');
    const run = allPaths('c.csv', Buffer.from(text));
    expect(run.acc.anomalies).toEqual({ 'bad-number': 2, 'bad-date': 2 });
    expect(run.acc.ignoredBy).toEqual({ header: 2, blank: 2, comment: 2, 'duplicate-row': 1 });
    expect(run.acc.used).toBe(1);
    // A malformed row is not remembered: a good row with its bytes is not a copy of it.
    expect(dupNote(run)).toContain('first at line 12 (a copy of line 11)');
  });

  test(`bounded: a copy within the last ${RECENT_ROWS} records is found, one further back is not`, () => {
    const rows: string[] = [];
    for (let i = 0; i < 3000; i++) rows.push(fs(i));
    rows.push(fs(2999 - (RECENT_ROWS - 1))); // the oldest record still compared with
    rows.push(fs(2999 - RECENT_ROWS - 10)); // one further back: counted again
    const run = allPaths('fs.csv', Buffer.from(rows.join('\n')));
    expect(run.acc.ignoredBy).toEqual({ 'duplicate-row': 1 });
    expect(run.acc.used).toBe(3001);
    expect(dupNote(run)).toContain(`first at line 3001 (a copy of line ${3000 - RECENT_ROWS + 1})`);
  });

  test('rows alike in length and times (a burst at one second) are told apart by their bytes', () => {
    // Same length, same times; they differ in one digit of the callee, which the bytes' key does not read.
    const rows: string[] = [];
    for (let i = 0; i < 40; i++) rows.push(fs(0, { uuid: 'same-uuid-0000000000000000000000000' }).replace('5550000', `55500${String(i).padStart(2, '0')}`));
    rows.push(rows[17], rows[3], rows[39]);
    const run = allPaths('burst.csv', Buffer.from(rows.join('\n')));
    expect(run.acc.used).toBe(40);
    expect(run.acc.ignoredBy).toEqual({ 'duplicate-row': 3 });
    expect(dupNote(run)).toContain('first at line 41 (a copy of line 18)');
  });

  test('fuzz: the ignored rows are exactly the repeats of one of the last records, whatever the chunking', () => {
    const rnd = new Prng(99);
    for (let k = 0; k < 40; k++) {
      const rows: string[] = [];
      const n = rnd.int(50, 2500);
      for (let i = 0; i < n; i++) {
        if (rows.length > 0 && rnd.chance(0.08)) {
          // A copy of a row at most 1,500 rows back (some beyond the memory), or a row with a longer field.
          rows.push(rows[rows.length - 1 - Math.min(rows.length - 1, Math.floor(rnd.next() ** 3 * 1500))]);
        } else rows.push(fs(rnd.int(0, 400), { s: rnd.int(0, 59), cause: rnd.pick(['NORMAL_CLEARING', 'USER_BUSY']), billsec: rnd.pick([0, 20, 1234567]) }));
      }
      // The expected count: a row is ignored when it equals one of the last RECENT_ROWS records.
      const recent: string[] = [];
      let ignored = 0;
      for (const r of rows) {
        if (recent.includes(r)) ignored++;
        else {
          recent.push(r);
          if (recent.length > RECENT_ROWS) recent.shift();
        }
      }
      const bytes = Buffer.from(rows.join(rnd.pick(['\n', '\r\n'])));
      const run = runCdr('fuzz.csv', bytes);
      expect(run.acc.ignoredBy['duplicate-row'] ?? 0).toBe(ignored);
      expect(reconciled(run.acc)).toBe(true);
      const chunked = runCdr('fuzz.csv', bytes, {}, {}, rnd.int(1, 70_000));
      expect(chunked.records).toEqual(run.records);
      expect(chunked.acc).toEqual(run.acc);
      const ref = runCdr('fuzz.csv', bytes, {}, { path: 'reference' }, rnd.pick([0, 5000]));
      expect(ref.records).toEqual(run.records);
    }
  });

  test('fuzz: both splitters give each row the same bytes as written (Row.rb[rs..re), line end aside) and offset', () => {
    const rnd = new Prng(4242);
    const alphabet = ['a', 'b', ',', ',', '"', '"', '\n', '\r\n', '\r', ' ', 'é', '1', 'x'.repeat(20)];
    const rows = (kind: 'fast' | 'ref', input: Buffer, chunk: number): string[] => {
      const out: string[] = [];
      const h = {
        row(r: Row) {
          out.push(`@${r.line}+${r.ro}:${r.rb.toString('latin1', r.rs, r.re)}`);
        },
        bad(line: number, _o: number, name: string) {
          out.push(`${name}@${line}`);
        },
      };
      const sp: Splitter = kind === 'fast' ? new FastSplitter(44, h) : new ReferenceSplitter(44, h, true);
      if (chunk <= 0) sp.push(input);
      else for (let i = 0; i < input.length; i += chunk) sp.push(input.subarray(i, i + chunk));
      sp.end();
      return out;
    };
    for (let k = 0; k < 2000; k++) {
      let text = '';
      const n = Math.floor(rnd.next() * 60);
      for (let i = 0; i < n; i++) text += alphabet[Math.floor(rnd.next() * alphabet.length)];
      const input = Buffer.from(text, 'utf8');
      const fast = rows('fast', input, 0);
      // What a row's bytes are: the record as written, without its LF or CRLF.
      for (const r of fast) if (r.startsWith('@')) expect(r.endsWith('\n')).toBe(false);
      expect(rows('ref', input, 0), JSON.stringify(text)).toEqual(fast);
      expect(rows('fast', input, 1), JSON.stringify(text)).toEqual(fast);
      expect(rows('ref', input, 1), JSON.stringify(text)).toEqual(fast);
    }
  });
});
