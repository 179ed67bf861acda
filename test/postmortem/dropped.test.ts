import { describe, expect, it } from 'vitest';
import { diagnose, rawHeader, type Diagnosis } from '../../src/postmortem/diagnose.js';
import type { CallRecord, RtpSummary, SipMessage } from '../../src/types.js';

// A call through a proxy: caller A → proxy P → callee B (one Call-ID on both hops), times in ms.
const A = '10.1.1.1';
const P = '10.2.2.2';
const B = '10.3.3.3';

type Opt = Partial<SipMessage> & { at: number; from: string; to: string };
function m(o: Opt): SipMessage {
  const { at, from, to, ...rest } = o;
  return { ts: at, src: from, srcPort: 5060, dst: to, dstPort: 5060, transport: 'udp', isRequest: false, callId: 'c1', cseq: 1, cseqMethod: 'INVITE', fromTag: 'f', position: { file: 'x', packet: 1 }, ...rest };
}
const req = (method: string, at: number, from: string, to: string, o: Partial<SipMessage> = {}): SipMessage =>
  m({ isRequest: true, method, cseqMethod: method, at, from, to, toTag: method === 'INVITE' && o.cseq === undefined ? undefined : 't', ...o });
const resp = (status: number, reason: string, at: number, from: string, to: string, o: Partial<SipMessage> = {}): SipMessage => m({ status, reason, toTag: 't', at, from, to, ...o });

/** INVITE A→P→B, 200 B→P→A, ACK A→P→B: answered at 1,000 ms (B's 200 OK). */
function answered(okRaw?: string): SipMessage[] {
  return [
    req('INVITE', 0, A, P),
    req('INVITE', 10, P, B),
    resp(200, 'OK', 1000, B, P, okRaw ? { raw: okRaw } : {}),
    resp(200, 'OK', 1010, P, A),
    req('ACK', 1020, A, P, { cseqMethod: 'ACK' }),
    req('ACK', 1030, P, B, { cseqMethod: 'ACK' }),
  ];
}
const bye = (at: number, from: string, to: string, o: Partial<SipMessage> = {}): SipMessage => req('BYE', at, from, to, { cseq: 2, ...o });
const dropped = (ms: SipMessage[]): Diagnosis | undefined => diagnose(ms).find((d) => d.id === 'dropped');

describe('dropped: why an answered call ended', () => {
  it('a plain hang-up by either party is no diagnosis, relayed or not', () => {
    expect(dropped([...answered(), bye(60_000, A, P), bye(60_010, P, B), resp(200, 'OK', 60_020, B, P, { cseq: 2, cseqMethod: 'BYE' })])).toBeUndefined();
    expect(dropped([...answered(), bye(60_000, B, P), bye(60_010, P, A)])).toBeUndefined();
    // Q.850 16 (normal clearing) on the BYE: still a plain hang-up
    expect(dropped([...answered(), bye(60_000, B, P, { q850: 16 }), bye(60_010, P, A, { q850: 16 })])).toBeUndefined();
    // no BYE in the capture: its end is not known
    expect(dropped(answered())).toBeUndefined();
  });

  it('a BYE that neither party sent: the proxy tore the call down, toward both sides', () => {
    const d = dropped([...answered(), bye(95_000, P, A), bye(95_001, P, B, { q850: 102, reasonHeader: 'RTP timeout' })])!;
    expect(d.severity).toBe('warning');
    expect(d.text.en).toBe(
      'The call was torn down by 10.2.2.2, neither the caller (10.1.1.1) nor the callee (10.3.3.3): the BYE began there 1:34.0 after answer. A proxy or SBC ended it (a session or media timer, a duration limit, a failover).',
    );
    expect(d.evidence.map((e) => e.index)).toEqual([2, 6]);
    expect(d.evidence[1]!.what.en).toBe('BYE: 1:34.0 after answer, sent by 10.2.2.2');
    expect(d.text.ru).toContain('Вызов разорвал 10.2.2.2, а не вызывающая (10.1.1.1) и не вызываемая (10.3.3.3) сторона: BYE начался там через 1:34,0 после ответа.');
  });

  it('a BYE with an abnormal Q.850 cause, its Reason text and Asterisk hang-up cause quoted', () => {
    const raw = 'BYE sip:a@10.1.1.1 SIP/2.0\r\nCall-ID: c1\r\nX-Asterisk-HangupCause: Temporary failure\r\n\r\n';
    const d = dropped([...answered(), bye(70_000, B, P, { q850: 41, reasonHeader: 'Q.850;cause=41;text="media gone"', raw }), bye(70_010, P, A, { q850: 41 })])!;
    expect(d.severity).toBe('warning');
    expect(d.text.en).toBe(
      'The callee (10.3.3.3) ended the call 1:09.0 after answer, and not as a plain hang-up: its Reason is Q.850 cause 41 (Temporary failure), not a normal clearing; Reason: Q.850;cause=41;text="media gone"; X-Asterisk-HangupCause: Temporary failure.',
    );
    expect(d.text.ru.startsWith('Вызываемая сторона (10.3.3.3) завершила вызов через 1:09,0 после ответа, и это не обычный отбой: в Reason указана причина Q.850 41')).toBe(true);
  });

  it('a session timer that expired: Session-Expires agreed, no refresh, the BYE just before the expiry', () => {
    const ok = 'SIP/2.0 200 OK\r\nCall-ID: c1\r\nSession-Expires: 1800;refresher=uac\r\n\r\n';
    // RFC 4028: the BYE comes min(32 s, 1800/3) before the expiry: 1,768 s after the answer
    const d = dropped([...answered(ok), bye(1000 + 1_768_000, B, P), bye(1000 + 1_768_010, P, A)])!;
    expect(d.severity).toBe('error');
    expect(d.text.en).toBe(
      'The session timer expired: Session-Expires 1800 s was agreed, the caller to refresh it, no refresh (re-INVITE or UPDATE) came, and the callee (10.3.3.3) ended the call 29:28.0 after the answer, 32.0 s before the expiry (RFC 4028: the side that does not refresh ends it just before). Check that the refresher sends its re-INVITE or UPDATE at half the interval and that it gets through.',
    );
    expect(d.text.ru).toContain('вызываемая сторона (10.3.3.3) завершила вызов через 29:28,0 после ответа, за 32,0 с до истечения');
    // refreshed at half the interval: the timer did not expire, the hang-up later is a plain one
    const refreshed = [...answered(ok), req('UPDATE', 901_000, A, P, { cseq: 2 }), req('UPDATE', 901_010, P, B, { cseq: 2 }), resp(200, 'OK', 901_100, B, P, { cseq: 2, cseqMethod: 'UPDATE' }), resp(200, 'OK', 901_110, P, A, { cseq: 2, cseqMethod: 'UPDATE' })];
    expect(dropped([...refreshed, bye(1_769_000, B, P, { cseq: 3 }), bye(1_769_010, P, A, { cseq: 3 })])).toBeUndefined();
    // the compact form `x:` is read too; without any Session-Expires the same BYE is a plain hang-up
    const compact = dropped([...answered('SIP/2.0 200 OK\r\nx: 1800\r\n\r\n'), bye(1000 + 1_768_000, B, P), bye(1000 + 1_768_010, P, A)]);
    expect(compact?.text.en.startsWith('The session timer expired: Session-Expires 1800 s was agreed, no refresh')).toBe(true);
    expect(dropped([...answered(), bye(1000 + 1_768_000, B, P), bye(1000 + 1_768_010, P, A)])).toBeUndefined();
  });

  it('a request inside the call answered 481, or not at all, then the BYE', () => {
    const lost = dropped([...answered(), req('INVITE', 600_000, A, P, { cseq: 2 }), resp(481, 'Call/Transaction Does Not Exist', 600_050, P, A, { cseq: 2 }), bye(600_100, A, P, { cseq: 3 })])!;
    expect(lost.severity).toBe('error');
    expect(lost.text.en).toBe(
      'The call was dropped 9:59.1 after answer: the INVITE sent inside the call got 481 Call/Transaction Does Not Exist, and the caller (10.1.1.1) sent the BYE 0.1 s after that request. 10.2.2.2 no longer knew the dialog: it restarted, failed over, or lost the call\'s state.',
    );
    expect(lost.hint?.id).toBe('duplicate');
    // what the BYE says is quoted
    const said = dropped([...answered(), req('INVITE', 600_000, A, P, { cseq: 2 }), resp(481, 'Call/Transaction Does Not Exist', 600_050, P, A, { cseq: 2 }), bye(600_100, A, P, { cseq: 3, q850: 41, reasonHeader: 'Q.850;cause=41' })])!;
    expect(said.text.en.endsWith(" lost the call's state. The BYE carries Reason: Q.850;cause=41 (Temporary failure).")).toBe(true);
    expect(lost.evidence.map((e) => e.index)).toEqual([2, 6, 7, 8]);
    const silent = dropped([...answered(), req('UPDATE', 300_000, A, P, { cseq: 2 }), req('UPDATE', 300_500, A, P, { cseq: 2 }), bye(332_000, A, P, { cseq: 3 })])!;
    expect(silent.text.en).toContain('the UPDATE sent inside the call got no final response, and the caller (10.1.1.1) sent the BYE 32.0 s after that request. 10.2.2.2 stopped answering in the middle of the call');
    // relayed over the proxy: the 481 began at the callee, which is named
    const relayed = dropped([
      ...answered(),
      req('INVITE', 600_000, A, P, { cseq: 2 }),
      req('INVITE', 600_010, P, B, { cseq: 2 }),
      resp(481, 'Call/Transaction Does Not Exist', 600_040, B, P, { cseq: 2 }),
      resp(481, 'Call/Transaction Does Not Exist', 600_050, P, A, { cseq: 2 }),
      bye(600_100, A, P, { cseq: 3 }),
    ])!;
    expect(relayed.text.en).toContain('. 10.3.3.3 no longer knew the dialog');
    expect(relayed.evidence.map((e) => e.index)).toEqual([2, 6, 8, 10]);
    // a hang-up that crossed an unanswered request is not a drop; nor is a refused codec change (488)
    expect(dropped([...answered(), req('UPDATE', 300_000, A, P, { cseq: 2 }), bye(300_200, A, P, { cseq: 3 })])).toBeUndefined();
    expect(dropped([...answered(), req('INVITE', 300_000, A, P, { cseq: 2 }), resp(488, 'Not Acceptable Here', 300_050, P, A, { cseq: 2 }), bye(300_100, A, P, { cseq: 3 })])).toBeUndefined();
  });

  it('media that stopped well before the BYE: an RTP timeout, one side or both', () => {
    // answered at 1,000 ms; the BYE at 61,000 ms: 60 s after answer
    const rec = (rtp: RtpSummary): CallRecord => ({ callId: 'c1', route: 'r', start: 0, answer: 1000, codeSource: 'sip', flags: 0, source: { file: 'x' }, rtp });
    const ms = [...answered(), bye(61_000, A, P), bye(61_010, P, B)];
    const oneSide = diagnose(ms, [rec({ fromCaller: 3000, fromCallee: 1500, lastFromCaller: 59_980, lastFromCallee: 30_000 })]).find((d) => d.id === 'dropped')!;
    expect(oneSide.severity).toBe('warning');
    expect(oneSide.text.en).toBe(
      "Media stopped before the BYE: the last RTP from the callee came 0:30.0 after answer, 30.0 s before the caller (10.1.1.1) sent the BYE, while the caller's went on. The BYE looks like an RTP (media) timeout: the callee's side lost its network, or its media went elsewhere (NAT).",
    );
    expect(oneSide.text.ru).toContain('последний пакет RTP от вызываемой стороны пришёл через 0:30,0 после ответа, за 30,0 с до того, как вызывающая сторона (10.1.1.1) отправила BYE');
    const both = diagnose(ms, [rec({ fromCaller: 700, fromCallee: 700, lastFromCaller: 14_000, lastFromCallee: 14_020 })]).find((d) => d.id === 'dropped')!;
    expect(both.text.en.startsWith('Media stopped before the BYE: no RTP in either direction for the last 46.0 s before the caller (10.1.1.1) sent it (1:00.0 after answer).')).toBe(true);
    // RTP up to the BYE, or too little of it to tell, or a re-INVITE that may have put the call on hold: no conclusion
    expect(diagnose(ms, [rec({ fromCaller: 3000, fromCallee: 3000, lastFromCaller: 59_990, lastFromCallee: 59_970 })]).find((d) => d.id === 'dropped')).toBeUndefined();
    expect(diagnose(ms, [rec({ fromCaller: 3000, fromCallee: 20, lastFromCaller: 59_990, lastFromCallee: 400 })]).find((d) => d.id === 'dropped')).toBeUndefined();
    const held = [...answered(), req('INVITE', 20_000, A, P, { cseq: 2 }), resp(200, 'OK', 20_050, P, A, { cseq: 2 }), bye(61_000, A, P, { cseq: 3 })];
    expect(diagnose(held, [rec({ fromCaller: 3000, fromCallee: 900, lastFromCaller: 59_980, lastFromCallee: 19_000 })]).find((d) => d.id === 'dropped')).toBeUndefined();
  });

  it('a length of exactly a usual limit (to the second): info, the limit named', () => {
    const d = dropped([...answered(), bye(1000 + 3_600_400, B, P), bye(1000 + 3_600_410, P, A)])!;
    expect(d.severity).toBe('info');
    expect(d.text.en).toBe('The callee (10.3.3.3) ended the call 1:00:00.4 after answer, and not as a plain hang-up: the call lasted 1:00:00.4, within a second of 60 minutes: a maximum call duration limit.');
    expect(dropped([...answered(), bye(1000 + 3_602_000, B, P), bye(1000 + 3_602_010, P, A)])).toBeUndefined();
  });

  it('reads a header from raw text without regex: compact form, any case, not from the body', () => {
    const raw = 'SIP/2.0 200 OK\r\nSESSION-expires :  90;refresher=uas\r\nContent-Length: 12\r\n\r\nx: 5\r\n';
    expect(rawHeader(raw, 'session-expires', 'x')).toBe('90;refresher=uas');
    expect(rawHeader('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\nx: 5\r\n', 'session-expires', 'x')).toBeUndefined();
    expect(rawHeader('SIP/2.0 200 OK\nx:120\n\n', 'session-expires', 'x')).toBe('120');
    expect(rawHeader(undefined, 'session-expires')).toBeUndefined();
  });
});
