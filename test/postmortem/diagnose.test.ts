import { describe, expect, it } from 'vitest';
import { diagnose, isPrivateIpv4, jwsCardOf, messageLabel, uriHost, type Diagnosis } from '../../src/postmortem/diagnose.js';
import { LegIndex, sameNumber } from '../../src/postmortem/legs.js';
import { buildFlow, flowHtml, flowText } from '../../src/postmortem/ladder.js';
import { scanSipMessage } from '../../src/sip/scanner.js';
import { CallFlag, type CallRecord, type SipMessage } from '../../src/types.js';

const A = '10.1.1.1';
const P = '10.2.2.2';
let t = 0;

/** A message of call `c1` on the hop A ⇄ P (`up` = A → P). */
type Opt = Partial<SipMessage> & { at?: number; up?: boolean };
function m(opt: Opt): SipMessage {
  const { at, up: upOpt, ...o } = opt;
  const up = upOpt ?? o.isRequest ?? false;
  const ts = at ?? (t += 10);
  return {
    ts, src: up ? A : P, srcPort: 5060, dst: up ? P : A, dstPort: 5060, transport: 'udp', isRequest: false, callId: 'c1', cseq: 1, cseqMethod: 'INVITE',
    fromTag: 'f', position: { file: 'x', packet: 1 }, ...o,
  };
}
const inv = (o: Opt = {}): SipMessage => m({ isRequest: true, method: 'INVITE', requestUri: 'sip:100@10.2.2.2', fromUser: '200', toUser: '100', ...o });
const resp = (status: number, reason: string, o: Opt = {}): SipMessage => m({ status, reason, toTag: status > 100 ? 't' : undefined, ...o });
const req = (method: string, o: Opt = {}): SipMessage => m({ isRequest: true, method, cseqMethod: method === 'ACK' ? 'ACK' : method, toTag: 't', ...o });
const ids = (ms: SipMessage[], r?: CallRecord): string[] => diagnose(ms, r ? [r] : []).map((d) => d.id);

const record = (o: Partial<CallRecord>): CallRecord => ({ callId: 'c1', route: 'r', start: 0, codeSource: 'sip', flags: 0, source: { file: 'x' }, ...o });

describe('diagnose on hand-made message lists', () => {
  it('a normal answered call gets nothing', () => {
    t = 0;
    const ms = [inv(), resp(100, 'Trying'), resp(180, 'Ringing'), resp(200, 'OK'), req('ACK', { cseq: 1, up: true }), req('BYE', { cseq: 2, cseqMethod: 'BYE', up: true }), resp(200, 'OK', { cseq: 2, cseqMethod: 'BYE' })];
    expect(ids(ms, record({ answer: 1, rtp: { fromCaller: 100, fromCallee: 100 } }))).toEqual([]);
  });

  it('a re-INVITE refused inside an answered call is not how the call ended', () => {
    t = 0;
    const ms = [inv(), resp(200, 'OK'), req('ACK', { up: true }), req('INVITE', { up: true, cseq: 2, cseqMethod: 'INVITE' }), resp(488, 'Not Acceptable Here', { cseq: 2 }), req('ACK', { up: true, cseq: 2 })];
    expect(ids(ms)).toEqual([]);
  });

  it('one challenge answered with credentials is the normal handshake, not auth-failed', () => {
    t = 0;
    expect(ids([inv(), resp(401, 'Unauthorized'), req('ACK', { up: true }), inv({ cseq: 2 }), resp(200, 'OK', { cseq: 2 }), req('ACK', { cseq: 2, up: true })])).toEqual([]);
  });

  it('repeated challenges without success are auth-failed', () => {
    t = 0;
    const ms = [inv(), resp(407, 'Proxy Authentication Required'), inv({ cseq: 2 }), resp(407, 'Proxy Authentication Required', { cseq: 2 })];
    const d = diagnose(ms);
    expect(d.map((x) => x.id)).toEqual(['auth-failed']);
    expect(d[0]!.hint?.id).toBe('credentials');
    expect(d[0]!.evidence.map((e) => e.index)).toEqual([1, 3]);
  });

  it('stale nonce: from the phrase, or stale=true in the raw challenge (any case, spaces, quotes)', () => {
    t = 0;
    expect(ids([inv(), resp(401, 'Stale Nonce')])).toContain('stale-nonce');
    expect(ids([inv(), resp(401, 'Unauthorized', { raw: 'SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: Digest nonce="x", Stale = "TRUE"\r\n\r\n' })])).toContain('stale-nonce');
    expect(ids([inv(), resp(401, 'Unauthorized', { raw: 'SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: Digest nonce="x", stale=false\r\n\r\n' })])).not.toContain('stale-nonce');
  });

  it('200 OK relayed once per hop is not a retransmission; retransmitted and never ACKed is no-ack', () => {
    t = 0;
    const relayed = [inv(), resp(200, 'OK'), m({ status: 200, reason: 'OK', src: '10.3.3.3', dst: P, toTag: 't' })];
    expect(ids(relayed)).toEqual([]);
    const lost = [inv({ at: 0 }), resp(200, 'OK', { at: 1000 }), resp(200, 'OK', { at: 1500 }), resp(200, 'OK', { at: 2500 }), req('BYE', { at: 33000, up: false, cseq: 1, cseqMethod: 'BYE' })];
    const d = diagnose(lost);
    expect(d.map((x) => x.id)).toEqual(['no-ack']);
    expect(d[0]!.text.en).toContain('32.0 s');
    expect(d[0]!.hint?.id).toBe('no-ack-30s');
    // the same with an ACK: nothing
    expect(ids([...lost.slice(0, 3), req('ACK', { at: 1600, up: true }), ...lost.slice(3)])).toEqual([]);
  });

  it('no final response: a timeout only when there was time for one', () => {
    t = 0;
    expect(ids([inv({ at: 0 })])).toEqual([]); // the capture just ended
    expect(ids([inv({ at: 0 }), inv({ at: 500 })])).toEqual(['timeout']);
    expect(ids([inv({ at: 0 })], record({ flags: CallFlag.TimedOut }))).toEqual(['timeout']);
    expect(ids([inv({ at: 0 }), resp(100, 'Trying', { at: 5 }), resp(408, 'Request Timeout', { at: 32000 })])).toEqual(['timeout']);
  });

  it('busy: from the proxy itself (same Server as its 100) vs from the device', () => {
    t = 0;
    const proxy = diagnose([inv(), resp(100, 'Trying', { userAgent: 'PBX 1' }), resp(486, 'Busy Here', { userAgent: 'PBX 1' })]);
    expect(proxy.map((x) => x.id)).toEqual(['busy']);
    expect(proxy[0]!.text.en).toContain('generated by the next hop');
    // a vendor's gateway that makes its own 486: the SIM-box pattern, with its hint
    expect(proxy[0]!.text.en).toContain('If it is a vendor\'s gateway, a 486 it makes itself is what a SIM-box answers when its cards are blocked');
    expect(proxy[0]!.hint?.id).toBe('simbox-486');
    expect(diagnose([inv(), resp(486, 'Busy Here')])[0]!.hint?.id).toBe('busy');
    const device = diagnose([inv(), resp(100, 'Trying', { userAgent: 'PBX 1' }), resp(486, 'Busy Here', { userAgent: 'Phone 2' })]);
    expect(device.map((x) => x.id)).toEqual(['busy-at-device']);
    // a forwarded INVITE whose Request-URI names the sender of the 486: the device's contact
    const D = '10.9.9.9';
    const hop2 = (o: Partial<SipMessage>): Partial<SipMessage> => ({ src: P, dst: D, ...o });
    const uri = diagnose([inv(), inv(hop2({ requestUri: `sip:100@${D}:5062` })), resp(486, 'Busy Here', { src: D, dst: P })]);
    expect(uri.map((x) => x.id)).toEqual(['busy-at-device']);
    expect(uri[0]!.text.en).toContain('contact address');
    // on the first hop the Request-URI names the proxy: no conclusion
    expect(ids([inv({ requestUri: `sip:100@${P}` }), resp(486, 'Busy Here')])).toEqual(['busy']);
  });

  it('no-route: 404/484/604 and a 403 with a route-set phrase; not a plain 403', () => {
    t = 0;
    expect(ids([inv(), resp(604, 'Does Not Exist Anywhere')])).toEqual(['no-route']);
    const d484 = diagnose([inv(), resp(484, 'Address Incomplete')]);
    expect(d484.map((x) => x.id)).toEqual(['no-route']);
    expect(d484[0]!.hint?.id).toBe('number-incomplete');
    const d403 = diagnose([inv(), resp(403, 'Empty Route Set')]);
    expect(d403.map((x) => x.id)).toEqual(['no-route']);
    expect(d403[0]!.hint?.id).toBe('no-route');
    expect(ids([inv(), resp(403, 'Forbidden')])).toEqual([]);
  });

  it('overload: 503 with Retry-After, 500 with a quota phrase; a plain 500 is not', () => {
    t = 0;
    const d = diagnose([inv(), resp(503, 'Service Unavailable', { retryAfter: 120 })]);
    expect(d.map((x) => x.id)).toEqual(['overload']);
    expect(d[0]!.text.en).toContain('120');
    expect(ids([inv(), resp(500, 'Call placing quota exceeded')])).toEqual(['overload']);
    expect(ids([inv(), resp(500, 'Internal Server Error')])).toEqual([]);
  });

  it('codec: offered and accepted codecs named, static payload types too', () => {
    t = 0;
    const d = diagnose([inv({ sdp: { codecs: ['18'] } }), resp(415, 'Unsupported Media Type', { sdp: { codecs: ['PCMA'] } })]);
    expect(d[0]!.id).toBe('codec');
    expect(d[0]!.text.en).toContain('G729 (18)');
    expect(d[0]!.text.en).toContain('PCMA');
  });

  it('cancelled: ring time from the first 18x to the CANCEL', () => {
    t = 0;
    const d = diagnose([inv({ at: 0 }), resp(180, 'Ringing', { at: 1000 }), req('CANCEL', { at: 9000, up: true, toTag: undefined }), resp(487, 'Request Terminated', { at: 9010 })]);
    expect(d.map((x) => x.id)).toEqual(['cancelled']);
    expect(d[0]!.text.en).toContain('8.0 s of ringing');
    // the capture stops before the 487: the CANCEL's 200 is enough; a CANCEL without any answer is not
    const cut = [inv({ at: 0 }), req('CANCEL', { at: 3000, up: true, toTag: undefined }), resp(200, 'OK', { at: 3005, cseqMethod: 'CANCEL' })];
    expect(ids(cut)).toEqual(['cancelled']);
    expect(ids(cut.slice(0, 2))).toEqual([]);
  });

  it('one-way audio from the record, with the private-ip hint when the silent side sends to a private address it cannot reach', () => {
    t = 0;
    const ms = [inv({ sdp: { addr: '192.168.1.20', port: 4000, codecs: ['PCMU'] } }), resp(200, 'OK'), req('ACK', { up: true })];
    // the callee (10.2.2.2) is silent: its media goes to the caller's 192.168.1.20, another private network
    const d = diagnose(ms, [record({ answer: 1, rtp: { fromCaller: 300, fromCallee: 0 } })]);
    expect(d.map((x) => x.id)).toEqual(['one-way-audio']);
    expect(d[0]!.hint?.id).toBe('private-ip');
    expect(d[0]!.text.en).toContain("The caller's SDP announces a private address (192.168.1.20) that the callee at 10.2.2.2 cannot reach");
    // the other way round the private address is where media did arrive: not blamed
    const back = diagnose(ms, [record({ answer: 1, rtp: { fromCaller: 0, fromCallee: 300 } })]);
    expect(back.map((x) => x.id)).toEqual(['one-way-audio']);
    expect(back[0]!.hint).toBeUndefined();
    expect(back[0]!.text.en).not.toContain('192.168.1.20');
    expect(ids(ms, record({ answer: 1, rtp: { fromCaller: 0, fromCallee: 0 } }))).toEqual([]);
    // offer and answer on one host: no attribution, no conclusion
    const hairpin = [ms[0]!, resp(200, 'OK', { sdp: { addr: '192.168.1.20', port: 4002, codecs: ['PCMU'] } }), ms[2]!];
    expect(ids(hairpin, record({ answer: 1, rtp: { fromCaller: 0, fromCallee: 300 } }))).toEqual([]);
    // another hop of the call saw both directions
    expect(diagnose(ms, [record({ answer: 1, rtp: { fromCaller: 0, fromCallee: 300 } }), record({ answer: 1, rtp: { fromCaller: 5, fromCallee: 300 } })])).toEqual([]);
  });

  it('helpers', () => {
    expect(uriHost('sip:100@[2001:db8::1]:5060;transport=udp')).toBe('2001:db8::1');
    expect(uriHost('sips:alice@example.com;x=y')).toBe('example.com');
    expect(uriHost('<sip:10.0.0.1:5070>')).toBe('10.0.0.1');
    expect(isPrivateIpv4('172.20.1.1')).toBe(true);
    expect(isPrivateIpv4('172.32.1.1')).toBe(false);
  });
});

describe('refusals: 480, 603, 607, 608 as the deciding final', () => {
  const one = (ms: SipMessage[]): Diagnosis => {
    const d = diagnose(ms);
    expect(d).toHaveLength(1);
    return d[0]!;
  };
  const whats = (d: Diagnosis): string[] => d.evidence.map((e) => e.what.en);

  it('480 after ringing: no-answer, with the ring time and the time since the INVITE', () => {
    const d = one([inv({ at: 0 }), resp(100, 'Trying', { at: 5, toTag: undefined }), resp(180, 'Ringing', { at: 1000 }), resp(480, 'Temporarily Unavailable', { at: 31000 }), req('ACK', { at: 31010, up: true })]);
    expect(d.id).toBe('no-answer');
    expect(d.severity).toBe('info');
    expect(d.hint).toBeUndefined();
    expect(d.text.en).toContain('rang for 30.0 s');
    expect(d.text.en).toContain('31.0 s after the INVITE');
    expect(d.text.en).toContain('no-answer timer');
    expect(d.text.ru).toContain('звонило 30,0 с');
    expect(d.evidence.map((e) => e.index)).toEqual([0, 2, 3]);
    expect(whats(d)).toEqual(['INVITE: request', '180 Ringing: ringing began, 30.0 s before the 480', '480 Temporarily Unavailable: 31.0 s after the INVITE; from 10.2.2.2']);
    expect(d.evidence[1]!.what.ru).toBe('180 Ringing: начался звонок, за 30,0 с до 480');
  });

  it('480 without ringing: unavailable, Retry-After quoted, the dnd hint', () => {
    const d = one([inv({ at: 0 }), resp(100, 'Trying', { at: 5, toTag: undefined }), resp(480, 'Temporarily Unavailable', { at: 300, retryAfter: 600 })]);
    expect(d.id).toBe('unavailable');
    expect(d.severity).toBe('warning');
    expect(d.hint?.id).toBe('dnd');
    expect(d.text.en).toContain('with no ringing');
    expect(d.text.en).toContain('retry after 600 s');
    expect(d.text.ru).toContain('повторить через 600 с');
    expect(whats(d).at(-1)).toBe('480 Temporarily Unavailable: 300 ms after the INVITE; from 10.2.2.2; Retry-After 600 s');
  });

  it('480 shortly after an 18x is not "rang then 480": the 18x is named as too short to be ringing', () => {
    // as in a real carrier capture: 183 "In band info available" and the 480 43 ms later
    const d = one([inv({ at: 0 }), resp(183, 'In band info available', { at: 255 }), resp(480, 'Error', { at: 298 })]);
    expect(d.id).toBe('unavailable');
    expect(d.text.en).toContain('480 came 298 ms after the INVITE with no ringing (the 183 only 43 ms before it is too short to be ringing');
    expect(whats(d)).toContain('183 In band info available: only 43 ms before the 480: not ringing');
    expect(one([inv({ at: 0 }), resp(180, 'Ringing', { at: 1000 }), resp(480, 'Temporarily Unavailable', { at: 4000 })]).id).toBe('unavailable');
    expect(one([inv({ at: 0 }), resp(180, 'Ringing', { at: 1000 }), resp(480, 'Temporarily Unavailable', { at: 6000 })]).id).toBe('no-answer');
  });

  it('480 after a challenge: times from the retried INVITE; relayed over two hops: the hop that made it and its Q.850 cause', () => {
    const d = one([inv({ at: 0 }), resp(407, 'Proxy Authentication Required', { at: 5 }), req('ACK', { at: 10, up: true }), inv({ at: 100, cseq: 2 }), resp(180, 'Ringing', { at: 1100, cseq: 2 }), resp(480, 'Temporarily Unavailable', { at: 21100, cseq: 2 })]);
    expect(d.id).toBe('no-answer');
    expect(d.text.en).toContain('rang for 20.0 s');
    expect(d.text.en).toContain('21.0 s after the INVITE');
    expect(d.evidence[0]!.index).toBe(3);
    const D = '10.9.9.9';
    const relayed = one([
      inv({ at: 0 }),
      inv({ at: 5, src: P, dst: D }),
      resp(180, 'Ringing', { at: 500, src: D, dst: P }),
      resp(180, 'Ringing', { at: 505 }),
      resp(480, 'Temporarily Unavailable', { at: 20500, src: D, dst: P, q850: 19, userAgent: 'Phone 2' }),
      resp(480, 'Temporarily Unavailable', { at: 20505, q850: 19 }),
    ]);
    expect(relayed.id).toBe('no-answer');
    expect(whats(relayed)).toContain('480 Temporarily Unavailable: sent first from 10.9.9.9 (Phone 2)');
    expect(whats(relayed).at(-1)).toBe('480 Temporarily Unavailable: 20.5 s after the INVITE; Reason: Q.850 cause 19 (No answer from user (user alerted))');
    expect(relayed.evidence.at(-1)!.what.ru).toBe('480 Temporarily Unavailable: через 20,5 с после INVITE; Reason: Q.850, причина 19 (Абонент не ответил (вызов поступал))');
    expect(relayed.text.en).toContain('The Reason header agrees: Q.850 19 (No answer from user (user alerted)).');
    expect(relayed.text.ru).toContain('Заголовок Reason это подтверждает: Q.850 19 (Абонент не ответил (вызов поступал)).');
    // a cause that says otherwise is put first; 16 and 31 say nothing
    const rejected = one([inv({ at: 0 }), resp(183, 'In band info available', { at: 255 }), resp(480, 'Error', { at: 298, q850: 21 })]);
    expect(rejected.id).toBe('unavailable');
    expect(rejected.text.en).toContain('The Reason header gives another cause, Q.850 21 (Call rejected): it is the far side\'s own account, trust it over this reading.');
    expect(rejected.text.ru).toContain('В заголовке Reason указана другая причина — Q.850 21 (Вызов отклонён)');
    expect(one([inv({ at: 0 }), resp(480, 'Temporarily Unavailable', { at: 50, q850: 31 })]).text.en).not.toContain('Reason header');
    expect(one([inv({ at: 0 }), resp(603, 'Decline', { at: 50, q850: 21 })]).text.en).toContain('The Reason header agrees: Q.850 21 (Call rejected).');
  });

  it('480 that does not decide the call gives nothing: a re-INVITE inside an answered call, a CANCEL race, a provider phrase', () => {
    const reinvite = [inv(), resp(200, 'OK'), req('ACK', { up: true }), req('INVITE', { up: true, cseq: 2, cseqMethod: 'INVITE' }), resp(480, 'Temporarily Unavailable', { cseq: 2 }), req('ACK', { up: true, cseq: 2 })];
    expect(ids(reinvite)).toEqual([]);
    // the caller cancelled; the far side answered the race with 480 instead of 487
    const race = [inv({ at: 0 }), resp(180, 'Ringing', { at: 500 }), req('CANCEL', { at: 20000, up: true, toTag: undefined }), resp(200, 'OK', { at: 20005, cseqMethod: 'CANCEL' }), resp(480, 'Temporarily Unavailable', { at: 20010 })];
    expect(ids(race)).toEqual(['cancelled']);
    // the provider's own failure under 480 (catalogue variant): its meaning stands, not "the callee is unavailable"
    expect(ids([inv(), resp(480, 'No money left')])).toEqual([]);
    expect(ids([inv(), resp(480, 'DB Timeout')])).toEqual([]);
    // a 480 to one branch while another answered
    expect(ids([inv(), resp(480, 'Temporarily Unavailable', { src: '10.3.3.3' }), resp(200, 'OK'), req('ACK', { up: true })])).toEqual([]);
  });

  it('603 quickly and without ringing: an automatic rejection', () => {
    const d = one([inv({ at: 0 }), resp(100, 'Trying', { at: 1, toTag: undefined }), resp(603, 'Decline', { at: 17 })]);
    expect(d.id).toBe('declined');
    expect(d.severity).toBe('warning');
    expect(d.hint?.id).toBe('blacklisted');
    expect(d.text.en).toContain('declined 17 ms after the INVITE without ringing');
    expect(d.text.en).toContain('automatic rejection');
    expect(d.text.ru).toContain('автоматически');
    // an 18x just before the decline is no time for a person to react
    const brief = one([inv({ at: 0 }), resp(180, 'Ringing', { at: 300 }), resp(603, 'Decline', { at: 500 })]);
    expect(brief.severity).toBe('warning');
    expect(brief.text.en).toContain('too short for a person to react');
  });

  it('603 after ringing: a person declined; no ringing but slow: cannot tell', () => {
    const person = one([inv({ at: 0 }), resp(180, 'Ringing', { at: 500 }), resp(603, 'Decline', { at: 6500 })]);
    expect(person.id).toBe('declined');
    expect(person.severity).toBe('info');
    expect(person.hint).toBeUndefined();
    expect(person.text.en).toContain('it rang for 6.0 s');
    expect(person.text.en).toContain('(6.5 s after the INVITE)');
    expect(person.text.en).toContain('6xx is final for every route');
    expect(whats(person)).toEqual(['INVITE: request', '180 Ringing: ringing began, 6.0 s before the 603', '603 Decline: 6.5 s after the INVITE; from 10.2.2.2']);
    const slow = one([inv({ at: 0 }), resp(100, 'Trying', { at: 5, toTag: undefined }), resp(603, 'Decline', { at: 4000 })]);
    expect(slow.severity).toBe('info');
    expect(slow.hint?.id).toBe('blacklisted');
    expect(slow.text.en).toContain('cannot tell');
    // no INVITE in the capture: no times, still a diagnosis
    expect(one([resp(603, 'Decline', { at: 100 })]).text.en).toContain('The call was declined (603) with no ringing seen');
    // inside an answered call: nothing
    expect(ids([inv(), resp(200, 'OK'), req('ACK', { up: true }), req('INVITE', { up: true, cseq: 2, cseqMethod: 'INVITE' }), resp(603, 'Decline', { cseq: 2 })])).toEqual([]);
  });

  it('607: unwanted, the caller ID presented named, the blacklisted hint', () => {
    const d = one([inv({ at: 0, fromUser: '74951230001' }), resp(180, 'Ringing', { at: 200 }), resp(607, 'Unwanted', { at: 5200 })]);
    expect(d.id).toBe('unwanted');
    expect(d.severity).toBe('warning');
    expect(d.hint?.id).toBe('blacklisted');
    expect(d.text.en).toContain('RFC 8197');
    expect(d.text.en).toContain('after 5.0 s of ringing');
    expect(d.text.en).toContain("caller's number may now be listed");
    expect(whats(d)[0]).toBe('INVITE: caller ID 74951230001');
    expect(d.evidence[0]!.what.ru).toBe('INVITE: номер вызывающего: 74951230001');
    expect(one([inv({ at: 0 }), resp(607, 'Unwanted', { at: 50 })]).text.en).not.toContain('ringing');
  });

  it('608: an intermediary; the Call-Info jCard (purpose=jwscard) cited when the message text has one', () => {
    const raw = (headers: string): string => `SIP/2.0 608 Rejected\r\nVia: SIP/2.0/UDP 10.1.1.1;branch=z9hG4bK1\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\n${headers}Content-Length: 0\r\n\r\n`;
    const withCard = one([inv({ at: 0 }), resp(608, 'Rejected', { at: 80, raw: raw('Call-Info: <https://block.example.net/complaint.jcard>;purpose=jwscard\r\n') })]);
    expect(withCard.id).toBe('rejected');
    expect(withCard.severity).toBe('warning');
    expect(withCard.text.en).toContain('not by the callee');
    expect(withCard.text.en).toContain('naming who rejected the call and how to contact them to dispute it; the jCard is at https://block.example.net/complaint.jcard.');
    expect(whats(withCard).at(-1)).toBe('608 Rejected: 80 ms after the INVITE; from 10.2.2.2; Call-Info with a jCard (purpose=jwscard): https://block.example.net/complaint.jcard');
    expect(withCard.evidence.at(-1)!.what.ru).toContain('Call-Info с jCard (purpose=jwscard)');
    const none = one([inv({ at: 0 }), resp(608, 'Rejected', { at: 80, raw: raw('Call-Info: <https://x.example/icon.png>;purpose=icon\r\n') })]);
    expect(none.text.en).toContain('names no one');
    expect(whats(none).at(-1)).toContain('no Call-Info with a jCard');
    const unknown = one([inv({ at: 0 }), resp(608, 'Rejected', { at: 80 })]);
    expect(unknown.text.en).toContain('was not kept');
    expect(whats(unknown).at(-1)).toContain('message text not kept');
  });

  it('jwsCardOf: header name in any case, folded lines, spaces and quotes; not in the body, not another purpose', () => {
    const head = 'SIP/2.0 608 Rejected\r\nCSeq: 1 INVITE\r\n';
    expect(jwsCardOf(`${head}call-info :\r\n <sip:block@example.net>, <https://a.example/j> ; Purpose = "JWSCARD"\r\n\r\n`)).toBe('https://a.example/j');
    expect(jwsCardOf(`${head}Call-Info: <https://a.example/j>;purpose=jwscard\n\n`)).toBe('https://a.example/j');
    expect(jwsCardOf(`${head}Call-Info: https://a.example/j;purpose=jwscard\r\n\r\n`)).toBe('');
    expect(jwsCardOf(`${head}Call-Info: <https://a.example/j>;purpose=jwscard2\r\n\r\n`)).toBeUndefined();
    expect(jwsCardOf(`${head}Call-Info: <https://a.example/j>;purpose=info\r\nX-Note: purpose=jwscard\r\n\r\n`)).toBeUndefined();
    expect(jwsCardOf(`${head}Content-Length: 40\r\n\r\nCall-Info: <https://a.example/j>;purpose=jwscard`)).toBeUndefined();
    expect(jwsCardOf(undefined)).toBeUndefined();
    expect(jwsCardOf(`${head}Call-Info: <${'a'.repeat(500)}>;purpose=jwscard\r\n\r\n`)!.length).toBe(200);
  });

  it('jwsCardOf on hostile text: many headers, many parameters, no backtracking', () => {
    const manyHeaders = 'SIP/2.0 608 Rejected\r\n' + 'Call-Info: x\r\n'.repeat(20000) + '\r\n';
    const manyParams = 'SIP/2.0 608 Rejected\r\nCall-Info: <' + ';purpose='.repeat(50000) + '\r\n\r\n';
    const noNewline = 'Call-Info: ' + '<;purpose= '.repeat(50000);
    const t0 = performance.now();
    expect(jwsCardOf(manyHeaders)).toBeUndefined();
    expect(jwsCardOf(manyParams)).toBeUndefined();
    expect(jwsCardOf(noNewline)).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('audit: retransmitted refusals, mid-call re-INVITEs, folded jCards, a short ring before a 480', () => {
  const one = (ms: SipMessage[]): Diagnosis => {
    const d = diagnose(ms);
    expect(d).toHaveLength(1);
    return d[0]!;
  };
  const whats = (d: Diagnosis): string[] => d.evidence.map((e) => e.what.en);

  it('a refusal retransmitted (no ACK) is timed from its first copy on the hop, and that copy is cited', () => {
    // 180 at +0.5 s, 480 at +2.5 s and its copies until +10 s: 2.0 s of ringing, not 9.5 s
    const r480 = [inv({ at: 0 }), resp(100, 'Trying', { at: 10, toTag: undefined }), resp(180, 'Ringing', { at: 500 })];
    for (const at of [2500, 3000, 4000, 6000, 10000]) r480.push(resp(480, 'Temporarily Unavailable', { at }));
    const d = one(r480);
    expect(d.id).toBe('unavailable');
    expect(d.text.en).toContain('180 Ringing, and 2.0 s later 480 (2.5 s after the INVITE)');
    expect(d.text.en).not.toContain('9.5 s');
    expect(d.evidence.map((e) => e.index)).toEqual([0, 2, 3]);
    expect(whats(d)).toEqual(['INVITE: request', '180 Ringing: ringing began, 2.0 s before the 480', '480 Temporarily Unavailable: 2.5 s after the INVITE; from 10.2.2.2']);
    // 603 at +0.3 s without ringing, copies until +3.8 s: the automatic rejection, not "3.8 s … cannot tell"
    const r603 = [inv({ at: 0 }), resp(100, 'Trying', { at: 10, toTag: undefined })];
    for (const at of [300, 800, 1800, 3800]) r603.push(resp(603, 'Decline', { at }));
    r603.push(req('ACK', { at: 4000, up: true }));
    const dec = one(r603);
    expect(dec.id).toBe('declined');
    expect(dec.severity).toBe('warning');
    expect(dec.text.en).toContain('declined 300 ms after the INVITE without ringing');
    expect(dec.evidence.at(-1)!.index).toBe(2);
    // a long ring is still a long ring when the 480 is retransmitted
    const long = [inv({ at: 0 }), resp(180, 'Ringing', { at: 500 }), resp(480, 'Temporarily Unavailable', { at: 30500 }), resp(480, 'Temporarily Unavailable', { at: 31000 })];
    expect(one(long).text.en).toContain('rang for 30.0 s');
    // relayed over two hops and retransmitted on the deciding one: the first copy of the deciding hop, the origin named
    const D = '10.9.9.9';
    const relayed = one([
      inv({ at: 0 }),
      inv({ at: 5, src: P, dst: D }),
      resp(480, 'Temporarily Unavailable', { at: 400, src: D, dst: P, userAgent: 'Phone 2' }),
      resp(480, 'Temporarily Unavailable', { at: 405 }),
      resp(480, 'Temporarily Unavailable', { at: 905 }),
      resp(480, 'Temporarily Unavailable', { at: 1905 }),
    ]);
    expect(relayed.evidence.map((e) => e.index)).toEqual([0, 2, 3]);
    expect(whats(relayed)).toEqual(['INVITE: request', '480 Temporarily Unavailable: sent first from 10.9.9.9 (Phone 2)', '480 Temporarily Unavailable: 405 ms after the INVITE']);
  });

  it('no-route and overload cite the first copy of a retransmitted failure, and still fire', () => {
    const nr = diagnose([inv({ at: 0 }), resp(404, 'Not Found', { at: 100 }), resp(404, 'Not Found', { at: 600 }), resp(404, 'Not Found', { at: 1600 })]);
    expect(nr.map((x) => x.id)).toEqual(['no-route']);
    expect(nr[0]!.evidence.map((e) => e.index)).toEqual([0, 1]);
    const ov = diagnose([inv({ at: 0 }), resp(503, 'Service Unavailable', { at: 100, retryAfter: 30 }), resp(503, 'Service Unavailable', { at: 600, retryAfter: 30 })]);
    expect(ov.map((x) => x.id)).toEqual(['overload']);
    expect(ov[0]!.evidence.map((e) => e.index)).toEqual([1]);
    expect(ov[0]!.text.en).toContain('retry after 30 s');
    // a later, different failure of another transaction still decides (after a challenge: the retried INVITE's)
    const two = diagnose([inv({ at: 0 }), resp(407, 'Proxy Authentication Required', { at: 5 }), inv({ at: 100, cseq: 2 }), resp(404, 'Not Found', { at: 200, cseq: 2 }), resp(404, 'Not Found', { at: 700, cseq: 2 })]);
    expect(two.map((x) => x.id)).toEqual(['no-route']);
    expect(two[0]!.evidence.at(-1)!.index).toBe(3);
  });

  it('a capture that starts mid-call: a 480 to a re-INVITE (it has a To-tag) gives nothing', () => {
    const mid = [
      req('INVITE', { at: 0, up: true, cseq: 5, cseqMethod: 'INVITE' }),
      resp(100, 'Trying', { at: 20, cseq: 5, toTag: undefined }),
      resp(480, 'Temporarily Unavailable', { at: 200, cseq: 5 }),
      req('ACK', { at: 210, up: true, cseq: 5 }),
      req('BYE', { at: 30000, up: true, cseq: 6, cseqMethod: 'BYE' }),
      resp(200, 'OK', { at: 30050, cseq: 6, cseqMethod: 'BYE' }),
    ];
    expect(ids(mid)).toEqual([]);
    const mid603 = [req('INVITE', { at: 0, up: true, cseq: 5, cseqMethod: 'INVITE' }), resp(603, 'Decline', { at: 200, cseq: 5 })];
    expect(ids(mid603)).toEqual([]);
    // the whole call: answered, then the re-INVITE refused: nothing either
    const full = [inv({ at: 0 }), resp(180, 'Ringing', { at: 100 }), resp(200, 'OK', { at: 3000 }), req('ACK', { at: 3010, up: true }), req('INVITE', { at: 10000, up: true, cseq: 2, cseqMethod: 'INVITE' }), resp(480, 'Temporarily Unavailable', { at: 10200, cseq: 2 }), req('ACK', { at: 10210, up: true, cseq: 2 })];
    expect(ids(full)).toEqual([]);
    // a refusal of the (uncaptured) initial INVITE still counts, even when the other side's re-INVITE has the same
    // CSeq number (each side numbers its own requests): only the final on the re-INVITE's hop, the other way, is dropped
    expect(ids([resp(480, 'Temporarily Unavailable', { at: 100 })])).toEqual(['unavailable']);
    expect(ids([req('INVITE', { at: 0, up: false, cseq: 1, cseqMethod: 'INVITE' }), resp(480, 'Temporarily Unavailable', { at: 100 })])).toEqual(['unavailable']);
    expect(ids([req('INVITE', { at: 0, up: true, cseq: 1, cseqMethod: 'INVITE' }), resp(480, 'Temporarily Unavailable', { at: 100 })])).toEqual([]);
  });

  it('jwsCardOf: a fold after the `;`, around the `=`, before the quotes (CRLF or LF); never into the next header', () => {
    const head = 'SIP/2.0 608 Rejected\r\nCSeq: 1 INVITE\r\n';
    expect(jwsCardOf(`${head}Call-Info: <https://a.example/jc>;\r\n  purpose=jwscard\r\nContent-Length: 0\r\n\r\n`)).toBe('https://a.example/jc');
    expect(jwsCardOf(`${head}Call-Info: <https://a.example/jc>;purpose =\r\n jwscard\r\nContent-Length: 0\r\n\r\n`)).toBe('https://a.example/jc');
    expect(jwsCardOf(`${head}Call-Info: <https://a.example/jc>;purpose\r\n\t=\r\n "jwscard"\r\n\r\n`)).toBe('https://a.example/jc');
    expect(jwsCardOf(`${head}Call-Info: <https://a.example/jc>;purpose=\r\n\t"\r\n jwscard"\r\n\r\n`)).toBe('https://a.example/jc');
    expect(jwsCardOf(`SIP/2.0 608 Rejected\nCall-Info: <https://a.example/jc>;\n purpose\n =\n jwscard\n\n`)).toBe('https://a.example/jc');
    // a line end without a space or tab after it ends the header: the next one is not a continuation
    expect(jwsCardOf(`${head}Call-Info: <https://a.example/jc>;purpose=\r\njwscard: x\r\n\r\n`)).toBeUndefined();
    expect(jwsCardOf(`${head}Call-Info: <https://a.example/jc>;\r\npurpose=jwscard\r\n\r\n`)).toBeUndefined();
    // many folds: still one pass
    const folds = `${head}Call-Info: <x>;` + '\r\n ;'.repeat(50000) + '\r\n\r\n';
    const t0 = performance.now();
    expect(jwsCardOf(folds)).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('a 180 without SDP 1–5 s before a 480: the phone was alerted and then refused; a 183 or SDP that close: an announcement', () => {
    const alerted = one([inv({ at: 0 }), resp(180, 'Ringing', { at: 200 }), resp(480, 'Temporarily Unavailable', { at: 3400 })]);
    expect(alerted.id).toBe('unavailable');
    expect(alerted.severity).toBe('warning');
    expect(alerted.hint).toBeUndefined();
    expect(alerted.text.en).toContain("The callee's phone was alerted and then the call was refused: 180 Ringing, and 3.2 s later 480 (3.4 s after the INVITE)");
    expect(alerted.text.en).toContain('rejected the call or switched on do-not-disturb while it rang');
    expect(alerted.text.en).toContain('ring time-out');
    for (const w of ['no phone was alerted', 'announcement', 'early media', 'not registered']) expect(alerted.text.en).not.toContain(w);
    expect(alerted.text.ru).toContain('Телефон абонента зазвонил, после чего вызов был отклонён: пришёл 180 Ringing, а через 3,2 с — 480 (через 3,4 с после INVITE)');
    expect(alerted.text.ru).not.toContain('ни один телефон не звонил');
    expect(whats(alerted)).toEqual(['INVITE: request', '180 Ringing: ringing began, 3.2 s before the 480', '480 Temporarily Unavailable: 3.4 s after the INVITE; from 10.2.2.2']);
    expect(alerted.evidence[1]!.what.ru).toBe('180 Ringing: начался звонок, за 3,2 с до 480');
    // a Q.850 21 (call rejected) agrees with this reading
    expect(one([inv({ at: 0 }), resp(180, 'Ringing', { at: 200 }), resp(480, 'Temporarily Unavailable', { at: 3400, q850: 21 })]).text.en).toContain('The Reason header agrees: Q.850 21');
    // a 183, or a 180 with SDP, that close is early media: the announcement wording stays
    const sdp183 = one([inv({ at: 0 }), resp(183, 'Session Progress', { at: 200, sdp: { codecs: ['8'] } }), resp(480, 'Temporarily Unavailable', { at: 3400 })]);
    expect(sdp183.text.en).toContain('(the 183 only 3.2 s before it is too short to be ringing: early media there is usually an announcement), so no phone was alerted');
    expect(sdp183.hint?.id).toBe('dnd');
    const sdp180 = one([inv({ at: 0 }), resp(180, 'Ringing', { at: 200, sdp: { codecs: ['8'] } }), resp(480, 'Temporarily Unavailable', { at: 3400 })]);
    expect(sdp180.text.en).toContain('announcement');
    // a 183 with SDP first, then a 180 without: the 180 says a phone was alerted
    const both = one([inv({ at: 0 }), resp(183, 'Session Progress', { at: 100, sdp: { codecs: ['8'] } }), resp(180, 'Ringing', { at: 400 }), resp(480, 'Temporarily Unavailable', { at: 3400 })]);
    expect(both.text.en).toContain('180 Ringing, and 3.0 s later 480');
    expect(both.evidence.map((e) => e.index)).toEqual([0, 2, 3]);
    // a 180 under a second before the 480: no time for anyone to react, and no announcement is claimed
    const quick = one([inv({ at: 0 }), resp(180, 'Ringing', { at: 200 }), resp(480, 'Temporarily Unavailable', { at: 500 })]);
    expect(quick.text.en).toContain('(the 180 only 300 ms before it is too short for anyone to react)');
    expect(quick.text.en).not.toContain('announcement');
    expect(quick.text.ru).toContain('слишком мало, чтобы кто-то успел отреагировать');
  });
});

describe('evidence in both languages', () => {
  /** Words of the ru notes that may stay Latin: SIP names, headers, and the wire values of these lists. */
  const LATIN_OK = new Set(['INVITE', 'ACK', 'OK', 'CANCEL', 'BYE', 'RTP', 'CSeq', 'Request', 'URI', 'Retry', 'After', 'Reason', 'Q', 'Call', 'Info', 'jCard', 'purpose', 'jwscard', 'nonce', 'PCMU', 'PCMA', 'G729', 'PBX', 'Phone', 'https', 'block', 'example', 'net', 'jcard']);
  const latin = (s: string): string[] => (s.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []).filter((w) => !LATIN_OK.has(w));
  const D = '10.9.9.9';
  const lists = (): SipMessage[][] => {
    t = 0;
    const raw = 'SIP/2.0 608 Rejected\r\nCall-Info: <https://block.example.net/jcard>;purpose=jwscard\r\n\r\n';
    return [
      [inv({ at: 0 }), resp(200, 'OK', { at: 1000 }), resp(200, 'OK', { at: 1500 }), resp(200, 'OK', { at: 2500 }), req('BYE', { at: 33000, up: false, cseq: 1, cseqMethod: 'BYE' })],
      [inv({ at: 0 }), resp(408, 'Request Timeout', { at: 32000 })],
      [inv({ at: 0 }), inv({ at: 500 })],
      [inv(), resp(407, 'Proxy Authentication Required'), inv({ cseq: 2 }), resp(403, 'Forbidden', { cseq: 2 })],
      [inv(), resp(401, 'Unauthorized', { reason: 'Stale Nonce' })],
      [inv(), resp(100, 'Trying', { userAgent: 'PBX 1' }), resp(486, 'Busy Here', { userAgent: 'Phone 2' })],
      [inv(), resp(100, 'Trying', { userAgent: 'PBX 1' }), resp(486, 'Busy Here', { userAgent: 'PBX 1' })],
      [inv(), inv({ src: P, dst: D, requestUri: `sip:100@${D}` }), resp(180, 'Ringing', { src: D, dst: P, toTag: 'x' }), resp(486, 'Busy Here', { src: D, dst: P, toTag: 'x' })],
      [inv({ at: 0 }), resp(180, 'Ringing', { at: 1000 }), req('CANCEL', { at: 9000, up: true, toTag: undefined }), resp(487, 'Request Terminated', { at: 9010 })],
      [inv({ at: 0 }), req('CANCEL', { at: 3000, up: true, toTag: undefined }), resp(200, 'OK', { at: 3005, cseqMethod: 'CANCEL' })],
      [inv({ sdp: { codecs: ['18'] } }), resp(415, 'Unsupported Media Type', { sdp: { codecs: ['PCMA'] } })],
      [inv(), resp(488, 'Not Acceptable Here')],
      [inv(), resp(484, 'Address Incomplete')],
      [inv(), resp(404, 'Not Found')],
      [inv(), resp(503, 'Service Unavailable', { retryAfter: 120 })],
      [inv(), resp(500, 'Call placing quota exceeded')],
      [inv({ at: 0 }), resp(180, 'Ringing', { at: 1000 }), resp(480, 'Temporarily Unavailable', { at: 31000, q850: 19 })],
      [inv({ at: 0 }), resp(183, 'Session Progress', { at: 200 }), resp(480, 'Temporarily Unavailable', { at: 250, retryAfter: 60 })],
      [inv({ at: 0 }), inv({ at: 5, src: P, dst: D }), resp(480, 'Temporarily Unavailable', { at: 400, src: D, dst: P }), resp(480, 'Temporarily Unavailable', { at: 405 })],
      [inv({ at: 0 }), resp(603, 'Decline', { at: 20 })],
      [inv({ at: 0 }), resp(180, 'Ringing', { at: 500 }), resp(603, 'Decline', { at: 6500 })],
      [inv({ at: 0, fromUser: '74951230001' }), resp(607, 'Unwanted', { at: 3000 })],
      [inv({ at: 0 }), resp(608, 'Rejected', { at: 80, raw })],
      [inv({ at: 0 }), resp(608, 'Rejected', { at: 80, raw: 'SIP/2.0 608 Rejected\r\n\r\n' })],
      [inv({ at: 0 }), resp(608, 'Rejected', { at: 80 })],
    ];
  };

  it('every note is English in en and Russian in ru, after the same wire label', () => {
    const seen = new Set<string>();
    let notes = 0;
    for (const ms of lists()) {
      const ds = diagnose(ms, [record({ answer: 1, rtp: { fromCaller: 0, fromCallee: 300 } })]);
      expect(ds.length, ms.map(messageLabel).join(' ')).toBeGreaterThan(0);
      for (const d of ds) {
        seen.add(d.id);
        for (const e of d.evidence) {
          const label = messageLabel(ms[e.index]!);
          expect(e.what.en.startsWith(label)).toBe(true);
          expect(e.what.ru.startsWith(label)).toBe(true);
          if (e.what.en === label) {
            expect(e.what.ru).toBe(label);
            continue;
          }
          notes++;
          const en = e.what.en.slice(label.length + 2);
          const ru = e.what.ru.slice(label.length + 2);
          expect(e.what.ru.slice(label.length, label.length + 2)).toBe(': ');
          expect(en, e.what.en).not.toMatch(/[А-Яа-яЁё]/);
          expect(ru, e.what.ru).toMatch(/[А-Яа-яЁё]/);
          expect(latin(ru), e.what.ru).toEqual([]);
        }
      }
    }
    // the record's one-way RTP adds one-way-audio to the answered call of the first list
    expect([...seen].sort()).toEqual(['auth-failed', 'busy', 'busy-at-device', 'cancelled', 'codec', 'declined', 'no-ack', 'no-answer', 'no-route', 'one-way-audio', 'overload', 'rejected', 'stale-nonce', 'timeout', 'unavailable', 'unwanted']);
    expect(notes).toBeGreaterThan(40);
  });
});

describe('leg linking', () => {
  it('numbers in other formats, within the window, on another hop; correlation header either way', () => {
    expect(sameNumber('+7 (495) 123-45-67', '84951234567')).toBe(true);
    expect(sameNumber('4951234567', '74951234567')).toBe(true);
    expect(sameNumber('1001', '1002')).toBe(false);
    const ix = new LegIndex();
    const base = { src: A, srcPort: 5060, dst: P, dstPort: 5060, transport: 'udp' as const, isRequest: true, method: 'INVITE', cseq: 1, cseqMethod: 'INVITE', position: { file: 'x' } };
    ix.add({ ...base, ts: 0, callId: 'a', fromUser: '74951234567', toUser: '74957654321' });
    // the B2BUA's other side: the proxy on to a vendor
    ix.add({ ...base, src: P, dst: '203.0.113.99', ts: 1200, callId: 'b', fromUser: '+74951234567', toUser: '+74957654321' });
    // a redial a second later on the same hop is a new attempt, not a leg
    ix.add({ ...base, ts: 1000, callId: 'redial', fromUser: '74951234567', toUser: '74957654321' });
    ix.add({ ...base, ts: 9000, callId: 'late', fromUser: '74951234567', toUser: '74957654321' });
    ix.add({ ...base, ts: 100, callId: 'other', fromUser: '74951234567', toUser: '74950000000' });
    ix.add({ ...base, ts: 50000, callId: 'corr', fromUser: 'x', toUser: 'y', correlation: 'a' });
    expect(ix.linked('a').map((l) => [l.callId, l.by])).toEqual([['b', 'numbers'], ['corr', 'correlation']]);
    expect(ix.linked('corr').map((l) => l.callId)).toEqual(['a']);
  });
});

describe('flow wording when no rule matched', () => {
  const msg = (text: string, ts: number, fromA: boolean): SipMessage => {
    const b = new TextEncoder().encode(text.replace(/\n/g, '\r\n'));
    const m = scanSipMessage(b, 0, b.length, { ts, src: fromA ? '192.0.2.1' : '192.0.2.2', srcPort: 5060, dst: fromA ? '192.0.2.2' : '192.0.2.1', dstPort: 5060, transport: 'udp', position: { file: 't', packet: 1 } });
    if (!m) throw new Error('not SIP');
    return m;
  };
  const head = (first: string, method: string): string =>
    `${first}\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\nFrom: <sip:1@192.0.2.1>;tag=a\nTo: <sip:2@192.0.2.2>\nCall-ID: sub-1\nCSeq: 1 ${method}\nContent-Length: 0\n\n`;

  it('a dialog whose only transaction failed (SUBSCRIBE → 404) is not "nothing wrong"', () => {
    const messages = [msg(head('SUBSCRIBE sip:2@192.0.2.2 SIP/2.0', 'SUBSCRIBE'), 1000, true), msg(head('SIP/2.0 404 Not Found', 'SUBSCRIBE'), 1010, false)];
    const text = flowText(buildFlow('sub-1', [{ callId: 'sub-1', by: 'self', messages, records: [] }]), { lang: 'en' });
    expect(text).toContain('no diagnosis rule matched');
    expect(text).not.toContain('nothing wrong found');
    const ok = [messages[0]!, msg(head('SIP/2.0 200 OK', 'SUBSCRIBE'), 1010, false)];
    expect(flowText(buildFlow('sub-1', [{ callId: 'sub-1', by: 'self', messages: ok, records: [] }]), { lang: 'en' })).toContain('nothing wrong found');
  });

  it('html: Russian headings with --lang ru, and a bidi override in the Call-ID replaced (h1 and title)', () => {
    const id = 'sub-1\u202egnp.exe';
    const messages = [msg(head('SUBSCRIBE sip:2@192.0.2.2 SIP/2.0', 'SUBSCRIBE').replace('sub-1', id), 1000, true)];
    const html = flowHtml(buildFlow(id, [{ callId: id, by: 'self', messages, records: [] }]), 'ru');
    expect(html).toContain('<th>плечо</th>');
    expect(html).toContain('<h1>Вызов <bdi>sub-1\uFFFDgnp.exe</bdi></h1>');
    expect(html).toContain('<title>sipscope flow sub-1\uFFFDgnp.exe</title>');
  });
});
