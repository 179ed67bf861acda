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

  test('--map by name follows the column under the new header; a map the new header cannot honour is said with its line', () => {
    const bytes = read('twoheaders-reorder.csv');
    const run = bothPaths('m.csv', bytes, { columnMap: { route: 'DNIS' } });
    expect(run.records.length).toBe(24);
    expect(run.records.every((r) => r.route === r.callee && r.route.startsWith('7495'))).toBe(true);
    const text = bytes.toString('utf8').replace('Setup Time,Call ID,Vendor,DNIS', 'Setup Time,Call ID,Vendor,Number');
    const gone = runCdr('g.csv', Buffer.from(text), { columnMap: { route: 'DNIS' } });
    expect(gone.acc.alerts).toEqual([expect.stringMatching(/^header at line 14: --map route=DNIS: no such column in the header \(Setup Time, Call ID, Vendor, Number/)]);
  });

  test('a header further down with no start column: its rows are unknown-layout, and the note says why', () => {
    const text = read('twoheaders-reorder.csv').toString('utf8').replace('Setup Time,Call ID', 'When,Call ID');
    const run = bothPaths('n.csv', Buffer.from(text));
    expect(run.acc.anomalies).toEqual({ 'unknown-layout': 12 });
    expect(run.acc.notes.some((n) => n.includes('header at line 14') && n.includes('no start time column'))).toBe(true);
  });

  test('a data row with no date is still a bad-date, not a header', () => {
    const text = read('twoheaders-swap.csv').toString('utf8').split('\n').slice(0, 13);
    text.push('x1@10.0.0.1,yesterday,,,4420,7495,vendor-a,486,Busy Here,17,0,1500', '');
    const run = bothPaths('d.csv', Buffer.from(text.join('\n')));
    expect(run.acc.anomalies).toEqual({ 'bad-date': 1 });
    expect(run.acc.ignoredBy).toEqual({ header: 1 });
  });
});
