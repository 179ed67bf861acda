import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { detectLayout, fieldOfHeader, headRecords, sniffDelimiter } from '../../src/cdr/detect.js';
import { isCdrCsv } from '../../src/cdr/index.js';
import { channelCut, routeFromChannel } from '../../src/cdr/interpret.js';
import { runCdr } from './helpers.js';

describe('CDR detection', () => {
  test('delimiter sniffing ignores delimiters inside quotes', () => {
    expect(sniffDelimiter(Buffer.from('a;b;c\n1;"x,y,z";3\n4;5;6\n'))).toBe(59);
    expect(sniffDelimiter(Buffer.from('a\tb\tc\n1\t2\t3\n'))).toBe(9);
    expect(sniffDelimiter(Buffer.from('a|b|c\n1|2|3\n'))).toBe(124);
    expect(sniffDelimiter(Buffer.from('"a,b","c"\n"d","e,f"\n'))).toBe(44);
  });

  test('header aliases, with unit suffixes', () => {
    expect(fieldOfHeader('Setup Time')?.field).toBe('start');
    expect(fieldOfHeader('DNIS')?.field).toBe('callee');
    expect(fieldOfHeader('Q.850')?.field).toBe('cause');
    expect(fieldOfHeader('sip_status')?.field).toBe('sipCode');
    expect(fieldOfHeader('Supplier')?.field).toBe('route');
    expect(fieldOfHeader('Code')?.field).toBe('sipCode');
    expect(fieldOfHeader('Dest')?.field).toBe('callee');
    expect(fieldOfHeader('Post Dial Delay')?.field).toBe('pdd');
    expect(fieldOfHeader('PDD (ms)')).toEqual({ field: 'pdd', rank: 0, unit: 'ms' });
    expect(fieldOfHeader('Start Time UTC')?.field).toBe('start');
    expect(fieldOfHeader('favourite colour')).toBeUndefined();
  });

  test('FreeSWITCH variable names in a custom mod_cdr_csv template (audit 3B, finding 14)', () => {
    expect(fieldOfHeader('sip_term_status')?.field).toBe('sipCode');
    expect(fieldOfHeader('sip_invite_failure_status')?.field).toBe('sipCode');
    expect(fieldOfHeader('hangup_cause_q850')?.field).toBe('cause');
    expect(fieldOfHeader('gateway_name')?.field).toBe('route');
    expect(fieldOfHeader('sip_gateway_name')?.field).toBe('route');
    expect(fieldOfHeader('progress_stamp')?.field).toBe('ring');
    expect(fieldOfHeader('progress_media_stamp')?.field).toBe('ring');
    // The audit fs-header.csv: the leg whose sip_term_status is 486 is a 486, on its gateway; the numeric cause
    // beats the cause name; the SIP status beats both.
    const text = [
      'caller_id_number,destination_number,start_stamp,answer_stamp,end_stamp,duration,billsec,hangup_cause,hangup_cause_q850,sip_term_status,uuid,gateway_name,progress_stamp',
      '1001,79991,2024-03-05 10:00:00,,2024-03-05 10:00:03,3,0,NORMAL_CLEARING,16,486,u1,gw1,2024-03-05 10:00:01',
      '1001,79992,2024-03-05 10:01:00,,2024-03-05 10:01:03,3,0,NORMAL_TEMPORARY_FAILURE,41,,u2,gw1,',
      '1001,79993,2024-03-05 10:02:00,2024-03-05 10:02:04,2024-03-05 10:03:03,63,59,NORMAL_CLEARING,16,200,u3,gw2,2024-03-05 10:02:02',
      '',
    ].join('\n');
    const { records, acc } = runCdr('fs.csv', Buffer.from(text));
    expect(records.map((r) => [r.route, r.finalCode, r.codeSource, r.q850, r.pdd])).toEqual([
      ['gw1', 486, 'sip', 16, 1000],
      ['gw1', 503, 'q850', 41, undefined],
      ['gw2', 200, 'sip', 16, 2000],
    ]);
    expect(acc.notes[2]).toContain('route ← gateway_name (col 12), sipCode ← sip_term_status (col 10), cause ← hangup_cause_q850 (col 9)');
  });

  test('ambiguous a/b/Y dates are read d/m/Y and said so; --map date=mdy overrides', () => {
    const recs = headRecords(Buffer.from('start,vendor,disposition\n01/02/2024 10:00,a,BUSY\n'), 44, true);
    const l = detectLayout(recs, {});
    expect(l.dayFirst).toBe(true);
    expect(l.notes.join(' ')).toContain('ambiguous');
    expect(detectLayout(recs, { columnMap: { date: 'mdy' } }).dayFirst).toBe(false);
  });

  test('no header, no known layout: unknown until --map names the columns', () => {
    const text = '2024-03-05 10:00:00|alpha|486\n2024-03-05 10:01:00|beta|200\n';
    const bare = runCdr('x.csv', Buffer.from(text));
    expect(bare.acc.anomalies).toEqual({ 'unknown-layout': 2 });
    const mapped = runCdr('x.csv', Buffer.from(text), { columnMap: { start: '1', route: '2', sipcode: '3' } });
    // The file has no answer time: the 200 is answered, at a time the data does not give.
    expect(mapped.records.map((r) => [r.route, r.finalCode, r.answer])).toEqual([
      ['alpha', 486, undefined],
      ['beta', 200, undefined],
    ]);
  });

  test('no header, no known layout, with --map: the sniffer takes it when the mapped start column holds dates', () => {
    const day = readFileSync(new URL('../../fixtures/sample/carrier-day.cdr.csv', import.meta.url), 'utf8');
    const rows = Buffer.from(day.slice(day.indexOf('\n') + 1));
    const map = { start: '2', route: '7', sipcode: '8' };
    expect(isCdrCsv(rows.subarray(0, 65536))).toBe(false);
    expect(isCdrCsv(rows.subarray(0, 65536), { columnMap: map })).toBe(true);
    // Another CSV met in the same folder is not taken for a CDR because --map was given.
    const routes = readFileSync(new URL('../../fixtures/sample/routes.csv', import.meta.url));
    expect(isCdrCsv(routes, { columnMap: map })).toBe(false);
    // A column of phone numbers named as the start is no date (a 12-digit number would read as a 1984 epoch in ms).
    const caller = day.split('\n')[0]!.split(',').findIndex((h) => /caller|ani|from/i.test(h));
    expect(caller).toBeGreaterThanOrEqual(0);
    expect(isCdrCsv(rows.subarray(0, 65536), { columnMap: { ...map, start: String(caller + 1) } })).toBe(false);
    const { records, acc } = runCdr('nohdr.csv', rows, { columnMap: map });
    expect([acc.read, acc.used, acc.malformed]).toEqual([960, 960, 0]);
    expect(records.map((r) => [r.route, r.finalCode])).toEqual(runCdr('day.csv', Buffer.from(day)).records.map((r) => [r.route, r.finalCode]));
  });

  test('isCdrCsv says no to logs, captures and prose', () => {
    expect(isCdrCsv(Buffer.from('[2023-11-14 22:13:20] VERBOSE[1234][C-0000012a] app_dial.c: -- Called PJSIP/alpha/123\n'))).toBe(false);
    expect(isCdrCsv(Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0]))).toBe(false);
    expect(isCdrCsv(Buffer.from('Hello, world.\nThis is, I think, not a CDR.\n'))).toBe(false);
    expect(isCdrCsv(readFileSync(new URL('../../fixtures/cdr/carrier.csv', import.meta.url)))).toBe(true);
  });

  test('route from the dstchannel peer', () => {
    const cut = (s: string) => {
      const b = Buffer.from(s);
      return routeFromChannel(b.subarray(0, channelCut(b, 0, b.length)).toString());
    };
    expect(cut('SIP/alpha-0000001a')).toBe('alpha');
    expect(cut('PJSIP/beta-00000012')).toBe('beta');
    expect(cut('PJSIP/my-trunk-00000012')).toBe('my-trunk');
    expect(cut('IAX2/gamma-1234')).toBe('gamma');
    expect(cut('DAHDI/1-1')).toBe('DAHDI/1');
    expect(cut('Local/1141@callback-agent-00000012;1')).toBe('Local/callback-agent');
    expect(routeFromChannel('SIP/10.0.0.7', (a) => (a === '10.0.0.7' ? 'delta' : undefined))).toBe('delta');
  });

  test('UTF-8 text survives both paths', () => {
    const text = 'start,trunk,caller,disposition\n2024-03-05 10:00:00,Ростелеком,Иван,ANSWERED\n2024-03-05 10:01:00,alpha,"Zoë ""Z""",BUSY\n';
    const fast = runCdr('u.csv', Buffer.from(text));
    expect(fast.records.map((r) => [r.route, r.caller])).toEqual([
      ['Ростелеком', 'Иван'],
      ['alpha', 'Zoë "Z"'],
    ]);
    expect(runCdr('u.csv', Buffer.from(text), {}, { path: 'reference' }).records).toEqual(fast.records);
    expect(runCdr('u.csv', Buffer.from(text), {}, {}, 1).records).toEqual(fast.records);
  });

  test('UTF-16LE exports (Excel "Unicode text") go through the reference splitter', () => {
    const text = 'start\tvendor\tdisposition\n2024-03-05 10:00:00\talpha\tANSWERED\n2024-03-05 10:01:00\tbeta\tBUSY\n';
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(isCdrCsv(buf)).toBe(true);
    for (const chunk of [0, 1, 5]) {
      const { records, acc } = runCdr('u16.csv', buf, {}, {}, chunk);
      expect(records.map((r) => [r.route, r.finalCode])).toEqual([
        ['alpha', 200],
        ['beta', 486],
      ]);
      expect(acc.notes[1]).toContain('UTF-16LE');
    }
  });
});

test('a head of very long rows is extended until whole rows are seen', () => {
  // Master.csv (no header: detection needs whole data rows) whose lastdata runs over the 64 KiB head.
  const master = readFileSync(new URL('../../fixtures/cdr/master17.csv', import.meta.url), 'utf8');
  const long = master.replace(/"SIP\/(\d+)@(\w+),60,tT"/g, (_m, n, r) => `"SIP/${n}@${r},60,${'x'.repeat(70_000)}"`);
  expect(long.length).toBeGreaterThan(350_000);
  for (const chunk of [0, 4096]) {
    const { records, acc } = runCdr('Master.csv', Buffer.from(long), {}, {}, chunk);
    expect(acc.notes[0]).toContain('format: asterisk-cdr-csv');
    expect(records.map((r) => r.route)).toEqual(['alpha', 'alpha', 'beta', 'beta', 'alpha']);
  }
});
