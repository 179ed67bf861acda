/**
 * SIP code and Q.850 cause cells written another way than a bare number (audit 3B, finding 3). An unambiguous
 * code is read (`SIP/2.0 486 Busy Here`, `SIP 486`, `486/17`, `486;cause=17`, `486.0`, `4.86E+02`); a cell that
 * holds something else is never dropped silently: the row stays when its other columns give the outcome (counted
 * as a warning, with the first line and value in the notes), and is malformed (`bad-code`) when none does.
 */
import { describe, expect, test } from 'vitest';
import { causeInfo, sipCodeText } from '../../src/cdr/interpret.js';
import { BAD_NUM } from '../../src/cdr/row.js';
import { bothPaths } from './helpers.js';

describe('SIP code cells', () => {
  test('every unambiguous writing of 486 is 486 (the audit codes.csv)', () => {
    const cells = ['486 Busy Here', 'SIP/2.0 486 Busy Here', '486.0', '"486;cause=17"', ' 486 ', 'SIP 486', '486/17', '4.86E+02', 'sip/2.0 486', '486(Busy)'];
    const text = `Start,Vendor,SIP Code\n${cells.map((c, i) => `2024-03-05 10:${String(i).padStart(2, '0')}:00,v,${c}`).join('\n')}\n`;
    const run = bothPaths('codes.csv', Buffer.from(text));
    expect(run.records.map((r) => r.finalCode)).toEqual(cells.map(() => 486));
    expect(run.records.every((r) => r.codeSource === 'sip')).toBe(true);
    expect(run.acc.malformed).toBe(0);
    expect(run.acc.warnings).toBeUndefined();
  });

  test('sipCodeText: codes, cells that hold none, and cells that hold something else', () => {
    expect(['SIP/2.0 603 Decline', 'SIP:404', '183', '200 OK', '5.03e2', '503-busy'].map(sipCodeText)).toEqual([603, 404, 183, 200, 503, 503]);
    expect(['0', '000', '-', '-1', 'N/A', 'none', ''].map(sipCodeText)).toEqual([-1, -1, -1, -1, -1, -1, -1]);
    expect(['abc', '999', '4860', '48', '486.5', '7.49E+10', 'SIP/2.0', '1e3'].map(sipCodeText)).toEqual(Array(8).fill(BAD_NUM));
  });

  test('an unreadable code with a cause that gives the outcome: kept on the cause, counted in warnings and notes', () => {
    const text = [
      'Setup Time,Vendor,SIP Code,Q850 Cause,Billsec',
      '2024-03-05 10:00:00,v,abc,17,0',
      '2024-03-05 10:01:00,v,999,,42',
      '2024-03-05 10:02:00,v,999,,0',
      '2024-03-05 10:03:00,v,0,16,30',
      '',
    ].join('\n');
    const run = bothPaths('k.csv', Buffer.from(text));
    expect(run.records.map((r) => [r.finalCode, r.codeSource])).toEqual([
      [486, 'q850'],
      [200, 'none'],
      [200, 'q850'],
    ]);
    expect(run.acc.warnings).toEqual({ 'unread-sip-code': 2 });
    expect(run.acc.anomalies).toEqual({ 'bad-code': 1 });
    expect(run.acc.samples[0]).toMatchObject({ name: 'bad-code', position: { line: 4 }, detail: 'SIP Code = "999": not a SIP status code (100–699); no other column gives the outcome' });
    expect(run.acc.notes).toContain(
      '2 rows with a SIP code cell this reader cannot read (first at line 2: "abc"): their outcome comes from the row\'s other columns (warning unread-sip-code); a row that has no other is malformed (bad-code)',
    );
  });

  test('the audit anom.csv rows: "abc" and "999" with nothing else to go by are malformed with their line and value', () => {
    const text = ['Call ID,Setup Time,Vendor,SIP Code,Q850 Cause,Duration', 'c9,2024-03-05 10:07:00,va,abc,xx,0', 'c12,2024-03-05 10:10:00,va,999,,0', ''].join('\n');
    const run = bothPaths('anom.csv', Buffer.from(text));
    expect(run.records).toEqual([]);
    expect(run.acc.samples.map((s) => [s.name, s.position.line, s.detail])).toEqual([
      ['bad-code', 2, 'SIP Code = "abc": not a SIP status code (100–699); Q850 Cause = "xx": not a Q.850 cause (1–127), a hangup cause name or a dial status; no other column gives the outcome'],
      ['bad-code', 3, 'SIP Code = "999": not a SIP status code (100–699); no other column gives the outcome'],
    ]);
  });
});

describe('Q.850 cause cells', () => {
  test('causeInfo: numbers in several writings, names, 0 as no cause, and what is unread', () => {
    const q = (t: string): unknown => {
      const c = causeInfo(t);
      return [c.q850, c.sip, c.unread === true];
    };
    expect(['17', '17.0', 'Q.850;cause=17', 'cause=17', '17 User busy', 'Q850 17', 'USER_BUSY'].map(q)).toEqual(Array(7).fill([17, 486, false]));
    expect(q('0')).toEqual([undefined, undefined, false]);
    expect(['999', '128', 'abc', 'SOMETHING_WEIRD'].map(q)).toEqual(Array(4).fill([undefined, undefined, true]));
  });

  test('Asterisk dial statuses in a cause column: CANCEL 487, ANSWER answered, DONTCALL/TORTURE 603, INVALIDARGS 500 (re-audit N8)', () => {
    // The re-audit's dialstatus.csv, and the statuses it did not hold. BUSY, NOANSWER, CONGESTION and CHANUNAVAIL are
    // Asterisk's names of Q.850 causes and were read before; CANCEL made the row bad-code (the attempt lost), ANSWER
    // a warning.
    const cells = ['ANSWER', 'BUSY', 'NOANSWER', 'CANCEL', 'CONGESTION', 'CHANUNAVAIL', 'DONTCALL', 'TORTURE', 'INVALIDARGS', 'ANSWERED', 'FAILED', 'Cancel'];
    const text = `Start,Vendor,Hangup Cause,Billsec\n${cells.map((c, i) => `2024-03-05 10:${String(i).padStart(2, '0')}:00,v,${c},0`).join('\n')}\n`;
    const run = bothPaths('dialstatus.csv', Buffer.from(text));
    expect(run.acc.malformed).toBe(0);
    expect(run.acc.warnings).toBeUndefined();
    expect(run.records.map((r) => [r.finalCode, r.codeSource])).toEqual([
      [200, 'disposition'],
      [486, 'hangup-cause'],
      [480, 'hangup-cause'],
      [487, 'disposition'],
      [503, 'hangup-cause'],
      [503, 'hangup-cause'],
      [603, 'disposition'],
      [603, 'disposition'],
      [500, 'disposition'],
      [200, 'disposition'],
      [500, 'disposition'],
      [487, 'disposition'],
    ]);
    // ANSWER with billsec 0 is answered (a call of 0 s), as the disposition ANSWERED is; a status decides as a
    // disposition does: a disposition column, when it decides, still wins.
    expect(run.records[0]!.duration).toBe(0);
    const both = bothPaths('d.csv', Buffer.from('Start,Vendor,Hangup Cause,Disposition,Billsec\n2024-03-05 10:00:00,v,CANCEL,ANSWERED,12\n2024-03-05 10:01:00,v,CANCEL,,12\n'));
    expect(both.records.map((r) => [r.finalCode, r.codeSource])).toEqual([
      [200, 'disposition'],
      [487, 'disposition'],
    ]);
    expect(causeInfo('CANCEL')).toMatchObject({ q850: undefined, sip: 487, source: 'disposition', unread: false });
  });

  test('an unreadable cause: the disposition gives the outcome (warning), or the row is bad-code', () => {
    const text = ['Setup Time,Vendor,Q850 Cause,Disposition', '2024-03-05 10:00:00,v,Q.850;cause=17,', '2024-03-05 10:01:00,v,999,BUSY', '2024-03-05 10:02:00,v,WEIRD,', ''].join('\n');
    const run = bothPaths('c.csv', Buffer.from(text));
    expect(run.records.map((r) => [r.finalCode, r.codeSource, r.q850])).toEqual([
      [486, 'q850', 17],
      [486, 'disposition', undefined],
    ]);
    expect(run.acc.warnings).toEqual({ 'unread-cause': 1 });
    expect(run.acc.anomalies).toEqual({ 'bad-code': 1 });
    // One row, one warning: the note speaks of it in the singular and names only the warning that occurred
    // (re-audit N7: "1 row … their outcome … (warnings unread-sip-code, unread-cause)").
    expect(run.acc.notes).toContain(
      '1 row with a Q.850 cause cell this reader cannot read (first at line 3: "999"): its outcome comes from the row\'s other columns (warning unread-cause); a row that has no other is malformed (bad-code)',
    );
  });
});
