import { describe, expect, it } from 'vitest';
import { flagNames, type CallRecord } from '../../src/types.js';
import { A, B, Call, runTcp, runUdp, sdp, type Wire, T0 } from './scenario.js';

interface Scenario {
  name: string;
  wire: Wire[];
  check(records: CallRecord[]): void;
  opts?: { callTimeoutMs?: number; routeOf?: (a: string) => string | undefined };
}

const scenarios: Scenario[] = [];
function scenario(name: string, wire: Wire[], check: (r: CallRecord[]) => void, opts?: Scenario['opts']): void {
  scenarios.push({ name, wire, check, opts });
}

scenario(
  'answered call with BYE from the caller',
  new Call('c-answered')
    .invite(0, { sdp: sdp(A.addr, 20000) })
    .resp(20, 100, 'Trying')
    .resp(1500, 180, 'Ringing')
    .resp(9500, 200, 'OK', { sdp: sdp(B.addr, 30000) })
    .ack(9520)
    .bye(69500, false, { reason: 'Q.850;cause=16;text="Normal call clearing"' })
    .byeOk(69530, false).wire,
  (r) => {
    expect(r).toHaveLength(1);
    const c = r[0]!;
    expect(c).toMatchObject({
      callId: 'c-answered', route: B.addr, caller: '1001', callee: '4951234567', start: T0, ringing: T0 + 1500,
      answer: T0 + 9500, end: T0 + 69500, finalCode: 200, finalReason: 'OK', codeSource: 'sip', pdd: 1500,
      duration: 60000, disconnectedBy: 'caller', q850: 16, sdt: 30, userAgent: 'TestGW/2.0', srcAddr: A.addr, dstAddr: B.addr,
    });
    expect(c.flags).toBe(0);
  },
);

scenario(
  'time going backwards (joined captures): no negative PDD or duration, the flag says why',
  new Call('c-backwards')
    .invite(0)
    .resp(-4500, 180, 'Ringing')
    .resp(9500, 200, 'OK')
    .ack(9520)
    .bye(8500, false)
    .byeOk(8530, false).wire,
  (r) => {
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ finalCode: 200, answer: T0 + 9500, end: T0 + 8500 });
    expect(r[0]!.pdd).toBeUndefined();
    expect(r[0]!.duration).toBeUndefined();
    expect(flagNames(r[0]!.flags)).toEqual(['TimeBackwards']);
  },
);

scenario(
  'busy 486 with Reason Q.850 17',
  new Call('c-busy')
    .invite(0)
    .resp(10, 100, 'Trying')
    .resp(800, 486, 'Busy Here', { headers: 'Reason: Q.850;cause=17;text="User busy"\r\n' })
    .ack(810, { branch: 'z9hG4bK-inv1' }).wire,
  (r) => {
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ finalCode: 486, finalReason: 'Busy Here', q850: 17, pdd: 800, end: T0 + 800 });
    expect(r[0]!.answer).toBeUndefined();
    expect(r[0]!.ringing).toBeUndefined();
    expect(r[0]!.flags).toBe(0);
  },
);

scenario(
  'cancelled while ringing: 487, Cancelled, PDD to the 180',
  new Call('c-cancel')
    .invite(0)
    .resp(300, 180, 'Ringing')
    .cancel(5000)
    .resp(5010, 200, 'OK', { method: 'CANCEL' })
    .resp(5020, 487, 'Request Terminated')
    .ack(5030, { branch: 'z9hG4bK-inv1' }).wire,
  (r) => {
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ finalCode: 487, pdd: 300, ringing: T0 + 300, end: T0 + 5000 });
    expect(flagNames(r[0]!.flags)).toEqual(['Cancelled']);
  },
);

scenario(
  '407 challenge then INVITE with credentials answered = one attempt',
  new Call('c-auth')
    .invite(0, { cseq: 1, branch: 'z9hG4bK-a1' })
    .resp(15, 407, 'Proxy Authentication Required', { cseq: 1, branch: 'z9hG4bK-a1', toTag: 'chal' })
    .ack(20, { cseq: 1, branch: 'z9hG4bK-a1', toTag: 'chal' })
    .invite(40, { cseq: 2, branch: 'z9hG4bK-a2', auth: true })
    .resp(60, 100, 'Trying', { cseq: 2, branch: 'z9hG4bK-a2' })
    .resp(1040, 183, 'Session Progress', { cseq: 2, branch: 'z9hG4bK-a2', sdp: sdp(B.addr, 30000) })
    .resp(4040, 200, 'OK', { cseq: 2, branch: 'z9hG4bK-a2', sdp: sdp(B.addr, 30000) })
    .ack(4050, { cseq: 2 })
    .bye(10040, true, { cseq: 1 })
    .byeOk(10050, true, { cseq: 1 }).wire,
  (r) => {
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ finalCode: 200, start: T0, pdd: 1000, answer: T0 + 4040, duration: 6000, disconnectedBy: 'callee', earlyMedia: true });
    expect(flagNames(r[0]!.flags)).toEqual(['AuthChallenged', 'EarlyMedia']);
  },
);

scenario(
  'credentials typed after 50 s are still the same attempt',
  new Call('c-slow-auth')
    .invite(0, { cseq: 1, branch: 'z9hG4bK-s1' })
    .resp(150, 407, 'Proxy Authentication Required', { cseq: 1, branch: 'z9hG4bK-s1', toTag: 'c' })
    .ack(155, { cseq: 1, branch: 'z9hG4bK-s1', toTag: 'c' })
    .invite(51_000, { cseq: 2, branch: 'z9hG4bK-s2', auth: true })
    .resp(51_200, 403, 'Forbidden', { cseq: 2, branch: 'z9hG4bK-s2' }).wire,
  (r) => {
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ finalCode: 403, pdd: 200, start: T0 });
    expect(flagNames(r[0]!.flags)).toEqual(['AuthChallenged']);
  },
);

scenario(
  'a retry after the challenged attempt was closed by the idle timeout is a new attempt, not swallowed',
  new Call('c-very-slow-auth')
    .invite(0, { cseq: 1, branch: 'z9hG4bK-v1' })
    .resp(100, 401, 'Unauthorized', { cseq: 1, branch: 'z9hG4bK-v1', toTag: 'c' })
    .invite(700_000, { cseq: 2, branch: 'z9hG4bK-v2', auth: true })
    .resp(700_100, 200, 'OK', { cseq: 2, branch: 'z9hG4bK-v2' }).wire,
  (r) => {
    expect(r.map((x) => x.finalCode)).toEqual([401, 200]);
  },
);

scenario(
  'the INVITE with credentials from another source port (new socket) is the same attempt',
  (() => {
    const first = new Call('c-newport');
    first.invite(0, { cseq: 1, branch: 'z9hG4bK-p1' }).resp(20, 401, 'Unauthorized', { cseq: 1, branch: 'z9hG4bK-p1', toTag: 'c' });
    const second = new Call('c-newport', { addr: A.addr, port: 40123 });
    second.invite(60, { cseq: 2, branch: 'z9hG4bK-p2', auth: true }).resp(900, 180, 'Ringing', { cseq: 2, branch: 'z9hG4bK-p2' })
      .resp(3000, 486, 'Busy Here', { cseq: 2, branch: 'z9hG4bK-p2' });
    return [...first.wire, ...second.wire];
  })(),
  (r) => {
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ finalCode: 486, pdd: 840 });
    expect(flagNames(r[0]!.flags)).toEqual(['AuthChallenged']);
  },
);

scenario(
  '401 challenge never retried: final 401, not unfinished',
  new Call('c-401').invite(0).resp(10, 401, 'Unauthorized').ack(12, { branch: 'z9hG4bK-inv1' }).wire,
  (r) => {
    expect(r).toHaveLength(1);
    expect(r[0]!.finalCode).toBe(401);
    expect(flagNames(r[0]!.flags)).toEqual(['AuthChallenged']);
  },
);

scenario(
  'retransmitted INVITE and 200 are not double counted',
  new Call('c-retx')
    .invite(0)
    .invite(500)
    .invite(1500)
    .resp(1600, 100, 'Trying')
    .resp(2000, 180, 'Ringing')
    .resp(2100, 180, 'Ringing')
    .resp(3000, 200, 'OK')
    .resp(3500, 200, 'OK')
    .ack(3510)
    .bye(8000, false)
    .bye(8500, false)
    .byeOk(8600, false).wire,
  (r) => {
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ finalCode: 200, pdd: 2000, answer: T0 + 3000, duration: 5000, sdt: 600 });
    expect(flagNames(r[0]!.flags)).toEqual(['Retransmitted']);
  },
);

scenario(
  'forked 180s with different To-tags are one attempt',
  new Call('c-fork')
    .invite(0)
    .resp(200, 180, 'Ringing', { toTag: 'fork-a' })
    .resp(250, 180, 'Ringing', { toTag: 'fork-b' })
    .resp(4000, 200, 'OK', { toTag: 'fork-b' })
    .ack(4010, { toTag: 'fork-b' })
    .bye(6000, false, { toTag: 'fork-b' })
    .byeOk(6010, false, { toTag: 'fork-b' }).wire,
  (r) => {
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ finalCode: 200, pdd: 200, duration: 2000 });
    expect(flagNames(r[0]!.flags)).toEqual(['Forked']);
  },
);

scenario(
  're-INVITE inside the dialog is not a new attempt',
  new Call('c-reinv')
    .invite(0, { sdp: sdp(A.addr, 20000) })
    .resp(100, 200, 'OK', { sdp: sdp(B.addr, 30000) })
    .ack(110)
    .invite(5000, { cseq: 2, branch: 'z9hG4bK-re', toTag: 'ttag-1', sdp: sdp(A.addr, 20002) })
    .resp(5050, 200, 'OK', { cseq: 2, branch: 'z9hG4bK-re', sdp: sdp(B.addr, 30000) })
    .ack(5060, { cseq: 2 })
    .bye(9000, false, { cseq: 3 })
    .byeOk(9010, false, { cseq: 3 }).wire,
  (r) => {
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ finalCode: 200, answer: T0 + 100, duration: 8900 });
    expect(flagNames(r[0]!.flags)).toEqual(['ReInvite']);
  },
);

scenario(
  'a re-INVITE from the callee with the same CSeq number is not a fork or a new answer',
  (() => {
    const c = new Call('c-callee-reinv').invite(0).resp(100, 200, 'OK').ack(110);
    const reinvite = `INVITE sip:1001@${A.addr} SIP/2.0\r\nVia: SIP/2.0/UDP ${B.addr};branch=z9hG4bK-cre\r\n` +
      `From: <sip:4951234567@${B.addr}>;tag=ttag-1\r\nTo: <sip:1001@${A.addr}>;tag=${c.fromTag}\r\nCall-ID: c-callee-reinv\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n`;
    const ok = `SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP ${B.addr};branch=z9hG4bK-cre\r\n` +
      `From: <sip:4951234567@${B.addr}>;tag=ttag-1\r\nTo: <sip:1001@${A.addr}>;tag=${c.fromTag}\r\nCall-ID: c-callee-reinv\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n`;
    return c.raw(5000, false, reinvite).raw(5010, true, ok).bye(8000, false).byeOk(8010, false).wire;
  })(),
  (r) => {
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ finalCode: 200, answer: T0 + 100, duration: 7900 });
    expect(flagNames(r[0]!.flags)).toEqual(['ReInvite']);
  },
);

scenario(
  '200 never ACKed: NoAck',
  new Call('c-noack').invite(0).resp(100, 200, 'OK').resp(600, 200, 'OK').resp(1600, 200, 'OK').bye(33000, true).byeOk(33010, true).wire,
  (r) => {
    expect(r).toHaveLength(1);
    expect(r[0]!.disconnectedBy).toBe('callee');
    expect(flagNames(r[0]!.flags)).toEqual(['Retransmitted', 'NoAck']);
  },
);

scenario(
  'idle unanswered call is closed as timed out, the next one still counts',
  [
    ...new Call('c-idle').invite(0).resp(100, 180, 'Ringing').wire,
    ...new Call('c-later').invite(700_000).resp(700_100, 603, 'Decline').wire,
  ],
  (r) => {
    expect(r.map((x) => x.callId)).toEqual(['c-idle', 'c-later']);
    expect(flagNames(r[0]!.flags)).toEqual(['TimedOut']);
    expect(r[0]!.finalCode).toBeUndefined();
    expect(r[1]!.finalCode).toBe(603);
  },
);

scenario(
  'an answered call quiet for an hour between ACK and BYE keeps its whole talk time',
  [
    ...new Call('c-long').invite(0).resp(100, 200, 'OK').ack(110).wire,
    ...new Call('c-other').invite(1_800_000).resp(1_800_100, 486, 'Busy Here').wire,
    ...new Call('c-long').bye(3_600_110, false).wire,
  ],
  (r) => {
    const long = r.find((x) => x.callId === 'c-long')!;
    expect(flagNames(long.flags)).toEqual([]);
    expect(long.duration).toBe(3_600_010); // answer at 100 ms, BYE at 3,600,110 ms
  },
);

scenario(
  'an answered call with no BYE is closed as timed out after 4 hours',
  [
    ...new Call('c-lost').invite(0).resp(100, 200, 'OK').ack(110).wire,
    ...new Call('c-much-later').invite(4 * 3_600_000 + 60_000).resp(4 * 3_600_000 + 60_100, 404, 'Not Found').wire,
  ],
  (r) => {
    expect(r.map((x) => x.callId)).toEqual(['c-lost', 'c-much-later']);
    expect(flagNames(r[0]!.flags)).toEqual(['TimedOut']);
    expect(r[0]!.finalCode).toBe(200);
    expect(r[0]!.duration).toBeUndefined();
  },
);

scenario(
  'an INVITE that never gets any response is closed after Timer B as timed out',
  [
    ...new Call('c-silent').invite(0).invite(500).invite(1500).invite(3500).wire,
    ...new Call('c-next').invite(40_000).resp(40_100, 404, 'Not Found').wire,
  ],
  (r) => {
    expect(r.map((x) => x.callId)).toEqual(['c-silent', 'c-next']);
    expect(r[0]!.finalCode).toBeUndefined();
    expect(flagNames(r[0]!.flags)).toEqual(['Retransmitted', 'TimedOut']);
  },
);

scenario(
  'call still ringing at the end of the capture is Unfinished, not dropped',
  new Call('c-open').invite(0).resp(100, 180, 'Ringing').wire,
  (r) => {
    expect(r).toHaveLength(1);
    expect(r[0]!.finalCode).toBeUndefined();
    expect(r[0]!.codeSource).toBe('none');
    expect(flagNames(r[0]!.flags)).toEqual(['Unfinished']);
  },
);

scenario(
  'orphan responses, ACK and BYE without an INVITE make no attempt',
  new Call('c-orphan').resp(0, 180, 'Ringing').resp(100, 200, 'OK').ack(110).bye(5000, false).byeOk(5010, false).wire,
  (r) => expect(r).toHaveLength(0),
);

scenario(
  'late retransmissions after the final do not create a second attempt',
  new Call('c-late').invite(0).resp(100, 486, 'Busy Here').invite(400).resp(500, 486, 'Busy Here').wire,
  (r) => {
    expect(r).toHaveLength(1);
    expect(r[0]!.finalCode).toBe(486);
  },
);

/** The messages with their Via branch (RFC 2543 peers send none) or their From-tag taken out. */
function without(param: 'branch' | 'tag', wire: Wire[]): Wire[] {
  const at = param === 'branch' ? /;branch=[^;\r\n]*/ : /(\r\nFrom: [^\r\n]*);tag=[^;\r\n]*/;
  return wire.map((w) => ({ ...w, text: w.text.replace(at, param === 'branch' ? '' : '$1') }));
}

/** A busy call, then the same Call-ID reused 8 s later by a new dialog (another From-tag) that is answered. */
function reusedCallId(id: string): Call {
  const c = new Call(id).invite(0, { branch: 'z9hG4bK-old' }).resp(20, 486, 'Busy Here', { branch: 'z9hG4bK-old' })
    .ack(40, { branch: 'z9hG4bK-old' });
  c.fromTag = 'ftag-second';
  return c.invite(8000, { branch: 'z9hG4bK-new' }).resp(8020, 180, 'Ringing', { branch: 'z9hG4bK-new', toTag: 'tt2' })
    .resp(8520, 200, 'OK', { branch: 'z9hG4bK-new', toTag: 'tt2' }).ack(8540, { toTag: 'tt2' })
    .bye(9540, false, { toTag: 'tt2' }).byeOk(9560, false, { toTag: 'tt2' });
}

function checkReused(r: CallRecord[]): void {
  expect(r.map((x) => x.finalCode)).toEqual([486, 200]);
  expect(r[1]).toMatchObject({ start: T0 + 8000, pdd: 20, answer: T0 + 8520, duration: 1020, disconnectedBy: 'caller' });
  for (const x of r) expect(flagNames(x.flags)).toEqual([]);
}

scenario(
  'a Call-ID reused by a new dialog (another From-tag, the same CSeq) within the tombstone window is a second attempt',
  reusedCallId('c-reused').wire,
  checkReused,
);

scenario(
  'a Call-ID reused by a new dialog: RFC 2543 peers without Via branches (the From-tag decides)',
  without('branch', reusedCallId('c-reused-2543').wire),
  checkReused,
);

scenario(
  'without From-tags nothing proves a new dialog: an INVITE with the same CSeq in the window stays a late retransmission',
  without('tag', reusedCallId('c-reused-notag').wire),
  (r) => expect(r.map((x) => x.finalCode)).toEqual([486]),
);

scenario(
  'a late 486 of the closed dialog (its ACK lost) does not end the new dialog on the reused Call-ID',
  (() => {
    const c = new Call('c-reused-late486').invite(0).resp(20, 486, 'Busy Here');
    const oldTag = c.fromTag;
    c.fromTag = 'ftag-second';
    c.invite(1000, { branch: 'z9hG4bK-new' });
    c.fromTag = oldTag;
    c.resp(1020, 486, 'Busy Here').ack(1030, { branch: 'z9hG4bK-inv1' }); // Timer G retransmission, finally ACKed
    c.fromTag = 'ftag-second';
    return c.resp(1600, 180, 'Ringing', { branch: 'z9hG4bK-new', toTag: 'tt2' })
      .resp(3000, 200, 'OK', { branch: 'z9hG4bK-new', toTag: 'tt2' }).ack(3010, { toTag: 'tt2' }).wire;
  })(),
  (r) => {
    expect(r.map((x) => x.finalCode)).toEqual([486, 200]);
    expect(r[1]).toMatchObject({ start: T0 + 1000, ringing: T0 + 1600, answer: T0 + 3000 });
  },
);

scenario(
  'a BYE of the closed dialog re-sent (its 200 lost past the capture point) does not end the new dialog on the reused Call-ID',
  (() => {
    const c = new Call('c-reused-latebye').invite(0).resp(20, 200, 'OK').ack(30).bye(2000, false).byeOk(2010, false);
    const oldTag = c.fromTag;
    c.fromTag = 'ftag-second';
    c.invite(2500, { branch: 'z9hG4bK-new' }).resp(2700, 200, 'OK', { branch: 'z9hG4bK-new', toTag: 'tt2' }).ack(2710, { toTag: 'tt2' });
    c.fromTag = oldTag;
    c.bye(3000, false).byeOk(3010, false); // Timer E retransmission of the first BYE, answered again
    c.fromTag = 'ftag-second';
    return c.bye(9000, true, { toTag: 'tt2', cseq: 1 }).byeOk(9010, true, { toTag: 'tt2', cseq: 1 }).wire;
  })(),
  (r) => {
    expect(r.map((x) => x.finalCode)).toEqual([200, 200]);
    expect(r[0]).toMatchObject({ start: T0, duration: 1980, disconnectedBy: 'caller' });
    expect(r[1]).toMatchObject({ start: T0 + 2500, duration: 6300, disconnectedBy: 'callee', sdt: 10 });
    for (const x of r) expect(flagNames(x.flags)).toEqual([]);
  },
);

scenario(
  'a new dialog on a Call-ID whose challenged attempt is still open is another attempt; the challenge stays unanswered',
  (() => {
    const c = new Call('c-reused-open').invite(0).resp(20, 407, 'Proxy Authentication Required', { toTag: 'chal' })
      .ack(30, { branch: 'z9hG4bK-inv1', toTag: 'chal' });
    c.fromTag = 'ftag-second';
    return c.invite(5000, { branch: 'z9hG4bK-new' }).resp(5300, 200, 'OK', { branch: 'z9hG4bK-new', toTag: 'tt2' })
      .ack(5310, { toTag: 'tt2' }).bye(7000, true, { toTag: 'tt2', cseq: 1 }).byeOk(7010, true, { toTag: 'tt2', cseq: 1 }).wire;
  })(),
  (r) => {
    expect(r.map((x) => x.finalCode)).toEqual([200, 407]);
    expect(r[0]).toMatchObject({ start: T0 + 5000, duration: 1700, disconnectedBy: 'callee' });
    expect(flagNames(r[0]!.flags)).toEqual([]);
    expect(flagNames(r[1]!.flags)).toEqual(['AuthChallenged']);
  },
);

scenario(
  'a new dialog on a Call-ID whose answered call still waits for the 200 to its BYE is another attempt',
  (() => {
    const c = new Call('c-reused-bye').invite(0).resp(20, 200, 'OK').ack(30).bye(2000, false);
    c.fromTag = 'ftag-second';
    return c.invite(3000, { branch: 'z9hG4bK-new' }).resp(3200, 486, 'Busy Here', { branch: 'z9hG4bK-new', toTag: 'tt2' }).wire;
  })(),
  (r) => {
    expect(r.map((x) => x.finalCode)).toEqual([486, 200]);
    expect(r[0]).toMatchObject({ start: T0 + 3000 });
    expect(r[1]).toMatchObject({ start: T0, duration: 1980, disconnectedBy: 'caller' });
    for (const x of r) expect(flagNames(x.flags)).toEqual([]);
  },
);

scenario(
  'an INVITE with credentials under another From-tag is another dialog: the challenge and the answered call are two attempts',
  (() => {
    const c = new Call('c-auth-newtag').invite(0, { branch: 'z9hG4bK-t1' })
      .resp(20, 401, 'Unauthorized', { branch: 'z9hG4bK-t1', toTag: 'chal' });
    c.fromTag = 'ftag-retry';
    return c.invite(60, { cseq: 2, branch: 'z9hG4bK-t2', auth: true }).resp(900, 200, 'OK', { cseq: 2, branch: 'z9hG4bK-t2' })
      .ack(910, { cseq: 2 }).bye(3000, false, { cseq: 3 }).byeOk(3010, false, { cseq: 3 }).wire;
  })(),
  (r) => {
    expect(r.map((x) => x.finalCode)).toEqual([200, 401]);
    expect(r[0]).toMatchObject({ start: T0 + 60, pdd: 840, duration: 2100, disconnectedBy: 'caller' });
    expect(flagNames(r[0]!.flags)).toEqual([]);
    expect(flagNames(r[1]!.flags)).toEqual(['AuthChallenged']);
  },
);

scenario(
  'route comes from routeOf on the INVITE destination',
  new Call('c-route').invite(0).resp(50, 503, 'Service Unavailable').wire,
  (r) => expect(r[0]!.route).toBe('VendorB'),
  { routeOf: (a) => (a === B.addr ? 'VendorB' : undefined) },
);

scenario(
  'a proxy capture: the same Call-ID on two hops is two attempts, each on its route',
  (() => {
    const P = { addr: '203.0.113.5', port: 5060 };
    const leg1 = new Call('c-proxy', A, P);
    const leg2 = new Call('c-proxy', P, B);
    leg2.fromTag = leg1.fromTag;
    leg1.invite(0, { branch: 'z9hG4bK-l1' });
    leg2.invite(10, { branch: 'z9hG4bK-l2' });
    leg2.resp(300, 180, 'Ringing', { branch: 'z9hG4bK-l2' });
    leg1.resp(310, 180, 'Ringing', { branch: 'z9hG4bK-l1' });
    leg2.resp(2000, 200, 'OK', { branch: 'z9hG4bK-l2' });
    leg1.resp(2010, 200, 'OK', { branch: 'z9hG4bK-l1' });
    // ACK and BYE go end to end (the proxy did not record-route).
    const direct = new Call('c-proxy', A, B);
    direct.fromTag = leg1.fromTag;
    direct.ack(2020).bye(7000, true).byeOk(7010, true);
    return [...leg1.wire, ...leg2.wire, ...direct.wire].sort((x, y) => x.ts - y.ts);
  })(),
  (r) => {
    expect(r.map((x) => x.route).sort()).toEqual([B.addr, '203.0.113.5'].sort());
    for (const c of r) {
      expect(c.finalCode).toBe(200);
      expect(c.disconnectedBy).toBe('callee');
      expect(c.flags).toBe(0);
    }
  },
);

describe('CallTracker scenarios (UDP)', () => {
  for (const s of scenarios) it(s.name, () => s.check(runUdp(s.wire, s.opts)));
});

describe('CallTracker scenarios through the TCP framer', () => {
  for (const chunk of [1, 7, 1000]) {
    for (const s of scenarios) it(`${s.name} (${chunk}-byte chunks)`, () => s.check(runTcp(s.wire, chunk, s.opts)));
  }
});

describe('CallTracker memory', () => {
  it('finished calls leave the table and tombstones stay capped', async () => {
    const { CallTracker } = await import('../../src/sip/tracker.js');
    const { scanAll } = await import('./scenario.js');
    let n = 0;
    const t = new CallTracker({ record: () => n++ }, { tombstoneCap: 100 });
    for (let i = 0; i < 2000; i++) {
      for (const m of scanAll(new Call(`mem-${i}`).invite(i * 10).resp(i * 10 + 5, 486, 'Busy Here').wire)) t.add(m);
    }
    expect(t.open).toBe(0);
    expect(n).toBe(2000);
    expect((t as unknown as { tombstones: Map<string, string> }).tombstones.size).toBe(100);
  });

  it('swallows a late INVITE of a call still remembered, not of one forgotten past the cap (queue compacted on the way)', async () => {
    const { CallTracker } = await import('../../src/sip/tracker.js');
    const { scanAll } = await import('./scenario.js');
    const records: CallRecord[] = [];
    const t = new CallTracker({ record: (r) => records.push(r) }, { tombstoneCap: 100 });
    // 6000 burials: the queue is compacted past 4096, and a Call-ID buried twice leaves a stale slot.
    const calls = Array.from({ length: 6000 }, (_, i) => new Call(`late-${i}`).invite(i * 10).resp(i * 10 + 5, 486, 'Busy Here'));
    for (const c of calls) for (const m of scanAll(c.wire)) t.add(m);
    // The same Call-ID retried with a higher CSeq is a new attempt: buried again, its first slot goes stale.
    for (const m of scanAll(new Call('late-5950').invite(60_000, { cseq: 2 }).resp(60_005, 486, 'Busy Here', { cseq: 2 }).wire)) t.add(m);
    expect(records).toHaveLength(6001);
    const late = (i: number) => scanAll(new Call(`late-${i}`).invite(70_000 + i).wire)[0]!;
    t.add(late(5999)); // remembered: a retransmission of a finished call
    t.add(late(5950)); // buried twice, still remembered
    t.add(late(0)); // forgotten long ago: a new call
    t.end();
    expect(records.map((r) => r.callId).slice(6001)).toEqual(['late-0']);
    expect((t as unknown as { tombstones: Map<string, number> }).tombstones.size).toBe(100);
  });

  it('remembers a finished call for TOMBSTONE_MS of capture time, then forgets it', async () => {
    const { CallTracker, TOMBSTONE_MS } = await import('../../src/sip/tracker.js');
    const { scanAll } = await import('./scenario.js');
    const records: CallRecord[] = [];
    const t = new CallTracker({ record: (r) => records.push(r) }, {});
    const tombstones = (t as unknown as { tombstones: Map<string, number> }).tombstones;
    const busy = (id: string, at: number) => scanAll(new Call(id).invite(at).resp(at + 5, 486, 'Busy Here').wire);
    for (const m of [...busy('a', 0), ...busy('b', 1000)]) t.add(m);
    const late = (id: string, at: number) => scanAll(new Call(id).invite(at).wire)[0]!;
    t.add(late('a', TOMBSTONE_MS - 1000)); // within the window: a retransmission, swallowed
    expect(records).toHaveLength(2);
    // A burial past the window of 'a' (buried at 5 ms) drops it from the Map; 'b' (1005 ms) stays.
    for (const m of busy('c', TOMBSTONE_MS + 500)) t.add(m);
    expect([...tombstones.keys()]).toEqual(['b', 'c']);
    // 'b' is still in the Map but its burial is older than the window: the INVITE is a new attempt.
    t.add(late('b', TOMBSTONE_MS + 2000));
    t.add(late('a', TOMBSTONE_MS + 2000));
    t.end();
    expect(records.map((r) => r.callId)).toEqual(['a', 'b', 'c', 'b', 'a']);
  });
});

describe('CallTracker sweeps', () => {
  // A sweep skips the table while no attempt can be due; every event that brings a deadline closer must
  // say so, or the attempt is closed late (here: only at the end). An answered call stays up throughout
  // (due in 4 hours).
  async function tracker(opts: { callTimeoutMs?: number } = {}) {
    const { CallTracker } = await import('../../src/sip/tracker.js');
    const { scanAll } = await import('./scenario.js');
    const out: string[] = [];
    const t = new CallTracker({ record: (r) => out.push(r.callId) }, opts);
    const feed = (w: Wire[]): void => {
      for (const m of scanAll(w)) t.add(m);
    };
    // A BYE of an unknown call: ignored, but its time drives the sweeps.
    const tick = (ms: number): string[] => {
      feed(new Call(`tick-${ms}`).bye(ms, false).wire);
      return [...out];
    };
    feed(new Call('long').invite(0).resp(500, 200, 'OK').ack(520).wire);
    return { t, out, feed, tick };
  }

  it('closes an unanswered INVITE, a BYE without response and a retried INVITE at the first sweep after Timer B', async () => {
    const { t, out, feed, tick } = await tracker();
    feed(new Call('silent').invite(100_000).wire);
    expect(tick(131_000)).toEqual([]);
    expect(tick(142_000)).toEqual(['silent']);
    // Answered, a sweep (due in 4 hours again), then a BYE that gets no response.
    const hangup = new Call('hangup');
    feed(hangup.invite(200_000).resp(200_500, 200, 'OK').ack(200_520).wire);
    expect(tick(235_000)).toEqual(['silent']);
    feed(hangup.bye(240_000, false).wire.slice(-1));
    expect(tick(271_000)).toEqual(['silent']);
    expect(tick(282_000)).toEqual(['silent', 'hangup']);
    // Challenged (due when idle for the time-out), a sweep, then retried: Timer B again from the retry.
    feed(new Call('retry').invite(400_000).resp(400_100, 401, 'Unauthorized').wire);
    expect(tick(433_000)).toEqual(['silent', 'hangup']);
    feed(new Call('retry').invite(440_000, { cseq: 2, auth: true }).wire);
    expect(tick(471_000)).toEqual(['silent', 'hangup']);
    expect(tick(482_000)).toEqual(['silent', 'hangup', 'retry']);
    t.end();
    expect(out).toEqual(['silent', 'hangup', 'retry', 'long']);
  });

  it('closes a ringing attempt idle for a time-out shorter than Timer B', async () => {
    const { t, out, feed, tick } = await tracker({ callTimeoutMs: 5000 });
    feed(new Call('ring').invite(300_000).resp(300_500, 180, 'Ringing').wire);
    expect(tick(305_000)).toEqual([]);
    expect(tick(306_600)).toEqual(['ring']);
    t.end();
    expect(out).toEqual(['ring', 'long']);
  });
});

describe('CallTracker RTP lookup', () => {
  it('a datagram to an endpoint whose key collides with an announced one is not that call\'s', async () => {
    const { CallTracker, mediaKey } = await import('../../src/sip/tracker.js');
    const { ReusedPayload } = await import('../../src/net/payload.js');
    const { scanAll } = await import('./scenario.js');
    // The caller announces 10.0.0.1:20000; find another address and a port with the same key
    // (key = (imul(address, K) ^ port) & 0x3fffffff: the port only reaches the low 16 bits).
    const announced = Uint8Array.of(10, 0, 0, 1);
    const k1 = mediaKey(announced, 20000);
    let other: Uint8Array | undefined;
    let port = -1;
    for (let i = 0; i < 1 << 24 && !other; i++) {
      const a = Uint8Array.of(10, (i >> 16) & 255, (i >> 8) & 255, i & 255);
      const p = (mediaKey(a, 0) ^ k1) & 0x3fffffff;
      if (p < 65536 && mediaKey(a, p) === k1 && a[3] !== 1) {
        other = a;
        port = p;
      }
    }
    expect(other).toBeDefined();
    const records: CallRecord[] = [];
    const t = new CallTracker({ record: (r) => records.push(r) }, {});
    const call = new Call('rtp-collide').invite(0, { sdp: sdp('10.0.0.1', 20000) }).resp(100, 200, 'OK', { sdp: sdp('198.51.100.20', 30000) }).ack(110);
    for (const m of scanAll(call.wire)) t.add(m);
    const rtp = new Uint8Array(172);
    rtp[0] = 0x80; // version 2, PCMU
    // From a source no SDP announced, so that only the destination can match.
    const to = (dst: Uint8Array, dport: number): boolean => {
      const p = new ReusedPayload(Uint8Array.of(203, 0, 113, 9), dst, rtp);
      p.ts = T0 + 500;
      p.srcPort = 40000;
      p.dstPort = dport;
      p.at(rtp, 0, rtp.length);
      return t.rtp(p);
    };
    expect(to(other!, port)).toBe(false);
    expect(to(announced, 20000)).toBe(true);
    t.end();
    expect(records[0]!.rtp).toEqual({ fromCallee: 1, fromCaller: 0, firstFromCalleeAfterAnswer: 400, lastFromCallee: 400, ringbackAfterAnswer: undefined });
  });
});
