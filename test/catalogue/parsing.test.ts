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
    // what a phone displays, in the words that say so (an address's 172 is not standalone)
    ['from 172.16.1.16 the phone showed 603 Decline', { code: 603, reason: 'Decline' }],
    ['phone shows 486 Busy', { code: 486, reason: 'Busy' }],
    ['телефон пишет 403 Forbidden', { code: 403, reason: 'Forbidden' }],
    ['SIP/ 486', { code: 486 }],
    // Asterisk's console line with its `-- ` (N9), and res_pjsip's debug forms (N2)
    ['-- Got SIP response 486 "Busy Here" back from 1.2.3.4:5060', { code: 486, reason: 'Busy Here' }],
    ['DEBUG[316] res_pjsip_session.c:  1001: Method is INVITE, Response is 486 Busy Here', { code: 486, reason: 'Busy Here' }],
    ['DEBUG[316] res_pjsip_session.c:  1001 Method: BYE Status: 200', { code: 200 }],
    ['DEBUG[316] res_pjsip_session.c: 1001: BYE received final response code 200', { code: 200 }],
    // res_pjsip_logger's header (a size, not a code) pasted with the status line under it and the headers after it
    [
      '<--- Received SIP response (486 bytes) from UDP:203.0.113.10:5060 --->\nSIP/2.0 503 Service Unavailable\r\nVia: SIP/2.0/UDP 192.0.2.1:5060\r\n',
      { code: 503, reason: 'Service Unavailable' },
    ],
    // a status line names its code, whatever word its phrase starts with
    ['SIP/2.0 486 Second line busy', { code: 486, reason: 'Second line busy' }],
    // the Cyrillic `с` after a code that follows a lead-in is the preposition, not seconds
    ['ответ 486 с фразой Busy Here', { code: 486, reason: 'с фразой Busy Here' }],
  ])('%j', (q, expected) => expect(parseCodeQuery(q)).toEqual(expected));
  it.each(['', 'hello', '48', '4860', '486abc', 'SIP/2.0', 'SIP/2.0486', 'from 172.16.1.16', 'port 5060', 'after 30 s', 'got 799 back'])(
    'rejects %j',
    (q) => {
      expect(parseCodeQuery(q)).toBeUndefined();
    },
  );
  // N2: a number in the middle of a description is no code, nor a quantity with its unit, nor a URI's user part
  it.each([
    'calls drop after 120 seconds',
    'RTP timeout after 180 seconds',
    'after 600 ms the call fails',
    'My calls to 100 fail',
    'calls from 100',
    'Call from 300 to 486 failed',
    'WARNING[1234]: chan_sip.c:4123 retrans_pkt: Retransmission timeout reached on transmission 3c26@10.0.0.1 for seqno 102 (Critical Request) -- See https://wiki.asterisk.org/wiki/display/AST/SIP+Retransmissions',
    `NOTICE[1234]: chan_sip.c:28000 handle_request_register: Registration from '"101" <sip:101@1.2.3.4>' failed for '5.6.7.8:5060' - Wrong password`,
    'sip:300@192.0.2.5',
    '120 seconds after answer the call drops',
    '600 ms',
    '180-second timeout',
    '180 с после ответа вызов обрывается',
    'через 180 секунд обрыв',
    'error after 120 sec',
    'error 120 seconds',
    'status 100 %',
    'response 300 bytes',
    'seqno 102', 'port 486', 'to 100', 'на 100', 'с 100', 'от 100',
    'SIP/x 486',
  ])('takes no code from %j', (q) => {
    expect(parseCodeQuery(q)).toBeUndefined();
  });
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
