import { describe, expect, it } from 'vitest';
import { createAsteriskLogSource } from '../../src/asterisk/index.js';
import { CallFlag, type CallRecord, type InputAccounting, type SourceOptions } from '../../src/types.js';
import { byRoute, digest, fixture, reconciled, run } from './helpers.js';

/**
 * Logs with both Dial lines and SIP message dumps: each call counted once (audit 3, M1), a dumped call named
 * after the peer its Dial attempt went to (M2), and the year notes of a rotated chain per file (L4).
 */
const log = (lines: string[]): Buffer => Buffer.from(lines.join('\n') + '\n');

/** A res_pjsip_logger dump of an outgoing request or an incoming response (no call marker, as Asterisk writes it). */
function pjsipOut(stamp: string, addr: string, message: string[]): string[] {
  return [`[${stamp}] VERBOSE[4567] res_pjsip_logger.c: <--- Transmitting SIP request (400 bytes) to UDP:${addr}:5060 --->`, ...message, '', ''];
}
function pjsipIn(stamp: string, addr: string, message: string[]): string[] {
  return [`[${stamp}] VERBOSE[4567] res_pjsip_logger.c: <--- Received SIP response (300 bytes) from UDP:${addr}:5060 --->`, ...message, '', ''];
}
function invite(user: string, addr: string, callId: string): string[] {
  return [
    `INVITE sip:${user}@${addr}:5060 SIP/2.0`,
    'Via: SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bKPj' + callId,
    'From: <sip:trunkin@10.0.0.1>;tag=f' + callId,
    `To: <sip:${user}@${addr}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    'Content-Length:  0',
  ];
}
function response(status: string, user: string, addr: string, callId: string, toTag = ''): string[] {
  return [
    `SIP/2.0 ${status}`,
    'Via: SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bKPj' + callId,
    'From: <sip:trunkin@10.0.0.1>;tag=f' + callId,
    `To: <sip:${user}@${addr}>${toTag !== '' ? `;tag=${toTag}` : ''}`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    'Content-Length:  0',
  ];
}

const PJ = '[2024-03-05 11:00:00] VERBOSE[380][C-00000001]';
const dialLine = (stamp: string, marker: string, exten: string, peer: string): string =>
  `[${stamp}] VERBOSE[380][${marker}] pbx.c: Executing [${exten}@from-trunk:1] Dial("PJSIP/trunkin-00000001", "PJSIP/${exten}@${peer},60") in new stack`;

describe('a Dial attempt gives way only to a dumped call that reached a final response (M1)', () => {
  // The audit's halfdump.full: `pjsip set logger off` right after the INVITE; the Dial lines say busy.
  const halfdump = log([
    '[2024-03-05 11:00:00] Asterisk 18.11.2 built',
    dialLine('2024-03-05 11:00:00', 'C-00000001', '111', 'alpha'),
    ...pjsipOut('2024-03-05 11:00:00', '198.51.100.20', invite('111', '198.51.100.20', 'zz1')),
    `${PJ} app_dial.c: Called PJSIP/111@alpha`,
    '[2024-03-05 11:00:01] VERBOSE[380][C-00000001] app_dial.c: PJSIP/alpha-00000002 is busy',
    '[2024-03-05 11:00:01] VERBOSE[380][C-00000001] app_dial.c: Everyone is busy/congested at this time (1:1/0/0)',
    "[2024-03-05 11:00:01] VERBOSE[380][C-00000001] pbx.c: Auto fallthrough, channel 'PJSIP/trunkin-00000001' status is 'BUSY'",
    '[2024-03-05 11:20:00] VERBOSE[1] asterisk.c: Remote UNIX connection',
  ]);

  it('an INVITE dumped without its responses: the Dial outcome counts (486 on alpha), once', () => {
    const r = run(halfdump);
    reconciled(r.acc);
    expect(r.records).toHaveLength(1);
    expect(r.records[0]).toMatchObject({ callId: 'C-00000001/PJSIP/alpha#1', route: 'alpha', finalCode: 486, codeSource: 'disposition', callee: '111' });
    expect(r.records[0]!.flags & CallFlag.Unfinished).toBe(0);
    expect(r.acc.records).toBe(1);
    expect(r.messages.map((m) => m.callId)).toEqual(['zz1']);
    expect(r.acc.notes).toContain('1 dumped call had no final response in the dump: the outcome of its Dial attempt counts instead (Call-ID → attempt: zz1 → C-00000001/PJSIP/alpha#1)');
    expect(r.acc.notes.some((n) => n.includes('Dial attempts left out'))).toBe(false);
    for (const size of [1, 13, 97]) expect(digest(run(halfdump, size))).toBe(digest(r));
  });

  it('the dumped call timed out (no response in 32 s) before the Dial ended: the Dial attempt still counts', () => {
    // PJSIP's order: the `Called` line first, then the INVITE's dump (paired by number and time).
    const r = run(
      log([
        dialLine('2024-03-05 11:00:00', 'C-00000001', '111', 'alpha'),
        `${PJ} app_dial.c: Called PJSIP/111@alpha`,
        ...pjsipOut('2024-03-05 11:00:00', '198.51.100.20', invite('111', '198.51.100.20', 'zz1')),
        '[2024-03-05 11:00:02] VERBOSE[380][C-00000001] app_dial.c: PJSIP/alpha-00000002 is ringing',
        // another call's dump, 40 s on: the tracker closes zz1 (Timer B) while the Dial still rings
        ...pjsipOut('2024-03-05 11:00:40', '192.0.2.50', invite('222', '192.0.2.50', 'other')),
        ...pjsipIn('2024-03-05 11:00:40', '192.0.2.50', response('404 Not Found', '222', '192.0.2.50', 'other', 't9')),
        '[2024-03-05 11:00:45] VERBOSE[380][C-00000001] app_dial.c: PJSIP/alpha-00000002 answered PJSIP/trunkin-00000001',
        "[2024-03-05 11:01:45] VERBOSE[380][C-00000001] pbx.c: Spawn extension (from-trunk, 111, 1) exited non-zero on 'PJSIP/trunkin-00000001'",
      ]),
    );
    reconciled(r.acc);
    const mine = r.records.filter((x) => x.callee === '111');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ callId: 'C-00000001/PJSIP/alpha#1', route: 'alpha', finalCode: 200, duration: 60_000 });
    // the other dumped call matched no Dial attempt: it keeps its address, and the notes name it
    expect(r.records.find((x) => x.callId === 'other')).toMatchObject({ route: '192.0.2.50', finalCode: 404 });
    expect(r.acc.notes).toContain(
      '1 dumped call matched no Dial attempt and keeps the address it was sent to as route: 192.0.2.50 (1) (Dial attempts name their route by peer; --routes can map an address to that name)',
    );
    expect(r.acc.notes.some((n) => n.startsWith('1 dumped call had no final response in the dump'))).toBe(true);
  });

  it('a dump cut short (no Call-ID) is malformed line by line, and the busy call on alpha is not lost', () => {
    // The audit's trunc.full without its 70 kB line: the INVITE's dump ends at the next log line.
    const r = run(
      log([
        '[2024-03-05 11:00:00.123] Asterisk 21.0.0 built',
        '[2024-03-05 11:00:00.200] VERBOSE[4567] res_pjsip_logger.c: <--- Transmitting SIP request (900 bytes) to UDP:198.51.100.20:5060 --->',
        'INVITE sip:111@198.51.100.20:5060 SIP/2.0',
        'Via: SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bKPjx',
        'From: <sip:a@10.0.0.1>;tag=1',
        '[2024-03-05 11:00:00.500] VERBOSE[4567][C-00000001] app_dial.c: Called PJSIP/111@alpha',
        '[2024-03-05 11:00:01.000] VERBOSE[4567][C-00000001] app_dial.c: PJSIP/alpha-00000001 is busy',
      ]),
    );
    reconciled(r.acc);
    expect(r.acc.anomalies).toEqual({ 'sip-truncated': 4 });
    expect(r.acc.samples?.[0]).toMatchObject({ name: 'sip-truncated', position: { line: 2 } });
    expect(r.acc.samples?.[0]?.detail).toMatch(/^SIP message dump cut short/);
    expect(r.acc.sipMessages).toBe(0);
    expect(r.messages).toHaveLength(0);
    expect(r.records).toHaveLength(1);
    expect(r.records[0]).toMatchObject({ route: 'alpha', finalCode: 486, callee: '111' });
    expect(r.acc.notes.some((n) => n.includes('left out') || n.includes('dumped call'))).toBe(false);
  });

  it('a whole dumped message without a Call-ID is named as such', () => {
    const r = run(log([...pjsipOut('2024-03-05 11:00:00', '198.51.100.20', invite('111', '198.51.100.20', 'x').filter((l) => !l.startsWith('Call-ID')))]));
    reconciled(r.acc);
    expect(r.acc.anomalies).toEqual({ 'sip-missing-call-id': 8 });
    expect(r.acc.samples?.[0]?.detail).toBe('SIP message dump without a Call-ID');
  });

  it('a dumped call with its final response stands for the Dial attempt (the audit fixtures: no change in counts)', () => {
    const r = run(fixture('scenario-pjsip-logger.log'));
    expect(byRoute(r.records)).toEqual({
      alpha: { attempts: 3, answered: 2, codes: { 200: 2, 486: 1 }, durationsSec: [30, 45] },
      beta: { attempts: 2, answered: 0, codes: { 487: 1, 503: 1 }, durationsSec: [] },
    });
    expect(r.records.every((x) => x.codeSource === 'sip')).toBe(true);
    expect(r.acc.notes.some((n) => n.includes('5 Dial attempts left out'))).toBe(true);
  });
});

describe('a dumped call takes the route of its Dial attempt (M2)', () => {
  // The audit's pjsiplogger18.full: the first call dumped (480 DB Timeout), the second one not.
  const pjsip = log([
    '[2024-03-05 11:00:00] Asterisk 18.11.2 built by buildozer',
    dialLine('2024-03-05 11:00:00', 'C-00000040', '74951234567', 'carrier1'),
    ...pjsipOut('2024-03-05 11:00:00', '198.51.100.20', invite('74951234567', '198.51.100.20', 'pj-1')),
    '[2024-03-05 11:00:00] VERBOSE[380][C-00000040] app_dial.c: Called PJSIP/74951234567@carrier1',
    ...pjsipIn('2024-03-05 11:00:00', '198.51.100.20', response('100 Trying', '74951234567', '198.51.100.20', 'pj-1')),
    ...pjsipIn('2024-03-05 11:00:02', '198.51.100.20', response('183 Session Progress', '74951234567', '198.51.100.20', 'pj-1', 'tt1')),
    '[2024-03-05 11:00:02] VERBOSE[380][C-00000040] app_dial.c: PJSIP/carrier1-00000041 is making progress passing it to PJSIP/trunkin-00000040',
    ...pjsipIn('2024-03-05 11:00:09', '198.51.100.20', response('480 DB Timeout', '74951234567', '198.51.100.20', 'pj-1', 'tt1')),
    '[2024-03-05 11:00:09] VERBOSE[380][C-00000040] app_dial.c: Everyone is busy/congested at this time (1:0/0/1)',
    dialLine('2024-03-05 11:01:00', 'C-00000041', '74951234568', 'carrier1'),
    '[2024-03-05 11:01:00] VERBOSE[381][C-00000041] app_dial.c: Called PJSIP/74951234568@carrier1',
    '[2024-03-05 11:01:03] VERBOSE[381][C-00000041] app_dial.c: PJSIP/carrier1-00000043 answered PJSIP/trunkin-00000042',
    "[2024-03-05 11:01:33] VERBOSE[381][C-00000041] pbx.c: Spawn extension (from-trunk, 74951234568, 1) exited non-zero on 'PJSIP/trunkin-00000042'",
  ]);

  it('res_pjsip_logger (no marker, paired by number and time): one route, carrier1', () => {
    const r = run(pjsip);
    reconciled(r.acc);
    expect(byRoute(r.records)).toEqual({ carrier1: { attempts: 2, answered: 1, codes: { 200: 1, 480: 1 }, durationsSec: [30] } });
    expect(r.records.find((x) => x.callId === 'pj-1')).toMatchObject({ route: 'carrier1', finalReason: 'DB Timeout', codeSource: 'sip', dstAddr: '198.51.100.20' });
    expect(r.acc.notes).toContain('1 Dial attempt left out: the same call was read from a SIP message dump');
    expect(r.acc.notes.some((n) => n.includes('matched no Dial attempt'))).toBe(false);
  });

  it('console output (no time stamps): paired in the order of the lines, not counted twice', () => {
    const text = pjsip
      .toString('utf8')
      .replace(/^\[[^\]]*\] Asterisk .*\n/, '')
      .replace(/^\[[^\]]*\] VERBOSE\[\d+\](?:\[C-[0-9a-f]+\])? [a-z_.]+: /gm, '    -- ');
    const r = run(Buffer.from(text));
    reconciled(r.acc);
    expect(r.records.every((x) => x.start !== x.start)).toBe(true); // undated
    expect(r.records.map((x) => [x.callId, x.route, x.finalCode])).toEqual([
      ['pj-1', 'carrier1', 480],
      [expect.stringMatching(/^L\d+\/PJSIP\/carrier1#1$/), 'carrier1', 200],
    ]);
  });

  it('a --routes entry for the address still wins', () => {
    const r = run(pjsip, 0, { routeOf: (a) => (a === '198.51.100.20' ? 'Carrier One' : undefined) });
    expect(r.records.find((x) => x.callId === 'pj-1')!.route).toBe('Carrier One');
  });

  // The audit's sipdebug13.full (chan_sip `sip set debug on`, lines tagged with the call marker).
  const sipDebug = (calledFirst: boolean): Buffer => {
    const called = '[Nov 15 09:00:10] VERBOSE[2110][C-00000010] app_dial.c:     -- Called SIP/alpha/5552001';
    const dump = [
      '[Nov 15 09:00:10] VERBOSE[2110][C-00000010] chan_sip.c: <--- Reliably Transmitting (no NAT) to 203.0.113.10:5060 --->',
      ...invite('5552001', '203.0.113.10', 'c1@10.0.0.1'),
      '',
      '<------------>',
    ];
    const reply = (stamp: string, status: string, tag = ''): string[] => [
      `[Nov 15 ${stamp}] VERBOSE[2002][C-00000010] chan_sip.c: <--- SIP read from UDP:203.0.113.10:5060 --->`,
      ...response(status, '5552001', '203.0.113.10', 'c1@10.0.0.1', tag),
      '',
      '<------------->',
    ];
    return log([
      '[2024-11-15 09:00:00] Asterisk 13.38.3 built by root',
      '[Nov 15 09:00:10] VERBOSE[2110][C-00000010] pbx.c:     -- Executing [5552001@from-internal:1] Dial("SIP/100-00000020", "SIP/alpha/5552001,30") in new stack',
      ...(calledFirst ? [called, ...dump] : [...dump, called]),
      ...reply('09:00:10', '100 Trying'),
      ...reply('09:00:11', '180 Ringing', 'a1'),
      '[Nov 15 09:00:11] VERBOSE[2110][C-00000010] app_dial.c:     -- SIP/alpha-00000021 is ringing',
      ...reply('09:00:14', '486 Busy Here', 'a1'),
      '[Nov 15 09:00:14] VERBOSE[2002][C-00000010] chan_sip.c:     -- Got SIP response 486 "Busy Here" back from 203.0.113.10:5060',
      '[Nov 15 09:00:14] VERBOSE[2110][C-00000010] app_dial.c:     -- SIP/alpha-00000021 is busy',
      // the same call fails over to beta, whose messages are not dumped (`sip set debug peer alpha`)
      '[Nov 15 09:00:14] VERBOSE[2110][C-00000010] pbx.c:     -- Executing [5552001@from-internal:2] Dial("SIP/100-00000020", "SIP/beta/5552001,30") in new stack',
      '[Nov 15 09:00:14] VERBOSE[2110][C-00000010] app_dial.c:     -- Called SIP/beta/5552001',
      '[Nov 15 09:00:16] VERBOSE[2110][C-00000010] app_dial.c:     -- SIP/beta-00000022 answered SIP/100-00000020',
      "[Nov 15 09:01:16] VERBOSE[2110][C-00000010] pbx.c:   == Spawn extension (from-internal, 5552001, 2) exited non-zero on 'SIP/100-00000020'",
    ]);
  };

  for (const calledFirst of [false, true]) {
    it(`chan_sip dumps (paired by call marker, ${calledFirst ? 'Called line first' : 'INVITE first'}): the peer name; a failover Dial of the same call still counts`, () => {
      const r = run(sipDebug(calledFirst));
      reconciled(r.acc);
      expect(byRoute(r.records)).toEqual({
        alpha: { attempts: 1, answered: 0, codes: { 486: 1 }, durationsSec: [] },
        beta: { attempts: 1, answered: 1, codes: { 200: 1 }, durationsSec: [60] },
      });
      expect(r.records.find((x) => x.route === 'alpha')).toMatchObject({ callId: 'c1@10.0.0.1', codeSource: 'sip' });
      expect(r.records.find((x) => x.route === 'beta')).toMatchObject({ callId: 'C-00000010/SIP/beta#1' });
      expect(r.acc.notes).toContain('1 Dial attempt left out: the same call was read from a SIP message dump');
    });
  }

  it('the dump fixtures: dumped calls named after their peers without --routes', () => {
    for (const name of ['scenario-chansip-debug.log', 'scenario-pjsip-logger.log', 'scenario-chansip-debug.json']) {
      const r = run(fixture(name));
      expect(Object.keys(byRoute(r.records)).sort(), name).toEqual(['alpha', 'beta']);
      expect(r.acc.notes.some((n) => n.includes('matched no Dial attempt')), name).toBe(false);
    }
  });

  it('dumps with no Dial lines keep the addresses, and the notes name them', () => {
    const r = run(
      log([
        ...pjsipOut('2024-03-05 11:00:00', '198.51.100.20', invite('111', '198.51.100.20', 'a1')),
        ...pjsipIn('2024-03-05 11:00:01', '198.51.100.20', response('486 Busy Here', '111', '198.51.100.20', 'a1', 'x')),
        ...pjsipOut('2024-03-05 11:00:05', '198.51.100.20', invite('112', '198.51.100.20', 'a2')),
        ...pjsipIn('2024-03-05 11:00:06', '198.51.100.20', response('486 Busy Here', '112', '198.51.100.20', 'a2', 'y')),
      ]),
    );
    expect(r.records.map((x) => x.route)).toEqual(['198.51.100.20', '198.51.100.20']);
    expect(r.acc.notes).toContain(
      '2 dumped calls matched no Dial attempt and keep the address they were sent to as route: 198.51.100.20 (2) (Dial attempts name their route by peer; --routes can map an address to that name)',
    );
  });
});

describe('year notes of a rotated chain, per file (L4)', () => {
  /** Reads texts as one chain of rotated logs (continueWith between them): each file's accounting. */
  function chain(texts: string[], opts: SourceOptions = {}): { records: CallRecord[]; accounts: InputAccounting[] } {
    const records: CallRecord[] = [];
    const src = createAsteriskLogSource('f0', { record: (r) => records.push(r) }, opts);
    const accounts = [src.accounting];
    texts.forEach((t, k) => {
      if (k > 0) {
        src.continueWith(`f${k}`);
        accounts.push(src.accounting);
      }
      src.push(Buffer.from(t));
    });
    src.end();
    return { records, accounts };
  }
  const V = (stamp: string, mk: number, text: string): string => `[${stamp}] VERBOSE[210${mk}][C-0000000${mk}] app_dial.c:     -- ${text}`;
  // The audit's rot/full.2.gz, full.1, full: the banner (a full date) only in the oldest; Dec 31 → Jan 1.
  const oldest = [
    '[2024-12-31 20:00:00] Asterisk 13.38.3 built by root',
    V('Dec 31 20:10:00', 1, 'Executing [5550001@from-internal:1] Dial("SIP/100-00000001", "SIP/alpha/5550001,30") in new stack'),
    V('Dec 31 20:10:00', 1, 'Called SIP/alpha/5550001'),
    V('Dec 31 20:10:02', 1, 'SIP/alpha-00000001 is busy'),
    V('Dec 31 20:10:02', 1, 'Everyone is busy/congested at this time (1:1/0/0)'),
    V('Dec 31 20:59:50', 2, 'Executing [5550002@from-internal:1] Dial("SIP/100-00000002", "SIP/alpha/5550002,30") in new stack'),
    V('Dec 31 20:59:50', 2, 'Called SIP/alpha/5550002'),
    V('Dec 31 20:59:55', 2, 'SIP/alpha-00000002 answered SIP/100-00000002'),
  ];
  const middle = [
    V('Dec 31 21:00:25', 2, "Spawn extension (from-internal, 5550002, 1) exited non-zero on 'SIP/100-00000002'"),
    V('Dec 31 21:30:00', 3, 'Executing [5550003@from-internal:1] Dial("SIP/100-00000003", "SIP/alpha/5550003,30") in new stack'),
    V('Dec 31 21:30:00', 3, 'Called SIP/alpha/5550003'),
    V('Dec 31 21:30:01', 3, 'SIP/alpha-00000003 is busy'),
    V('Dec 31 21:30:01', 3, 'Everyone is busy/congested at this time (1:1/0/0)'),
    V('Dec 31 23:59:58', 4, 'Executing [5550004@from-internal:1] Dial("SIP/100-00000004", "SIP/alpha/5550004,30") in new stack'),
    V('Dec 31 23:59:58', 4, 'Called SIP/alpha/5550004'),
  ];
  const newest = [
    V('Jan  1 00:00:03', 4, 'SIP/alpha-00000004 answered SIP/100-00000004'),
    V('Jan  1 00:01:03', 4, "Spawn extension (from-internal, 5550004, 1) exited non-zero on 'SIP/100-00000004'"),
    V('Jan  1 00:30:00', 5, 'Executing [5550005@from-internal:1] Dial("SIP/100-00000005", "SIP/alpha/5550005,30") in new stack'),
    V('Jan  1 00:30:00', 5, 'Called SIP/alpha/5550005'),
    V('Jan  1 00:30:01', 5, 'SIP/alpha-00000005 is busy'),
    V('Jan  1 00:30:01', 5, 'Everyone is busy/congested at this time (1:1/0/0)'),
  ];
  const yearNotes = (a: InputAccounting): string[] => a.notes.filter((n) => n.startsWith('yearInferredFrom'));

  it('each file counts its own stamps, and the later files name the file before as the source', () => {
    const { records, accounts } = chain([oldest, middle, newest].map((l) => l.join('\n') + '\n'));
    expect(records.map((r) => new Date(r.start).toISOString())).toEqual([
      '2024-12-31T20:10:00.000Z',
      '2024-12-31T20:59:50.000Z',
      '2024-12-31T21:30:00.000Z',
      '2024-12-31T23:59:58.000Z',
      '2025-01-01T00:30:00.000Z',
    ]);
    expect(yearNotes(accounts[0]!)).toEqual(['yearInferredFrom: 4 year-less timestamps took their year from the nearest earlier line with a full date in this file']);
    const fromBefore = 'yearInferredFrom: 4 year-less timestamps took their year from the file before in the chain (the year of its last time stamps, followed through the months)';
    expect(yearNotes(accounts[1]!)).toEqual([fromBefore]);
    expect(yearNotes(accounts[2]!)).toEqual([fromBefore]);
  });

  it('a full date of its own is named as this file’s; a year from the clock is said to come from there', () => {
    const banner = '[2024-12-31 21:00:00] Asterisk 13.38.3 built by root';
    const own = chain([oldest, [middle[0]!, banner, ...middle.slice(1)], newest].map((l) => l.join('\n') + '\n'));
    // the first stamp of the middle file comes before its banner: it goes on from the file before
    expect(yearNotes(own.accounts[1]!)).toEqual([
      'yearInferredFrom: 3 year-less timestamps took their year from the nearest earlier line with a full date in this file',
      'yearInferredFrom: 1 year-less timestamp took its year from the file before in the chain (the year of its last time stamps, followed through the months)',
    ]);
    const clock = chain([oldest.slice(1), middle].map((l) => l.join('\n') + '\n'));
    expect(yearNotes(clock.accounts[0]!)[0]).toMatch(/^yearInferredFrom: 4 year-less timestamps took their year from the current year/);
    expect(yearNotes(clock.accounts[1]!)).toEqual([
      'yearInferredFrom: 4 year-less timestamps took their year from the file before in the chain, which took it from the current year (no full date seen there)',
    ]);
  });
});
