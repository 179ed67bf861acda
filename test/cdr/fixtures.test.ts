import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { isCdrCsv } from '../../src/cdr/index.js';
import type { SourceOptions } from '../../src/types.js';
import { perRoute, reconciled, runCdr } from './helpers.js';

const dir = new URL('../../fixtures/cdr/', import.meta.url);
const read = (name: string): Buffer => readFileSync(new URL(name, dir));

/** The scenario every fixture renders: alpha 2 answered (30 s, 45 s) + 1 busy; beta 1 no answer + 1 congestion. */
const SCENARIO = {
  alpha: { attempts: 3, answered: 2, codes: { '200': 2, '486': 1 } },
  beta: { attempts: 2, answered: 0, codes: { '480': 1, '503': 1 } },
};
const T0 = Date.UTC(2024, 2, 15, 10, 0, 0);

/**
 * freepbx.csv's failover leg dialled the channel PJSIP/gw-backup-00000009 while its trunk column says alpha:
 * the channel's peer is the leg's route (docs/cdr.md, "Route").
 */
const FREEPBX_SCENARIO = {
  alpha: { attempts: 2, answered: 2, codes: { '200': 2 } },
  beta: SCENARIO.beta,
  'gw-backup': { attempts: 1, answered: 0, codes: { '486': 1 } },
};

const CASES: { file: string; opts?: SourceOptions; format: string; codeSource: string; scenario?: typeof FREEPBX_SCENARIO; failover?: string }[] = [
  { file: 'master17.csv', format: 'asterisk-cdr-csv', codeSource: 'disposition' },
  { file: 'master18.csv', format: 'asterisk-cdr-csv', codeSource: 'disposition' },
  { file: 'master21.csv', format: 'asterisk-cdr-csv', codeSource: 'disposition' },
  { file: 'master21.csv.gz', format: 'asterisk-cdr-csv', codeSource: 'disposition' },
  { file: 'freepbx.csv', format: 'header', codeSource: 'disposition', scenario: FREEPBX_SCENARIO, failover: 'gw-backup' },
  { file: 'freeswitch.csv', opts: { columnMap: { route: 'accountcode' } }, format: 'freeswitch-cdr-csv', codeSource: 'hangup-cause' },
  { file: 'carrier.csv', format: 'header', codeSource: 'sip' },
];

describe('CDR fixtures: the alpha/beta scenario', () => {
  for (const c of CASES) {
    test(`${c.file}: exact attempts, answers and codes per route`, () => {
      const { records, acc } = runCdr(c.file, read(c.file), c.opts);
      expect(reconciled(acc)).toBe(true);
      expect(acc.malformed).toBe(0);
      expect(acc.notes[0]).toContain(`format: ${c.format}`);
      expect(perRoute(records)).toEqual(c.scenario ?? SCENARIO);
      // Talk times, start times and the code source.
      const answered = records.filter((r) => r.answer !== undefined);
      expect(answered.map((r) => r.duration)).toEqual([30_000, 45_000]);
      expect(records[0].start).toBe(T0);
      expect(records[0].answer).toBe(T0 + 4000);
      expect(records[1].answer).toBe(T0 + 66_000);
      expect(records.every((r) => r.codeSource === c.codeSource)).toBe(true);
      expect(records.map((r) => r.caller)).toEqual(['1001', '1002', '1003', '1004', '1004']);
      // The failover leg: beta congestion, then the same call on alpha (busy).
      expect(records[3].route).toBe('beta');
      expect(records[4].route).toBe(c.failover ?? 'alpha');
    });

    test(`${c.file}: 1-byte, odd-size chunks and the reference path give identical results`, () => {
      const whole = runCdr(c.file, read(c.file), c.opts);
      for (const size of [1, 3, 7, 64]) {
        const r = runCdr(c.file, read(c.file), c.opts, {}, size);
        expect(r.records).toEqual(whole.records);
        expect(r.acc).toEqual({ ...whole.acc });
      }
      const ref = runCdr(c.file, read(c.file), c.opts, { path: 'reference' });
      expect(ref.records).toEqual(whole.records);
      const ref1 = runCdr(c.file, read(c.file), c.opts, { path: 'reference' }, 1);
      expect(ref1.records).toEqual(whole.records);
    });

    test(`${c.file}: isCdrCsv recognises it`, () => {
      const b = read(c.file);
      expect(isCdrCsv(b[0] === 0x1f ? gunzipSync(b) : b)).toBe(true);
    });
  }

  test('gzip and plain give the same records', () => {
    const plain = runCdr('master21.csv', read('master21.csv'));
    const gz = runCdr('master21.csv', read('master21.csv.gz'));
    expect(gz.records).toEqual(plain.records);
  });

  test('carrier export: PDD in ms from the header unit, reasons, Q.850 kept, d/m/Y proven by the values', () => {
    const { records, acc } = runCdr('carrier.csv', read('carrier.csv'));
    expect(records.map((r) => r.pdd)).toEqual([2100, 3400, 5200, 800, 650]);
    expect(records.map((r) => r.q850)).toEqual([16, 16, 19, 34, 17]);
    expect(records[4].finalReason).toBe('Busy Here');
    expect(records[0].callId).toBe('c0-7f3a@10.0.0.1');
    expect(acc.notes.join('\n')).toContain('d/m/Y');
    expect(acc.notes.join('\n')).toContain("delimiter: ';'");
  });

  test('carrier export without its SIP column: codes from the Q.850 cause', () => {
    const { records } = runCdr('carrier.csv', read('carrier.csv'), { columnMap: { sipcode: '-' } });
    expect(perRoute(records)).toEqual(SCENARIO);
    expect(records.filter((r) => r.answer === undefined).every((r) => r.codeSource === 'q850')).toBe(true);
  });

  test('carrier export with --map choosing the columns by number and name', () => {
    const { records } = runCdr('carrier.csv', read('carrier.csv'), { columnMap: { route: '6', sipcode: 'SIP Code' } });
    expect(records.map((r) => r.route)).toEqual(['1001', '1002', '1003', '1004', '1004']);
  });

  test('FreeSWITCH without a route column: route unknown, hangup causes mapped', () => {
    const { records } = runCdr('freeswitch.csv', read('freeswitch.csv'));
    expect(perRoute(records)).toEqual({ unknown: { attempts: 5, answered: 2, codes: { '200': 2, '480': 1, '503': 1, '486': 1 } } });
    expect(records.map((r) => r.q850)).toEqual([16, 16, 19, 34, 17]);
  });

  test('FreePBX: the peer of the channel a leg dialled wins over a trunk column naming another trunk; --map route= keeps the column', () => {
    const { records, acc } = runCdr('freepbx.csv', read('freepbx.csv'));
    expect(records.map((r) => r.route)).toEqual(['alpha', 'alpha', 'beta', 'beta', 'gw-backup']);
    expect(acc.notes.find((n) => n.includes('disagrees'))).toBe(
      '1 row: the trunk column "trunk" disagrees with the channel the leg dialled (dstchannel), first at line 6 ("alpha", dstchannel "PJSIP/gw-backup-00000009"); ' +
        "the channel's peer is used as the route (alpha → gw-backup 1); --map route=trunk keeps the column",
    );
    const mapped = runCdr('freepbx.csv', read('freepbx.csv'), { columnMap: { route: 'trunk' } });
    expect(mapped.records.map((r) => r.route)).toEqual(['alpha', 'alpha', 'beta', 'beta', 'alpha']);
    expect(mapped.acc.notes.some((n) => n.includes('disagrees'))).toBe(false);
    const noTrunk = runCdr('freepbx.csv', read('freepbx.csv'), { columnMap: { route: '-' } });
    expect(noTrunk.records.map((r) => r.route)).toEqual(['alpha', 'alpha', 'beta', 'beta', 'gw-backup']);
  });

  test('--tz: local times shifted by an IANA zone and by a fixed offset', () => {
    const utc = runCdr('master17.csv', read('master17.csv'));
    const msk = runCdr('master17.csv', read('master17.csv'), { tz: 'Europe/Moscow' });
    const off = runCdr('master17.csv', read('master17.csv'), { tz: '-05:00' });
    expect(msk.records[0].start).toBe(utc.records[0].start - 3 * 3_600_000);
    expect(off.records[0].start).toBe(utc.records[0].start + 5 * 3_600_000);
  });
});

describe('CDR quirks: every row accounted for', () => {
  test('BOM, CRLF, comment, blank, repeated header, embedded newline, relaxed quote, bad rows', () => {
    const { records, acc } = runCdr('quirks.csv', read('quirks.csv'));
    expect(reconciled(acc)).toBe(true);
    expect(acc.read).toBe(12);
    expect(acc.used).toBe(4);
    expect(acc.ignoredBy).toEqual({ comment: 1, header: 2, blank: 2 });
    expect(acc.anomalies).toEqual({ 'bad-date': 1, 'too-few-columns': 1, 'unclosed-quote': 1 });
    expect(acc.samples.map((s) => [s.name, s.position.line])).toEqual([
      ['bad-date', 8],
      ['too-few-columns', 10],
      ['unclosed-quote', 12],
    ]);
    expect(records.map((r) => [r.route, r.source.line, r.finalCode])).toEqual([
      ['alpha', 3, 200],
      ['alpha', 5, 200],
      ['beta', 7, 480],
      ['gamma', 13, 200],
    ]);
    expect(records[1].answer).toBe(Date.UTC(2024, 2, 15, 10, 1, 6));
    expect(records[2].start).toBe(1710497000_000);
    expect(acc.notes.join('\n')).toContain('physical lines: 13');
  });

  test('quirks: chunked and reference path identical', () => {
    const whole = runCdr('quirks.csv', read('quirks.csv'));
    for (const size of [1, 2, 5, 13]) {
      const r = runCdr('quirks.csv', read('quirks.csv'), {}, {}, size);
      expect(r.records).toEqual(whole.records);
      expect(r.acc.anomalies).toEqual(whole.acc.anomalies);
      expect(r.acc.samples).toEqual(whole.acc.samples);
    }
    for (const size of [0, 1]) {
      const ref = runCdr('quirks.csv', read('quirks.csv'), {}, { path: 'reference' }, size);
      expect(ref.records).toEqual(whole.records);
      expect(ref.acc.ignoredBy).toEqual(whole.acc.ignoredBy);
      expect(ref.acc.anomalies).toEqual(whole.acc.anomalies);
      expect(ref.acc.samples.map((s) => [s.name, s.position.line])).toEqual(whole.acc.samples.map((s) => [s.name, s.position.line]));
    }
  });
});
