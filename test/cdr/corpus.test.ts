import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { isCdrCsv } from '../../src/cdr/index.js';
import { reconciled, runCdr } from './helpers.js';

const dir = fileURLToPath(new URL('../../../shared/corpus/cdr/', import.meta.url));

describe.skipIf(!existsSync(dir))('CDR corpus (needs ../shared/corpus)', () => {
  const files = existsSync(dir) ? readdirSync(dir).sort() : [];

  test('the corpus has files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const f of files) {
    test(`${f}: read with accounting reconciled; fast = reference = 1-byte chunks`, () => {
      const bytes = readFileSync(dir + f);
      expect(isCdrCsv(bytes.subarray(0, 65536))).toBe(true);
      const fast = runCdr(f, bytes);
      expect(reconciled(fast.acc)).toBe(true);
      expect(fast.acc.bytes).toBe(bytes.length);
      expect(fast.acc.used).toBeGreaterThan(0);
      expect(fast.acc.notes.some((n) => n.startsWith('format: ') && !n.includes('unknown'))).toBe(true);
      const ref = runCdr(f, bytes, {}, { path: 'reference' });
      expect(ref.records).toEqual(fast.records);
      expect(ref.acc.anomalies).toEqual(fast.acc.anomalies);
      expect(ref.acc.ignoredBy).toEqual(fast.acc.ignoredBy);
      const one = runCdr(f, bytes, {}, {}, 1);
      expect(one.records).toEqual(fast.records);
      expect(one.acc).toEqual(fast.acc);
      const odd = runCdr(f, bytes, {}, {}, 4093);
      expect(odd.records).toEqual(fast.records);
    });
  }

  test('srinimonster export: per-trunk attempts and answers match an independent count', () => {
    const f = 'srinimonster__voipreports1__cdr.anonymized.csv';
    const bytes = readFileSync(dir + f);
    // Independent count with csv-parse: the peer of a PJSIP dstchannel (the trunk the leg dialled; the trunk
    // column holds the call's last trunk on every failover leg), else the trunk column, else the dstchannel
    // peer (Local/… included); answered = disposition ANSWERED.
    const rows: string[][] = parse(bytes, { relax_quotes: true, relax_column_count: true, bom: true });
    const h = rows[0];
    const iTrunk = h.indexOf('trunk');
    const iChan = h.indexOf('dstchannel');
    const iDisp = h.indexOf('disposition');
    const want: Record<string, [number, number, Record<string, number>]> = {};
    let disagree = 0;
    for (const r of rows.slice(1)) {
      const ch = r[iChan];
      const peer = ch === 'NULL' || ch === '' ? undefined : ch.slice(ch.indexOf('/') + 1, ch.lastIndexOf('-'));
      let route = r[iTrunk];
      if (route === 'NULL' || route === '') route = peer ?? 'unknown';
      else if (ch.startsWith('PJSIP/') && peer !== route) {
        route = peer!;
        disagree++;
      }
      const e = (want[route] ??= [0, 0, {}]);
      e[0]++;
      if (r[iDisp] === 'ANSWERED') e[1]++;
      e[2][r[iDisp]] = (e[2][r[iDisp]] ?? 0) + 1;
    }
    const { records, acc } = runCdr(f, bytes);
    const got: Record<string, [number, number, Record<string, number>]> = {};
    for (const r of records) {
      const e = (got[r.route] ??= [0, 0, {}]);
      e[0]++;
      if (r.answer !== undefined) e[1]++;
      e[2][r.disposition ?? '?'] = (e[2][r.disposition ?? '?'] ?? 0) + 1;
    }
    for (const trunk of ['VIOrig', 'VITerm', 'thinQ', 'Bandwidth', 'IDT']) {
      expect(got[trunk]).toBeDefined();
      expect(got[trunk]).toEqual(want[trunk]);
    }
    // The real numbers, written down so that a change in either count shows. By the trunk column they were
    // VIOrig 53/47, VITerm 65/20, thinQ 75/51, Bandwidth 18/0 (9 FAILED legs that dialled VITerm), IDT 11/5.
    const attemptsAnswered = Object.fromEntries(['VIOrig', 'VITerm', 'thinQ', 'Bandwidth', 'IDT'].map((t) => [t, got[t].slice(0, 2)]));
    expect(attemptsAnswered).toEqual({ VIOrig: [65, 47], VITerm: [42, 20], thinQ: [92, 51], Bandwidth: [9, 0], IDT: [14, 5] });
    expect(got.Bandwidth[2]).toEqual({ 'NO ANSWER': 9 });
    expect(disagree).toBe(55);
    expect(acc.notes.find((n) => n.includes('disagrees'))).toMatch(/^55 rows: the trunk column "trunk" disagrees with the channel the leg dialled \(dstchannel\), first at line 7 \("VITerm", dstchannel "PJSIP\/VIOrig-00000008"\)/);
    expect(records.length).toBe(rows.length - 1);
    // The malformed clid quoting is relaxed, not dropped: every row has its 26 columns' worth of meaning.
    expect(records.every((r) => r.start > Date.UTC(2018, 0, 1))).toBe(true);
  });
});
