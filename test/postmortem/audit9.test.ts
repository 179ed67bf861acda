/**
 * Diagnoses corrected after audit 9: a private SDP address is blamed for one-way audio only when it is where the
 * silent side sends and that side is elsewhere; a 408 after a provisional answer is not sent to the firewall; a
 * 404 gets its own hint, not the carrier's `no-route`; Russian counts take their plural form and decimals a comma.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectCall, specsOf } from '../../src/postmortem/collect.js';
import { diagnose, type Diagnosis } from '../../src/postmortem/diagnose.js';
import { buildFlow, flowText } from '../../src/postmortem/ladder.js';
import { ruCount, ruDecimal, ruPlural, ruTimes } from '../../src/postmortem/ru.js';
import type { CallRecord, SipMessage } from '../../src/types.js';

let t = 0;
type Opt = Partial<SipMessage> & { at?: number };
/** A message; `src`/`dst` default to the hop caller 10.0.2.20 → callee 10.0.2.15 (requests) and back (responses). */
function m(o: Opt): SipMessage {
  const { at, ...rest } = o;
  const req = rest.isRequest ?? false;
  return {
    ts: at ?? (t += 10), src: req ? '10.0.2.20' : '10.0.2.15', srcPort: 5060, dst: req ? '10.0.2.15' : '10.0.2.20', dstPort: 5060, transport: 'udp', isRequest: false,
    callId: 'c9', cseq: 1, cseqMethod: 'INVITE', fromTag: 'f', position: { file: 'x', packet: 1 }, ...rest,
  };
}
const inv = (o: Opt = {}): SipMessage => m({ isRequest: true, method: 'INVITE', requestUri: 'sip:100@10.0.2.15', toUser: '100', ...o });
const resp = (status: number, reason: string, o: Opt = {}): SipMessage => m({ status, reason, toTag: status > 100 ? 't' : undefined, ...o });
const req = (method: string, o: Opt = {}): SipMessage => m({ isRequest: true, method, cseqMethod: method, toTag: 't', ...o });
const record = (o: Partial<CallRecord>): CallRecord => ({ callId: 'c9', route: 'r', start: 0, codeSource: 'sip', flags: 0, source: { file: 'x' }, answer: 1, ...o });
const sdp = (addr: string, port: number) => ({ addr, port, codecs: ['PCMU'] });
const only = (ds: Diagnosis[], id: string): Diagnosis => {
  expect(ds.map((d) => d.id)).toEqual([id]);
  return ds[0]!;
};

describe('one-way audio: a private address is blamed only where the silent side sends and cannot reach', () => {
  /** Offer from `caller` (its SDP `offer`), answer from `callee` (SDP `answer`), on the signalling hop caller → callee. */
  const call = (caller: string, callee: string, offer: string, answer: string): SipMessage[] => {
    t = 0;
    return [
      inv({ src: caller, dst: callee, sdp: sdp(offer, 6000) }),
      resp(200, 'OK', { src: callee, dst: caller, sdp: sdp(answer, 27942) }),
      req('ACK', { src: caller, dst: callee }),
    ];
  };

  it('the corpus case: every address in 10.0.2.0/24, the callee heard, the caller silent: no NAT blamed, the silent direction named', () => {
    const ms = call('10.0.2.20', '10.0.2.15', '10.0.2.20', '10.0.2.15');
    const d = only(diagnose(ms, [record({ srcAddr: '10.0.2.20', dstAddr: '10.0.2.15', rtp: { fromCaller: 0, fromCallee: 425 } })]), 'one-way-audio');
    expect(d.hint).toBeUndefined();
    expect(d.text.en).toContain("425 RTP packets came from the callee, and none from the caller to the callee's media address 10.0.2.15:27942.");
    expect(d.text.en).toContain('so address translation (NAT) is not the cause');
    expect(d.text.en).not.toContain('cannot arrive');
    expect(d.text.ru).toContain('после ответа от вызываемого пришло 425 пакетов RTP, а от вызывающего к медиаадресу вызываемого 10.0.2.15:27942 — ни одного.');
    expect(d.evidence.map((e) => e.what.en)).toEqual(["200 OK: answer; RTP caller→callee 0, callee→caller 425; the callee's media address 10.0.2.15:27942: no RTP seen going to it"]);
  });

  it('a phone behind NAT: its private address is where the silent public side sends: blamed, with the hint', () => {
    // the caller announces 192.168.1.10 but signals from the NAT's public address; the carrier's media never arrives
    const ms = call('203.0.113.7', '198.51.100.20', '192.168.1.10', '198.51.100.30');
    const d = only(diagnose(ms, [record({ srcAddr: '203.0.113.7', dstAddr: '198.51.100.20', rtp: { fromCaller: 300, fromCallee: 0 } })]), 'one-way-audio');
    expect(d.hint?.id).toBe('private-ip');
    expect(d.text.en).toContain("The caller's SDP announces a private address (192.168.1.10) that the callee at 198.51.100.30 cannot reach from its network");
    expect(d.text.ru).toContain('В SDP вызывающего указан частный адрес (192.168.1.10), недоступный из сети вызываемого (198.51.100.30)');
    expect(d.evidence.map((e) => e.what.en)).toEqual([
      "INVITE: the caller's media address 192.168.1.10:6000, private: not reachable from 198.51.100.30",
      '200 OK: answer; RTP caller→callee 300, callee→caller 0',
    ]);
  });

  it('the same call heard the other way: the private address is where media arrived: not blamed', () => {
    const ms = call('203.0.113.7', '198.51.100.20', '192.168.1.10', '198.51.100.30');
    const d = only(diagnose(ms, [record({ srcAddr: '203.0.113.7', dstAddr: '198.51.100.20', rtp: { fromCaller: 0, fromCallee: 300 } })]), 'one-way-audio');
    expect(d.hint).toBeUndefined();
    expect(d.text.en).not.toContain('192.168.1.10');
    expect(d.text.en).toContain("none from the caller to the callee's media address 198.51.100.30:27942. Check NAT and the media addresses in the SDP of both sides.");
  });

  it('two private networks: blamed; the same /24 behind public signalling: neutral, neither blamed nor cleared', () => {
    const other = call('10.0.2.20', '172.16.5.1', '10.0.2.20', '172.16.5.1');
    expect(diagnose(other, [record({ srcAddr: '10.0.2.20', dstAddr: '172.16.5.1', rtp: { fromCaller: 50, fromCallee: 0 } })])[0]!.hint?.id).toBe('private-ip');
    const sameNet = call('203.0.113.7', '198.51.100.20', '192.168.1.10', '192.168.1.20');
    const d = only(diagnose(sameNet, [record({ srcAddr: '203.0.113.7', dstAddr: '198.51.100.20', rtp: { fromCaller: 50, fromCallee: 0 } })]), 'one-way-audio');
    expect(d.hint).toBeUndefined();
    expect(d.text.en).toContain('Check NAT and the media addresses in the SDP of both sides.');
    expect(d.text.en).not.toContain('not the cause');
  });

  it('counts in Russian: 1 пакет пришёл, 2–4 пакета, 11–14 пакетов, 21 пакет; English "1 RTP packet"', () => {
    const ms = call('10.0.2.20', '10.0.2.15', '10.0.2.20', '10.0.2.15');
    const ru = (n: number): string => diagnose(ms, [record({ srcAddr: '10.0.2.20', dstAddr: '10.0.2.15', rtp: { fromCaller: 0, fromCallee: n } })])[0]!.text.ru;
    expect(ru(1)).toContain('пришёл 1 пакет RTP');
    expect(ru(201)).toContain('пришёл 201 пакет RTP');
    expect(ru(192)).toContain('пришло 192 пакета RTP');
    expect(ru(151)).toContain('пришёл 151 пакет RTP');
    expect(ru(112)).toContain('пришло 112 пакетов RTP');
    expect(ru(425)).toContain('пришло 425 пакетов RTP');
    expect(diagnose(ms, [record({ srcAddr: '10.0.2.20', dstAddr: '10.0.2.15', rtp: { fromCaller: 0, fromCallee: 1 } })])[0]!.text.en).toContain('1 RTP packet came from the callee');
  });
});

describe('408: a provisional answer proves the transport; the CANCEL and the request each 408 answers are named', () => {
  const P = '200.68.120.81';
  const A = '192.168.1.2';
  const up = { src: A, dst: P };
  const down = { src: P, dst: A };

  it('100 Trying, the caller cancels (no 200 for it), 408 to the INVITE, then 408 to the CANCEL', () => {
    t = 0;
    const ms = [
      inv({ ...up, at: 0 }),
      inv({ ...up, at: 500 }),
      resp(100, 'Trying', { ...down, at: 2216 }),
      req('CANCEL', { ...up, at: 34119, toTag: undefined }),
      req('CANCEL', { ...up, at: 34627, toTag: undefined }),
      resp(408, 'Request Timeout', { ...down, at: 36773 }),
      req('ACK', { ...up, at: 36781 }),
      resp(408, 'Request Timeout', { ...down, at: 67090, cseqMethod: 'CANCEL' }),
    ];
    const d = only(diagnose(ms), 'timeout');
    expect(d.severity).toBe('error');
    expect(d.hint).toBeUndefined();
    expect(d.text.en).toContain(`The INVITE got through but no final response came in time: ${P} answered 100 Trying 2.2 s after it, so the transport and firewall on the way to it work`);
    expect(d.text.en).toContain(`36.8 s after the INVITE, ${P} answered 408: a transaction timer fired there or behind it.`);
    expect(d.text.en).not.toMatch(/no answer came back|Check the firewall/);
    expect(d.text.en).toContain('The caller had given up 34.1 s after the INVITE: its CANCEL (sent 2 times) got no 200 OK; the only final to it, 408 Request Timeout, answers the CANCEL, not the INVITE.');
    expect(d.text.ru).toContain('через 2,2 с после него');
    expect(d.text.ru).toContain('на его CANCEL (отправлен 2 раза) не пришёл 200 OK');
    expect(d.evidence.map((e) => [e.index, e.what.en])).toEqual([
      [0, 'INVITE: request'],
      [2, `100 Trying: ${P} answered: the INVITE arrived`],
      [3, 'CANCEL: caller gave up (sent 2 times); no 200 OK for the CANCEL'],
      [5, `408 Request Timeout: answers the INVITE (CSeq 1 INVITE), 36.8 s after it; from ${P}`],
      [7, '408 Request Timeout: answers the CANCEL (CSeq 1 CANCEL), not the INVITE'],
    ]);
    // the ladder says which request a failure to another method answers
    const flow = buildFlow('c9', [{ callId: 'c9', by: 'self', messages: ms, records: [] }]);
    expect(flow.messages[5]!.meaning!.en).not.toContain('Answers the');
    expect(flow.messages[7]!.meaning!.en).toMatch(/^Answers the CANCEL: /);
    expect(flow.messages[7]!.meaning!.ru).toMatch(/^Ответ на CANCEL: /);
    expect(flowText(flow, { lang: 'en' })).toContain('Answers the CANCEL: ');
  });

  it('after ringing the 408 is a ring-out; a CANCEL accepted with 200 is said so', () => {
    t = 0;
    const rang = only(diagnose([inv({ ...up, at: 0 }), resp(100, 'Trying', { ...down, at: 5 }), resp(180, 'Ringing', { ...down, at: 7628 }), resp(408, 'Request Timeout', { ...down, at: 35674 })]), 'timeout');
    expect(rang.hint).toBeUndefined();
    expect(rang.text.en).toContain('answered 100 Trying 5 ms after it');
    expect(rang.text.en).toContain('The callee was alerted (180 Ringing 7.6 s after the INVITE) but nobody answered before that timer');
    expect(rang.text.ru).toContain('Абоненту звонили (180 Ringing через 7,6 с после INVITE)');
    // (the CANCEL's 200 also makes it `cancelled`)
    const both = diagnose([inv({ ...up, at: 0 }), resp(100, 'Trying', { ...down, at: 5 }), req('CANCEL', { ...up, at: 9000, toTag: undefined }), resp(200, 'OK', { ...down, at: 9010, cseqMethod: 'CANCEL' }), resp(408, 'Request Timeout', { ...down, at: 32000 })]);
    expect(both.map((d) => d.id)).toEqual(['timeout', 'cancelled']);
    const accepted = both[0]!;
    expect(accepted.text.en).toContain('The caller had cancelled 9.0 s after the INVITE and the CANCEL was accepted (200 OK), yet the INVITE ended with this 408 rather than 487 Request Terminated.');
  });

  it('no answer at all before the 408, or a downstream hop that never answered: the transport hint stays', () => {
    t = 0;
    const bare = only(diagnose([inv({ ...up, at: 0 }), resp(408, 'Request Timeout', { ...down, at: 32000 })]), 'timeout');
    expect(bare.hint?.id).toBe('timeout-transport');
    expect(bare.text.en).toContain('Check the firewall');
    // the proxy answered 100 and forwarded the INVITE to 10.9.9.9, which never answered: that hop is the suspect
    const D = '10.9.9.9';
    const fwd = only(
      diagnose([
        inv({ ...up, at: 0 }),
        resp(100, 'Trying', { ...down, at: 5 }),
        inv({ src: P, dst: D, at: 10 }),
        inv({ src: P, dst: D, at: 510 }),
        resp(408, 'Request Timeout', { ...down, at: 32000 }),
      ]),
      'timeout',
    );
    expect(fwd.hint?.id).toBe('timeout-transport');
    expect(fwd.text.en).toContain(`${P} forwarded the INVITE to ${D}, which never answered it, not even with 100 Trying. Check the firewall, the transport (UDP ↔ TCP) and whether ${D} is reachable.`);
    expect(fwd.evidence.map((e) => e.what.en)).toContain(`INVITE: forwarded to ${D}: no answer at all`);
  });

  it('no final response at all, but a 100 Trying and 32 s: stuck behind the next hop, not its transport', () => {
    t = 0;
    const d = only(diagnose([inv({ ...up, at: 0 }), resp(100, 'Trying', { ...down, at: 5 }), resp(180, 'Ringing', { ...down, at: 900 }), req('INFO', { ...up, at: 33000, cseq: 2, cseqMethod: 'INFO' })]), 'timeout');
    expect(d.hint).toBeUndefined();
    expect(d.text.en).toContain(`although ${P} answered it with 100 Trying: the INVITE got through and the transport to it works`);
    expect(d.text.ru).toContain('за 33,0 с записи');
  });
});

describe('no-route hints follow the README: 484 number-incomplete, a routing 403 no-route, else the code\'s own', () => {
  it('a plain 404 or 604 has no hint of its own: none, not the carrier "no gateway in your plan"', () => {
    t = 0;
    expect(only(diagnose([inv(), resp(404, 'Not Found')]), 'no-route').hint).toBeUndefined();
    expect(only(diagnose([inv(), resp(604, 'Does Not Exist Anywhere')]), 'no-route').hint).toBeUndefined();
    expect(only(diagnose([inv(), resp(484, 'Address Incomplete')]), 'no-route').hint?.id).toBe('number-incomplete');
    expect(only(diagnose([inv(), resp(403, 'Forbidden destination')]), 'no-route').hint?.id).toBe('no-route');
  });
});

describe('Russian numbers: plural forms and the decimal comma', () => {
  it('ruPlural: 1, 21, 101 → one; 2–4, 22–24 → few; 0, 5–20, 111–114, 25 → many', () => {
    const f = (n: number): string => ruPlural(n, 'пакет', 'пакета', 'пакетов');
    expect([1, 21, 101, 151, 201, 1001].map(f)).toEqual(Array(6).fill('пакет'));
    expect([2, 3, 4, 22, 34, 192, 1002].map(f)).toEqual(Array(7).fill('пакета'));
    expect([0, 5, 10, 11, 12, 13, 14, 19, 20, 25, 111, 112, 114, 425].map(f)).toEqual(Array(14).fill('пакетов'));
    expect(ruCount(192, 'пакет', 'пакета', 'пакетов')).toBe('192 пакета');
    expect([1, 2, 5, 11, 22].map(ruTimes)).toEqual(['1 раз', '2 раза', '5 раз', '11 раз', '22 раза']);
    expect(ruDecimal('3.2')).toBe('3,2');
  });

  it('diagnosis texts: "отправлен 3 раза", "после 3,2 с звонка", "прошёл 2 участка", no "раз(а)"', () => {
    t = 0;
    const noAck = diagnose([inv({ at: 0 }), resp(200, 'OK', { at: 1000 }), resp(200, 'OK', { at: 1500 }), resp(200, 'OK', { at: 2500 }), req('BYE', { at: 33000, src: '10.0.2.15', dst: '10.0.2.20', cseq: 2, cseqMethod: 'BYE' })]);
    expect(noAck[0]!.text.ru).toContain('200 OK отправлен 3 раза с 10.0.2.15');
    expect(noAck[0]!.text.ru).toContain('вызов разорван через 32,0 с после ответа');
    expect(noAck[0]!.evidence.map((e) => e.what.ru)).toContain('200 OK: 2-я повторная передача 200 OK, ACK нет');
    const cancelled = diagnose([inv({ at: 0 }), resp(180, 'Ringing', { at: 1000 }), req('CANCEL', { at: 4200, toTag: undefined }), resp(487, 'Request Terminated', { at: 4210 })]);
    expect(cancelled[0]!.text.ru).toContain('после 3,2 с звонка (через 4,2 с после INVITE)');
    const relayed = diagnose([
      inv({ at: 0 }),
      inv({ src: '10.0.2.15', dst: '10.0.2.30', at: 5 }),
      resp(486, 'Busy Here', { src: '10.0.2.30', dst: '10.0.2.15', at: 100 }),
      resp(486, 'Busy Here', { at: 105 }),
    ]);
    expect(relayed[0]!.text.ru).toContain('486 прошёл 2 участка');
    const texts = [...noAck, ...cancelled, ...relayed].map((d) => d.text.ru + d.evidence.map((e) => e.what.ru).join(' ')).join('\n');
    expect(texts).not.toContain('раз(а)');
    expect(texts).not.toMatch(/\d\.\d+ с/);
  });
});

const corpus = new URL('../../../shared/corpus/pcap/', import.meta.url);
describe.skipIf(!existsSync(corpus))('the audit repros on the corpus (needs ../shared/corpus)', () => {
  const flow = async (file: string, callId: string) => {
    const got = await collectCall(await specsOf([new URL(file, corpus).pathname]), callId, { link: false, keepRaw: true });
    return buildFlow(callId, got.legs);
  };

  it('sip-rtp-g711: one-way audio without the private-ip hint; the missing direction named', async () => {
    const f = await flow('NormB__sipnab__sip-rtp-g711.pcap', '1-1966@10.0.2.20');
    const d = only(f.diagnosis, 'one-way-audio');
    expect(d.hint).toBeUndefined();
    expect(d.text.en).toContain("none from the caller to the callee's media address 10.0.2.15:27942");
  });

  it('aaa.pcap: the 408 after a 100 Trying and an unanswered CANCEL', async () => {
    const f = await flow('irontec__sngrep__aaa.pcap', '105090259-446faf7a@192.168.1.2');
    const d = only(f.diagnosis, 'timeout');
    expect(d.hint).toBeUndefined();
    expect(d.text.en).toContain('200.68.120.81 answered 100 trying -- your call is important to us 2.2 s after it');
    expect(d.text.en).toContain('its CANCEL (sent 11 times) got no 200 OK');
    expect(d.evidence.map((e) => [e.index + 1, e.what.en.slice(0, 60)])).toContainEqual([18, '408 Request Timeout: answers the CANCEL (CSeq 1 CANCEL), not']);
  });

  it('sip-routing-error: a PBX 404 gets no carrier hint', async () => {
    const f = await flow('NormB__sipnab__sip-routing-error.pcapng', 'xxJSCjm44uRLi5nqaGN3Hg..');
    expect(only(f.diagnosis, 'no-route').hint).toBeUndefined();
  });
});
