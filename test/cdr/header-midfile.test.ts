/**
 * Two exports joined with `cat`, the second with its columns in another order (audit 3B, finding 1): the header
 * further down is a header whatever its column order, and the rows under it are read by their own columns; the
 * note names its line. Before, a row was a header only when its start cell equalled the first header's start
 * name, and the rows under it were read with the first header's columns (codes swapped with causes, PDD with
 * durations; or every row `bad-date`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { CallRecord } from '../../src/types.js';
import { bothPaths, runCdr } from './helpers.js';
import { headerKind, headerNames } from '../../src/cdr/detect.js';

const read = (name: string): Buffer => readFileSync(new URL(`../../fixtures/cdr/${name}`, import.meta.url));

/** What a record says of the call (its position in the file aside). */
const call = (r: CallRecord): unknown => [r.callId, r.route, r.caller, r.callee, r.start, r.answer, r.end, r.finalCode, r.codeSource, r.q850, r.pdd, r.duration, r.finalReason];

/** The joined file's two parts, each read alone with its own header. */
function parts(joined: Buffer): CallRecord[] {
  const text = joined.toString('utf8');
  const at = text.indexOf('\n', text.indexOf('\n', 0) + 1);
  const second = text.search(/\n[^\n]*Call ID[^\n]*\n/);
  expect(second).toBeGreaterThan(at);
  return [...runCdr('a.csv', Buffer.from(text.slice(0, second + 1))).records, ...runCdr('b.csv', Buffer.from(text.slice(second + 1))).records];
}

describe('a header further down with another column order', () => {
  for (const name of ['twoheaders-swap.csv', 'twoheaders-reorder.csv']) {
    test(`${name}: the rows under it are read by its own columns`, () => {
      const bytes = read(name);
      const run = bothPaths(name, bytes);
      expect(run.records.map(call)).toEqual(parts(bytes).map(call));
      expect(run.acc.ignoredBy).toEqual({ header: 2 });
      expect(run.acc.malformed).toBe(0);
      expect(run.records.filter((r) => r.finalCode === 486).length).toBe(8);
      expect(run.records.every((r) => r.codeSource === 'sip')).toBe(true);
      expect(run.acc.notes.some((n) => n.startsWith('header at line 14 differs from the header at line 1: the rows under it are read by its own columns (start ← Setup Time'))).toBe(true);
    });
  }

  test('the same header again is ignored as before (no note), and a third export switches back', () => {
    const text = read('twoheaders-reorder.csv').toString('utf8');
    const lines = text.split('\n');
    const same = [...lines.slice(0, 13), lines[0], ...lines.slice(1, 13), ''].join('\n');
    const run = bothPaths('same.csv', Buffer.from(same));
    expect(run.acc.ignoredBy).toEqual({ header: 2, 'duplicate-row': 12 });
    expect(run.acc.notes.some((n) => n.startsWith('header at line'))).toBe(false);
    // A, C, A: the third part is read by the first header again.
    const back = `${text}${lines.slice(0, 13).join('\n').replace(/@10\.0\.0\.1/g, '@10.0.0.9')}\n`;
    const three = bothPaths('three.csv', Buffer.from(back));
    expect(three.acc.ignoredBy).toEqual({ header: 3 });
    expect(three.acc.malformed).toBe(0);
    expect(three.records.length).toBe(36);
    expect(three.acc.notes.filter((n) => n.startsWith('header at line')).length).toBe(2);
  });

  test('--map by name follows the column under the new header; a map the new header cannot honour is noted with its line', () => {
    const bytes = read('twoheaders-reorder.csv');
    const run = bothPaths('m.csv', bytes, { columnMap: { route: 'DNIS' } });
    expect(run.records.length).toBe(24);
    expect(run.records.every((r) => r.route === r.callee && r.route.startsWith('7495'))).toBe(true);
    const text = bytes.toString('utf8').replace('Setup Time,Call ID,Vendor,DNIS', 'Setup Time,Call ID,Vendor,Number');
    const gone = runCdr('g.csv', Buffer.from(text), { columnMap: { route: 'DNIS' } });
    const said = /^header at line 14: --map route=DNIS: no such column in the header \(Setup Time, Call ID, Vendor, Number/;
    expect(gone.acc.notes).toContainEqual(expect.stringMatching(said));
    // The first header honoured it: as for two files of one run, the part without the column is a note, not a
    // nightly stderr line (re-audit N6); with no part that has it, it is said, once.
    expect(gone.acc.alerts).toBeUndefined();
    const none = runCdr('n.csv', Buffer.from(text), { columnMap: { route: 'Number' } });
    expect(none.acc.alerts).toBeUndefined();
    const neither = runCdr('x.csv', Buffer.from(text), { columnMap: { route: 'Nope' } });
    expect(neither.acc.alerts).toEqual([expect.stringMatching(/^--map route=Nope: no such column in the header \(Call ID, Setup Time,/)]);
    expect(neither.acc.notes.filter((n) => n.includes('--map route=Nope')).length).toBe(2);
  });

  test('a header further down with no start column: its rows are unknown-layout, said once in the notes and on stderr', () => {
    const text = read('twoheaders-reorder.csv').toString('utf8').replace('Setup Time,Call ID', 'When,Call ID');
    const run = bothPaths('n.csv', Buffer.from(text));
    expect(run.acc.anomalies).toEqual({ 'unknown-layout': 12 });
    // One note for the switch (before, applyMap's "no start/setup time column found" repeated it: re-audit N5).
    expect(run.acc.notes.filter((n) => n.includes('header at line 14') && n.includes('start'))).toEqual([
      expect.stringMatching(/^header at line 14 differs from the header at line 1: the rows under it are read by its own columns \(.*\); it has no start time column, so its rows are malformed \(unknown-layout\): use --map start=COLUMN$/),
      'header at line 14 differs from the header at line 1 and has no start time column: none of the 12 rows under it could be read (unknown-layout 12); use --map start=COLUMN',
    ]);
    // Every row under it lost: said on stderr (re-audit N4: exit 0 and nothing said before).
    expect(run.acc.alerts).toEqual(['header at line 14 differs from the header at line 1 and has no start time column: none of the 12 rows under it could be read (unknown-layout 12); use --map start=COLUMN']);
  });

  test('a sparse row of a few names is no header: it is the one malformed row, and the rows after it keep the layout (re-audit N4)', () => {
    const lines = read('twoheaders-swap.csv').toString('utf8').split('\n').slice(0, 13);
    const data = lines.slice(1);
    // The re-audit's sparse.csv row (no start time, three cells that are alias names), and a compact one.
    for (const [odd, anomaly] of [
      ['x,,,,Caller,Destination,Vendor,,,,,', 'missing-date'],
      [',,,,Caller,Destination,Vendor', 'too-few-columns'],
      ['Caller,Destination,Vendor', 'too-few-columns'],
      ['x,y,z,w,Caller,Destination,Vendor,a,b,c,d,e', 'bad-date'],
    ] as const) {
      const text = [...lines, odd, ...data.map((l) => l.replace(/@10\.0\.0\.1/, '@10.0.0.2')), ''].join('\n');
      const run = bothPaths('sparse.csv', Buffer.from(text));
      expect(run.records.length, odd).toBe(24);
      expect(run.acc.anomalies, odd).toEqual({ [anomaly]: 1 });
      expect(run.acc.ignoredBy, odd).toEqual({ header: 1 });
      expect(run.acc.alerts, odd).toBeUndefined();
    }
  });

  test('a "header" with a start column under which no row reads is said on stderr', () => {
    const lines = read('twoheaders-swap.csv').toString('utf8').split('\n');
    // A header whose start column is where the rows have their call id: every row under it is bad-date.
    const text = [...lines.slice(0, 13), 'Start,Vendor,Code,Billsec,Caller', ...lines.slice(14)].join('\n');
    const run = bothPaths('h.csv', Buffer.from(text));
    expect(run.acc.anomalies).toEqual({ 'bad-date': 12 });
    expect(run.acc.alerts).toEqual(['header at line 14 differs from the header at line 1: none of the 12 rows under it could be read by its columns (bad-date 12)']);
  });

  test('many headers further down: the first three spelled out in the notes, the others counted (re-audit N5)', () => {
    const a = read('twoheaders-swap.csv').toString('utf8').split('\n');
    const parts: string[] = [];
    // 20 exports joined, their two column orders alternating (the re-audit's alt.csv had 10,000).
    for (let k = 0; k < 20; k++) parts.push(...(k % 2 ? a.slice(13, 15) : a.slice(0, 2)).map((l) => l.replace(/@10\.0\.0\.1/, `@10.0.${k}.1`)));
    const run = bothPaths('alt.csv', Buffer.from(`${parts.join('\n')}\n`));
    expect(run.records.length).toBe(20);
    expect(run.acc.malformed).toBe(0);
    expect(run.acc.ignoredBy).toEqual({ header: 20 });
    const said = run.acc.notes.filter((n) => n.startsWith('header at') || n.includes('more headers'));
    expect(said.map((n) => n.slice(0, 51))).toEqual([
      'header at line 3 differs from the header at line 1:',
      'header at line 5 differs from the header at line 3:',
      'header at line 7 differs from the header at line 5:',
      '16 more headers further down with other columns tha',
    ]);
    expect(said[3]).toBe('16 more headers further down with other columns than the one above each (lines 9, 11, 13, …): the rows under each are read by its own columns');
    expect(run.acc.notes.length).toBeLessThan(12);
  });

  test('a data row with no date is still a bad-date, not a header', () => {
    const text = read('twoheaders-swap.csv').toString('utf8').split('\n').slice(0, 13);
    text.push('x1@10.0.0.1,yesterday,,,4420,7495,vendor-a,486,Busy Here,17,0,1500', '');
    const run = bothPaths('d.csv', Buffer.from(text.join('\n')));
    expect(run.acc.anomalies).toEqual({ 'bad-date': 1 });
    expect(run.acc.ignoredBy).toEqual({ header: 1 });
  });
});

describe('headerKind on a row that is no header gives up early (every unreadable row of a file asks it)', () => {
  test('a 20-cell data row is looked at only about half-way, and a real header whole', () => {
    const names = headerNames(['Start Time', 'Caller', 'Callee', 'Vendor', 'SIP Code', 'Billsec', ...Array.from({ length: 14 }, (_, i) => `Extra${i}`)]);
    const asked = new Set<number>();
    const data = ['7001', '8001', 'v1', '200', '60', ...Array.from({ length: 15 }, () => 'x')];
    expect(headerKind((i) => (asked.add(i), data[i]!), data.length, names)).toBeUndefined();
    expect(asked.size).toBeLessThanOrEqual(12);
    const header = ['Caller', 'Start Time', 'Vendor', 'Callee', 'SIP Code', 'Billsec'];
    expect(headerKind((i) => header[i]!, header.length, names)).toBe('other');
  });
});
