import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/report/csv-cell.js';
import { phraseKey } from '../../src/catalogue/normalize.js';
import { parseCodeQuery } from '../../src/catalogue/query.js';
import { parseReasonHeader, parseReasonHeaderValues } from '../../src/catalogue/reason-header.js';

describe('phraseKey', () => {
  it.each([
    ['Server Time-out', 'servertimeout'],
    ['server timeout', 'servertimeout'],
    ['AUTH Error: Stall nonce', 'autherrorstallnonce'],
    ['  Call Leg/Transaction Does Not Exist ', 'calllegtransactiondoesnotexist'],
    ['«Занято»', 'занято'],
    ['Недоступен — Абонент', 'недоступенабонент'],
    ['', ''],
  ])('%j → %j', (input, key) => expect(phraseKey(input)).toBe(key));
  it('is bounded on long input', () => {
    expect(phraseKey('a'.repeat(100_000)).length).toBe(256);
  });
});

describe('parseCodeQuery', () => {
  it.each([
    ['486', { code: 486 }],
    ['  486  ', { code: 486 }],
    ['403 No Money Left on RFC Account', { code: 403, reason: 'No Money Left on RFC Account' }],
    ['SIP/2.0 480 DB Timeout', { code: 480, reason: 'DB Timeout' }],
    ['sip/2.0   480\tDB Timeout\r\n', { code: 480, reason: 'DB Timeout' }],
    ['799', { code: 799 }],
    // the separator of a support page's table is no part of the phrase
    ['603 – Declined', { code: 603, reason: 'Declined' }],
    ['486 - Busy', { code: 486, reason: 'Busy' }],
    ['SIP 484 – Addres incomplete', { code: 484, reason: 'Addres incomplete' }],
    ['480: DB Timeout', { code: 480, reason: 'DB Timeout' }],
    ['SIP 415 (No Media)', { code: 415, reason: 'No Media' }],
    // a status copied from a log line (M3): the code after a lead-in, the phrase without quotes or `back from …`
    ['Got SIP response 486 "Busy Here" back from 172.16.1.16', { code: 486, reason: 'Busy Here' }],
    ['Got SIP response 480 Temporarily Unavailable back from 203.0.113.10:5060', { code: 480, reason: 'Temporarily Unavailable' }],
    ['SIP response 486 «Busy Here»', { code: 486, reason: 'Busy Here' }],
    ['Re: SIP response 486 «Busy Here»Asterisk 1.6.1.6', { code: 486, reason: 'Busy Here' }],
    ['Ошибка Sip 503 – Service Unavailablе', { code: 503, reason: 'Service Unavailablе' }],
    ['При попытке регистрации пишет: «Ошибка Sip 503 – Service Unavailablе» |', { code: 503, reason: 'Service Unavailablе' }],
    ['При наборе номера выдает ошибку 403 not found', { code: 403, reason: 'not found' }],
    ['Sip-486 Busy Here', { code: 486, reason: 'Busy Here' }],
    ['error 486.', { code: 486 }],
    // a whole Asterisk log line: a 3-digit thread id before the lead-in is not the code
    [
      '[Mar  5 11:00:01] VERBOSE[123][C-00000002] chan_sip.c: Got SIP response 486 "Busy Here" back from 203.0.113.10:5060',
      { code: 486, reason: 'Busy Here' },
    ],
    // no lead-in: the first standalone 100–699 (an address's 172 is not standalone)
    ['from 172.16.1.16 the phone showed 603 Decline', { code: 603, reason: 'Decline' }],
    ['SIP/ 486', { code: 486 }],
  ])('%j', (q, expected) => expect(parseCodeQuery(q)).toEqual(expected));
  it.each(['', 'hello', '48', '4860', '486abc', 'SIP/2.0', 'SIP/2.0486', 'from 172.16.1.16', 'port 5060', 'after 30 s', 'got 799 back'])(
    'rejects %j',
    (q) => {
      expect(parseCodeQuery(q)).toBeUndefined();
    },
  );
  it('stays linear on hostile input', () => {
    const inputs = [
      '1 '.repeat(500_000) + '"'.repeat(100_000),
      '486 ' + ' back'.repeat(200_000),
      '486 «' + 'x'.repeat(1_000_000),
      'sip '.repeat(300_000) + '486',
    ];
    for (const q of inputs) {
      const t0 = performance.now();
      parseCodeQuery(q);
      expect(performance.now() - t0).toBeLessThan(100);
    }
  });
});

describe('RFC 3326 Reason header', () => {
  it.each([
    ['Q.850;cause=16;text="Terminated"', { protocol: 'Q.850', cause: 16, text: 'Terminated' }],
    ['Reason: Q.850 ; cause = 17 ; text = "User busy"', { protocol: 'Q.850', cause: 17, text: 'User busy' }],
    ['reason:SIP;cause=200;text="Call completed elsewhere"', { protocol: 'SIP', cause: 200, text: 'Call completed elsewhere' }],
    ['Q.850;text="a \\"quoted\\" word, here";cause=31', { protocol: 'Q.850', cause: 31, text: 'a "quoted" word, here' }],
    ['Q.850;cause=abc', { protocol: 'Q.850' }],
    ['Q.850;cause=16;foo=bar;text="x', { protocol: 'Q.850', cause: 16, text: 'x' }],
    ['preemption ;cause=1 ;text="UA Preemption"', { protocol: 'preemption', cause: 1, text: 'UA Preemption' }],
  ])('%j', (h, expected) => expect(parseReasonHeader(h)).toEqual(expected));

  it('reads every value of a list', () => {
    expect(parseReasonHeaderValues('SIP;cause=487;text="x,y", Q.850;cause=16')).toEqual([
      { protocol: 'SIP', cause: 487, text: 'x,y' },
      { protocol: 'Q.850', cause: 16 },
    ]);
  });
  it('gives nothing for an empty or broken header and stays linear on hostile input', () => {
    expect(parseReasonHeader('')).toBeUndefined();
    expect(parseReasonHeader(';;;')).toBeUndefined();
    const hostile = 'Q.850' + ';cause='.repeat(50_000) + '"'.repeat(50_000);
    const t0 = performance.now();
    parseReasonHeaderValues(hostile);
    expect(performance.now() - t0).toBeLessThan(200);
  });
});

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', 'line\uFFFDbreak'],
    ['=1+1', "'=1+1"],
    ['+7 495', "'+7 495"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\uFFFDx"],
    ['\rx', "'\uFFFDx"],
    [' =1+1', "' =1+1"],
    ['\u001b=1+1', "'\uFFFD=1+1"],
    ['=a,b', `"'=a,b"`],
    [486, '486'],
    [true, 'true'],
  ] as const)('%j → %j', (v, out) => expect(csvCell(v)).toBe(out));
});
